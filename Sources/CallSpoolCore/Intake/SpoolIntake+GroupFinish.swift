import Foundation

extension SpoolIntake {
    /// A file whose jobs and report are committed, waiting for its report
    /// file and its move to `processed/`.
    struct Committed {
        var name: String
        var report: FileReport
        var opened: OpenedFile
    }

    /// Finishes committed files together, each as
    /// ``finish(name:report:into:opened:)`` would, with the same order of
    /// durable steps; but where each file holding verify codes cost two
    /// fsyncs (its redacted copy before the original goes, then the zeroed
    /// original), the group costs two `syncfs` calls on the spool's file
    /// system. A file the daemon may rewrite is redacted within its own
    /// inode instead (``InPlaceRedaction``: no new copy, no removed
    /// original), synced by the same first `syncfs`. One answer per file, in
    /// order: ``SpoolMoveError`` when its report is written but it could not
    /// leave `incoming/`.
    func finishAll(_ files: [Committed]) -> [Swift.Result<Void, any Error>] {
        let directory = layout.processed
        var results = [Swift.Result<Void, any Error>](repeating: .success(()), count: files.count)
        struct Redacting {
            var index: Int
            var temporary: String
            var destination: String
            var reportPath: String
            var target: String
            var written: FileReport
        }
        var redacting: [Redacting] = []
        var rewritten: [InPlaceRedaction] = []
        for (index, file) in files.enumerated() {
            let source = layout.incoming + "/" + file.name
            if !file.opened.isStill(at: source) {
                logger.info("spool entry replaced while being handled", metadata: ["file": "\(file.name)"])
                continue
            }
            let target = SpoolLayout.freeName(in: directory, for: file.name)
            var written = file.report
            written.file = file.name
            let reportPath = directory + "/" + target + ".report.json"
            do {
                try writeReport(written, to: reportPath, directory: directory, target: target)
            } catch {
                results[index] = .failure(error)
                continue
            }
            do {
                if file.opened.kind == .regular, file.opened.size <= maxFileBytes, try VerifyCodeRedactor.needsRedaction(try file.opened.handle()) {
                    let temporary = directory + "/.\(target).redacting"
                    if var inPlace = try InPlaceRedaction.begin(
                        file.opened, source: source, temporary: temporary, destination: directory + "/" + target, rename: fileSystem.rename)
                    {
                        do {
                            try inPlace.rewrite()
                            rewritten.append(inPlace)
                        } catch {
                            inPlace.abandon()
                            keptCopyLost(file.name, error)
                        }
                        continue
                    }
                    _ = Glibc.unlink(temporary)
                    do {
                        try VerifyCodeRedactor.writeRedacted(from: try file.opened.handle(), to: temporary, sync: false)
                    } catch {
                        _ = Glibc.unlink(temporary)
                        throw error
                    }
                    redacting.append(Redacting(
                        index: index, temporary: temporary, destination: directory + "/" + target, reportPath: reportPath, target: target, written: written))
                } else if fileSystem.rename(source, directory + "/" + target) != 0, errno != ENOENT {
                    throw POSIXError.current("rename")
                }
            } catch {
                results[index] = .failure(moveFailed(file.name, written, reportPath: reportPath, directory: directory, target: target, error))
            }
        }
        guard !redacting.isEmpty || !rewritten.isEmpty else { return results }
        // The copies, and the files redacted in place, are on disk before
        // any original is removed or any redacted file takes its name.
        let synced = Self.syncFileSystem(of: directory)
        for inPlace in rewritten {
            do {
                if synced != nil, fsync(inPlace.descriptor) != 0 { throw POSIXError.current("sync \(inPlace.temporary)") }
                try inPlace.complete()
            } catch {
                inPlace.abandon()
                keptCopyLost((inPlace.destination as NSString).lastPathComponent, error)
            }
        }
        if let failure = synced {
            for item in redacting {
                _ = Glibc.unlink(item.temporary)
                results[item.index] = .failure(
                    moveFailed(files[item.index].name, item.written, reportPath: item.reportPath, directory: directory, target: item.target, failure))
            }
            return results
        }
        var scrubbers: [Int32] = []
        defer { for descriptor in scrubbers { close(descriptor) } }
        for item in redacting {
            let file = files[item.index]
            let source = layout.incoming + "/" + file.name
            do {
                guard rename(item.temporary, item.destination) == 0 else {
                    let failure = POSIXError.current("rename redacted copy")
                    _ = Glibc.unlink(item.temporary)
                    throw failure
                }
                let scrubber = Self.openForOverwrite(source, expecting: file.opened)
                guard fileSystem.unlink(source) == 0 else {
                    if let scrubber { close(scrubber) }
                    if errno == ENOENT { continue }
                    throw POSIXError.current("remove the original")
                }
                if let scrubber {
                    Self.zero(scrubber, sync: false)
                    scrubbers.append(scrubber)
                }
            } catch {
                results[item.index] = .failure(moveFailed(file.name, item.written, reportPath: item.reportPath, directory: directory, target: item.target, error))
            }
        }
        // The zeros reach the disk before the descriptors (the last
        // references to the removed originals) are closed; so do the
        // truncations and final names of the files redacted in place.
        if !scrubbers.isEmpty || !rewritten.isEmpty, Self.syncFileSystem(of: directory) != nil {
            for descriptor in scrubbers { _ = fsync(descriptor) }
        }
        return results
    }

    /// A file redacted in place whose kept copy could not be finished: it
    /// was erased (its jobs and report are committed).
    func keptCopyLost(_ name: String, _ error: any Error) {
        logger.error(
            "the redacted copy of a spool file could not be written; it was erased (its jobs and report are kept)",
            metadata: ["file": "\(name)", "error": "\(error)"])
    }

    /// Zeroes and removes what a crash left of a redaction: hidden
    /// `.NAME.redacting` files in `processed/` and `rejected/`. One may be an
    /// original moved out of `incoming/` to be redacted in place
    /// (``InPlaceRedaction``), still holding its codes; its jobs and report
    /// were committed before it moved. Called when intake starts, before
    /// any file is taken in.
    public func eraseInterruptedRedactions() {
        for directory in [layout.processed, layout.rejected] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names where name.hasPrefix(".") && name.hasSuffix(".redacting") {
                let path = directory + "/" + name
                let descriptor = Glibc.open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
                var info = stat()
                if descriptor >= 0, fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                    Self.zero(descriptor)
                }
                if descriptor >= 0 { close(descriptor) }
                guard Glibc.unlink(path) == 0 else { continue }
                logger.warning(
                    "erased a copy left unfinished by a crash while it was being redacted (its jobs and report were committed)",
                    metadata: ["file": "\(name)", "directory": "\(directory)"])
            }
        }
    }

    /// Records in the report that the file stays in `incoming/`, and the
    /// error the caller logs once.
    func moveFailed(_ name: String, _ written: FileReport, reportPath: String, directory: String, target: String, _ error: any Error) -> SpoolMoveError {
        let reason = (error as NSError).localizedDescription
        var written = written
        written.notMoved = "could not be moved out of incoming/: \(reason); callspool leaves it there until it changes"
        try? writeReport(written, to: reportPath, directory: directory, target: target)
        return SpoolMoveError(file: name, directory: directory, reason: reason)
    }

    /// `syncfs(2)` on the file system holding `path` (not exported by the
    /// Glibc module, so looked up once); nil when done.
    static func syncFileSystem(of path: String) -> (any Error)? {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return POSIXError.current("open \(path)") }
        defer { close(descriptor) }
        guard let syncfs = SyncFS.function else {
            return fsync(descriptor) == 0 ? nil : POSIXError.current("sync \(path)")
        }
        return syncfs(descriptor) == 0 ? nil : POSIXError.current("syncfs \(path)")
    }
}

/// `syncfs(2)` from the C library, looked up at run time.
private enum SyncFS {
    typealias Function = @convention(c) (Int32) -> Int32
    static let function: Function? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()
}
