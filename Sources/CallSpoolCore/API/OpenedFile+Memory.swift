import CSpoolSystem
import Foundation

extension OpenedFile {
    /// What could not be done with a memory file.
    public struct MemoryFileError: Error, Sendable, CustomStringConvertible {
        public var code: Int32
        public var description: String { "cannot hold the request body in a memory file: \(String(cString: strerror(code))) (errno \(code))" }
    }

    /// `bytes` as an opened regular file that lives in memory only
    /// (memfd_create(2)): lets a document received over HTTP go through
    /// exactly the reader and validator of spool files (``JobFile``), with
    /// nothing written to disk (a verification code never touches it).
    public static func inMemory(_ bytes: some Collection<UInt8>, name: String) throws(MemoryFileError) -> OpenedFile {
        let descriptor = cspool_memory_file(name)
        guard descriptor >= 0 else { throw MemoryFileError(code: errno) }
        var written = 0
        let contiguous = Array(bytes)
        let failure: Int32? = contiguous.withUnsafeBytes { buffer -> Int32? in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return nil
        }
        var info = stat()
        if let failure {
            close(descriptor)
            throw MemoryFileError(code: failure)
        }
        guard lseek(descriptor, 0, SEEK_SET) == 0, fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw MemoryFileError(code: code)
        }
        return OpenedFile(descriptor: descriptor, info: info)
    }
}
