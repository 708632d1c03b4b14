import Foundation

/// A file opened without ever blocking and without following links, whose
/// type is decided on the opened descriptor.
///
/// Spool writers control `incoming/`: between a `stat` and an `open` by name,
/// a regular file can be swapped for a FIFO (an `open` for reading then blocks
/// until a writer appears, forever), a symlink or a device. Opening with
/// `O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC` returns at once whatever the name is,
/// and `fstat` on the descriptor tells what was really opened, so nothing is
/// read from anything but a regular file. The descriptor is closed when the
/// last reference goes away.
public final class OpenedFile: Sendable {
    /// What a spool entry turned out to be.
    public enum Kind: String, Sendable {
        case regular = "a regular file"
        case directory = "a directory"
        case fifo = "a FIFO (named pipe)"
        case socket = "a socket"
        case characterDevice = "a character device"
        case blockDevice = "a block device"
        case symlink = "a symbolic link"
        case other = "not a regular file"
    }

    /// Why a name could not be opened.
    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var code: Int32
        /// Set when the error itself says what the entry is (`ELOOP`: a link,
        /// `ENXIO`: a socket or a FIFO-like special file).
        public var kind: Kind?
        public var description: String { "cannot open \(path): \(String(cString: strerror(code))) (errno \(code))" }
        public var isGone: Bool { code == ENOENT || code == ENOTDIR }
    }

    public let descriptor: Int32
    public let kind: Kind
    public let device: UInt64
    public let inode: UInt64
    public let size: Int64
    public let mtimeNanoseconds: Int64

    /// Opens `path` read-only without blocking or following a final symlink.
    /// - Parameter open: the `open(2)` to use (tests inject failures).
    public static func open(
        _ path: String, using open: (String, Int32) -> Int32 = { Glibc.open($0, $1) }
    ) throws(OpenError) -> OpenedFile {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            let kind: Kind? = code == ELOOP ? .symlink : code == ENXIO ? .socket : nil
            throw OpenError(path: path, code: code, kind: kind)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw OpenError(path: path, code: code, kind: nil)
        }
        return OpenedFile(descriptor: descriptor, info: info)
    }

    init(descriptor: Int32, info: stat) {
        self.descriptor = descriptor
        self.kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFIFO: .fifo
        case S_IFSOCK: .socket
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        case S_IFLNK: .symlink
        default: .other
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        mtimeNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    deinit { close(descriptor) }

    /// A handle of its own (a duplicate descriptor) positioned at the start,
    /// for streaming the content.
    public func handle(at offset: UInt64 = 0) throws -> FileHandle {
        let copy = dup(descriptor)
        guard copy >= 0 else { throw POSIXError.current("duplicate descriptor") }
        let handle = FileHandle(fileDescriptor: copy, closeOnDealloc: true)
        try handle.seek(toOffset: offset)
        return handle
    }

    /// Whether `path` (not followed) still names this very file.
    public func isStill(at path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}
