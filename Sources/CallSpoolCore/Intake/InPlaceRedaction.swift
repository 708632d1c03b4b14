import Foundation

/// Redacts a small verify file inside its own inode instead of writing a
/// copy and removing the original.
///
/// Why: the copy costs a new inode and the removal frees one. On ext4
/// without a journal (this project's hosts) every file created afterwards
/// skips, one by one, each inode freed in the last minute
/// (`find_inode_bit → recently_deleted`), so a stream of verify files made
/// intake quadratic in the files taken in that minute. Rewritten in place,
/// a verify file costs one new inode (its report) and frees none.
///
/// The sequence, for a file whose jobs and report are already committed:
/// 1. ``begin(_:source:temporary:rename:)``: the original (still the file
///    read, owned by the daemon, one link) is opened for writing and renamed
///    from `incoming/` to the hidden `.TARGET.redacting` beside its final
///    name, then made owner-only (0600);
/// 2. ``rewrite()``: the redacted text is written over it from the start,
///    and zeros over whatever of the old text lies beyond it;
/// 3. the caller syncs (one `syncfs` for a group), then ``complete()``
///    truncates the zeros away and renames it to its final name.
///
/// A crash between 1 and 3 leaves `.TARGET.redacting`, perhaps still holding
/// a code: ``SpoolIntake/eraseInterruptedRedactions()`` zeroes and removes
/// such leftovers when intake starts (the file's jobs and report are
/// committed; its report stays). Files the daemon may not make owner-only
/// (another user's), files with other links, and files that cannot be opened
/// for writing keep the copy-and-remove path.
struct InPlaceRedaction {
    let descriptor: Int32
    let temporary: String
    let destination: String
    /// The original's length: zeros cover what the redacted text does not.
    let originalSize: Int
    private(set) var redactedSize = 0

    /// Opens and moves the original; nil when it must be copied instead
    /// (nothing was changed then). Throws when the move itself failed (the
    /// original is still in `incoming/`, unchanged).
    static func begin(
        _ opened: OpenedFile, source: String, temporary: String, destination: String, rename: (String, String) -> Int32
    ) throws -> InPlaceRedaction? {
        guard opened.kind == .regular, opened.size <= SpoolIntake.sharedCommitMaxBytes else { return nil }
        let descriptor = Glibc.open(source, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, UInt64(info.st_ino) == opened.inode, UInt64(info.st_dev) == opened.device,
            (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink == 1, info.st_uid == geteuid(),
            Int64(info.st_size) <= SpoolIntake.sharedCommitMaxBytes
        else {
            close(descriptor)
            return nil
        }
        _ = Glibc.unlink(temporary)
        guard rename(source, temporary) == 0 else {
            let code = errno
            let failure = POSIXError.current("rename to \(temporary)")
            close(descriptor)
            // Gone meanwhile, or not on the same file system: the copy path
            // decides (it reads through the descriptor already open).
            if code == ENOENT || code == EXDEV { return nil }
            throw failure
        }
        _ = fchmod(descriptor, 0o600)
        return InPlaceRedaction(descriptor: descriptor, temporary: temporary, destination: destination, originalSize: Int(info.st_size))
    }

    /// Writes the redacted text over the original, and zeros beyond it (not
    /// synced: the caller syncs before ``complete()``).
    mutating func rewrite() throws {
        var original = [UInt8](repeating: 0, count: originalSize)
        var done = 0
        while done < original.count {
            let count = original.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress?.advanced(by: done), $0.count - done, off_t(done)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError.current("read \(temporary)")
            }
            if count == 0 { break }
            done += count
        }
        original.removeSubrange(done...)
        var redactor = VerifyCodeRedactor()
        var output: [UInt8] = []
        output.reserveCapacity(original.count + 64)
        redactor.feed(original, into: &output)
        redactedSize = output.count
        if output.count < originalSize { output += [UInt8](repeating: 0, count: originalSize - output.count) }
        try Self.writeAll(output, to: descriptor, path: temporary)
    }

    /// Truncates the zeros away and gives the file its final name; on
    /// success the descriptor is closed (on failure the caller abandons it).
    func complete() throws {
        guard ftruncate(descriptor, off_t(redactedSize)) == 0 else { throw POSIXError.current("truncate \(temporary)") }
        guard Glibc.rename(temporary, destination) == 0 else { throw POSIXError.current("rename \(temporary)") }
        close(descriptor)
    }

    /// Gives up after a failed step: the moved original may still hold a
    /// code, so it is zeroed and removed (its jobs and report are
    /// committed; only the kept copy is lost).
    func abandon() {
        SpoolIntake.zero(descriptor)
        _ = Glibc.unlink(temporary)
        close(descriptor)
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = pwrite(descriptor, buffer.baseAddress?.advanced(by: offset), buffer.count - offset, off_t(offset))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError.current("write \(path)")
                }
                offset += written
            }
        }
    }
}
