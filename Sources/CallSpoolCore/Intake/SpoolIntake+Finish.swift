import Foundation

extension SpoolIntake {
    /// Writes `NAME.report.json` atomically, then moves the file beside it:
    /// renamed when it holds no verify code, else replaced by a redacted copy
    /// (mode 0600) and the original overwritten and removed.
    ///
    /// When the file cannot leave `incoming/`, the one report says so
    /// (`notMoved`) and ``SpoolMoveError`` is thrown: the caller logs it once
    /// and leaves the entry alone until it changes.
    func finish(name: String, report: FileReport, into directory: String, opened: OpenedFile?) throws {
        let source = layout.incoming + "/" + name
        if let opened, !opened.isStill(at: source) {
            // Renamed over or removed since it was opened: the new entry is
            // handled on its own; this one is already out of incoming/.
            logger.info("spool entry replaced while being handled", metadata: ["file": "\(name)"])
            return
        }
        let target = SpoolLayout.freeName(in: directory, for: name)
        var written = report
        written.file = name
        let reportPath = directory + "/" + target + ".report.json"
        try writeReport(written, to: reportPath, directory: directory, target: target)
        do {
            if let opened, opened.kind == .regular, opened.size <= maxFileBytes,
                try VerifyCodeRedactor.needsRedaction(try opened.handle())
            {
                try moveRedacted(opened, from: source, to: directory + "/" + target, directory: directory)
            } else {
                guard fileSystem.rename(source, directory + "/" + target) == 0 else {
                    if errno == ENOENT { return }
                    throw POSIXError.current("rename")
                }
            }
        } catch {
            let reason = (error as NSError).localizedDescription
            written.notMoved = "could not be moved out of incoming/: \(reason); callspool leaves it there until it changes"
            try? writeReport(written, to: reportPath, directory: directory, target: target)
            throw SpoolMoveError(file: name, directory: directory, reason: reason)
        }
    }

    func writeReport(_ report: FileReport, to reportPath: String, directory: String, target: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(report)
        let temporary = directory + "/." + target + ".report.json.tmp"
        // No fsync: the report is also committed in the store (intakeFile), so
        // a report lost to a power cut is rewritten, not lost.
        try PlainFile.write(data, to: temporary)
        guard rename(temporary, reportPath) == 0 else { throw POSIXError.current("rename report for \(report.file)") }
    }

    /// The redacted copy takes the target name; the original's bytes are
    /// overwritten (when the daemon may write them) and its name removed.
    private func moveRedacted(_ opened: OpenedFile, from source: String, to destination: String, directory: String) throws {
        let temporary = directory + "/.\((destination as NSString).lastPathComponent).redacting"
        _ = Glibc.unlink(temporary)
        do {
            try VerifyCodeRedactor.writeRedacted(from: try opened.handle(), to: temporary)
        } catch {
            _ = Glibc.unlink(temporary)
            throw error
        }
        guard rename(temporary, destination) == 0 else {
            let failure = POSIXError.current("rename redacted copy")
            _ = Glibc.unlink(temporary)
            throw failure
        }
        let scrubber = Self.openForOverwrite(source, expecting: opened)
        defer { if let scrubber { close(scrubber) } }
        guard fileSystem.unlink(source) == 0 else {
            if errno == ENOENT { return }
            throw POSIXError.current("remove the original")
        }
        if let scrubber { Self.zero(scrubber) }
    }

    /// The original opened for writing, when it is still the file read and
    /// the daemon may write it (best effort).
    static func openForOverwrite(_ path: String, expecting opened: OpenedFile) -> Int32? {
        let descriptor = Glibc.open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, UInt64(info.st_ino) == opened.inode, UInt64(info.st_dev) == opened.device,
            (info.st_mode & S_IFMT) == S_IFREG
        else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Zeroes an unlinked file's bytes, so the codes do not stay in its
    /// freed blocks. With `sync` false the caller syncs them before it
    /// closes the descriptor.
    static func zero(_ descriptor: Int32, sync: Bool = true) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return }
        let zeros = [UInt8](repeating: 0, count: 64 * 1024)
        var remaining = Int64(info.st_size)
        while remaining > 0 {
            let count = Int(min(Int64(zeros.count), remaining))
            let written = zeros.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            remaining -= Int64(written)
        }
        if sync { _ = fsync(descriptor) }
    }
}
