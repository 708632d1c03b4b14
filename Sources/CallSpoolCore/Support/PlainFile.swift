import Foundation

/// Writes a small file with plain POSIX calls and no fsync (Foundation's
/// `Data.write` syncs every file, which dominated spool intake). For files
/// whose content is also recoverable from the store.
enum PlainFile {
    static func write(_ data: Data, to path: String, mode: mode_t = 0o640) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw POSIXError.current("create \(path)") }
        defer { close(descriptor) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError.current("write \(path)")
                }
                offset += written
            }
        }
    }
}
