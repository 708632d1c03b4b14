import Foundation

/// The few system calls intake makes on spool entries, as values so tests
/// can make them fail the way a real spool does (an entry that cannot be
/// moved, a file the daemon may not read) even when the tests run as root.
public struct SpoolFileSystem: Sendable {
    public var open: @Sendable (String, Int32) -> Int32
    public var rename: @Sendable (String, String) -> Int32
    public var unlink: @Sendable (String) -> Int32

    public init(
        open: @escaping @Sendable (String, Int32) -> Int32 = { Glibc.open($0, $1) },
        rename: @escaping @Sendable (String, String) -> Int32 = { Glibc.rename($0, $1) },
        unlink: @escaping @Sendable (String) -> Int32 = { Glibc.unlink($0) }
    ) {
        self.open = open
        self.rename = rename
        self.unlink = unlink
    }
}

/// A spool entry intake handled but could not take out of `incoming/`.
public struct SpoolMoveError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var directory: String
    public var reason: String

    public var description: String {
        "\(file): could not be moved out of incoming/ to \(directory): \(reason); its report is written, callspool leaves it alone until it changes (remove it or fix the permissions)"
    }
}
