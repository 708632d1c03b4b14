import Foundation

/// The listening sockets systemd passed to this process (socket activation:
/// `LISTEN_PID`, `LISTEN_FDS`, `LISTEN_FDNAMES`, descriptors from 3 on).
///
/// Exists so the callback port outlives the process: while `callspool run`
/// restarts (a crash, an upgrade, `systemctl restart`), the socket stays
/// open in systemd and the kernel queues the platform's connections in its
/// backlog; the next process answers them. Only the names callspool knows
/// (``knownNames``) are taken; any other name, a duplicate, or a descriptor
/// that is not a listening stream socket stops start-up with a message.
public struct ListenedSockets: Sendable, Equatable {
    /// `callbacks`: the callback receiver's port; `api`: the HTTP API's.
    public static let knownNames: Set<String> = ["callbacks", "api"]
    /// The first passed descriptor (`SD_LISTEN_FDS_START`).
    static let firstDescriptor: Int32 = 3

    /// Descriptor by name.
    public private(set) var descriptors: [String: Int32] = [:]

    public init(descriptors: [String: Int32] = [:]) {
        self.descriptors = descriptors
    }

    public func descriptor(named name: String) -> Int32? { descriptors[name] }
    public var isEmpty: Bool { descriptors.isEmpty }

    /// A mistake in what systemd passed: start-up stops with it.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the protocol's variables. Sockets meant for another process
    /// (`LISTEN_PID` is not `pid`) or none at all: empty, and the receiver
    /// binds its configured address as without systemd.
    /// - Parameter checkDescriptor: whether a descriptor is a listening
    ///   stream socket (nil: fine; else why not). Replaced in tests.
    public static func from(
        environment: [String: String], pid: Int32 = getpid(), checkDescriptor: (Int32) -> String? = Self.listeningStreamProblem
    ) throws(Problem) -> ListenedSockets {
        guard let pidText = environment["LISTEN_PID"], let countText = environment["LISTEN_FDS"] else { return ListenedSockets() }
        guard let target = Int32(pidText), target > 0 else { throw Problem(description: "LISTEN_PID is not a process id: '\(pidText.prefix(20))'") }
        guard target == pid else { return ListenedSockets() }
        guard let count = Int(countText), (1...64).contains(count) else {
            throw Problem(description: "LISTEN_FDS must be a number of sockets from 1 to 64, got '\(countText.prefix(20))'")
        }
        guard let namesText = environment["LISTEN_FDNAMES"] else {
            throw Problem(description: "systemd passed \(count) socket(s) without names: set FileDescriptorName=callbacks (and api) in callspool.socket")
        }
        let names = namesText.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard names.count == count else {
            throw Problem(description: "LISTEN_FDNAMES names \(names.count) socket(s) but LISTEN_FDS says \(count)")
        }
        var sockets = ListenedSockets()
        for (index, name) in names.enumerated() {
            let descriptor = firstDescriptor + Int32(index)
            guard knownNames.contains(name) else {
                throw Problem(description: "systemd passed a socket named '\(name.prefix(64))' (fd \(descriptor)); callspool takes \(knownNames.sorted().map { "'\($0)'" }.joined(separator: " and ")): fix FileDescriptorName= in callspool.socket")
            }
            guard sockets.descriptors[name] == nil else {
                throw Problem(description: "systemd passed two sockets named '\(name)': give each ListenStream= its own socket unit or name")
            }
            if let problem = checkDescriptor(descriptor) {
                throw Problem(description: "the socket '\(name)' systemd passed (fd \(descriptor)) \(problem)")
            }
            sockets.descriptors[name] = descriptor
        }
        return sockets
    }

    /// Why `descriptor` is not a listening stream socket, or nil. Marks it
    /// close-on-exec (nothing callspool starts may hold the port).
    public static func listeningStreamProblem(_ descriptor: Int32) -> String? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return "is not open (\(String(cString: strerror(errno))))" }
        guard status.st_mode & S_IFMT == S_IFSOCK else { return "is not a socket" }
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &value, &length) == 0, value == Int32(SOCK_STREAM.rawValue) else {
            return "is not a stream socket (ListenStream= is needed)"
        }
        length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0, value == 1 else { return "is not listening" }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return nil
    }
}
