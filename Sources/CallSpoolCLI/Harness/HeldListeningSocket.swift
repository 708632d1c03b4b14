import Foundation

/// A listening TCP socket on 127.0.0.1 held by the caller, as systemd holds
/// `callspool.socket`: it outlives the daemons it is passed to
/// (``SocketActivatedLaunch``), and while none runs the kernel queues
/// connections in its backlog. For the benchmark and the tests that restart
/// a daemon the way `Restart=` does.
public final class HeldListeningSocket: @unchecked Sendable {
    public let descriptor: Int32
    public let port: Int

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(backlog: Int32 = 4096) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, backlog) == 0 else {
            close(descriptor)
            throw Failure(description: "cannot listen on 127.0.0.1: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

/// Starts `callspool run` as systemd starts a socket-activated service: the
/// held socket as descriptor 3, `LISTEN_FDS=1`, `LISTEN_FDNAMES=callbacks`,
/// and `LISTEN_PID` the daemon's own pid (a shell sets it, then execs the
/// daemon in its place). Output goes to `log`.
public enum SocketActivatedLaunch {
    public static func spawn(executable: String, arguments: [String], socket: HeldListeningSocket, log: String) throws -> pid_t {
        let output = open(log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard output >= 0 else { throw HeldListeningSocket.Failure(description: "cannot open \(log): errno \(errno)") }
        defer { close(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        posix_spawn_file_actions_adddup2(&actions, socket.descriptor, 3)
        let argv = (["/bin/sh", "-c", #"LISTEN_PID=$$ exec "$0" "$@""#, executable] + arguments).map { strdup($0) } + [nil]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        environment["LISTEN_FDS"] = "1"
        environment["LISTEN_FDNAMES"] = "callbacks"
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        guard status == 0 else { throw HeldListeningSocket.Failure(description: "posix_spawn failed: \(status)") }
        return pid
    }
}
