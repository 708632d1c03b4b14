import Foundation

/// A listening TCP socket on 127.0.0.1 that the test holds, as systemd holds
/// `callspool.socket`: it outlives the daemons it is passed to, and while no
/// daemon runs the kernel queues connections in its backlog.
final class HeldListeningSocket {
    let descriptor: Int32
    let port: Int

    init(backlog: Int32 = 512) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, backlog) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
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

/// `callspool run` started as systemd starts a socket-activated service: the
/// held socket as descriptor 3, `LISTEN_FDS=1`, `LISTEN_FDNAMES=callbacks`
/// and `LISTEN_PID` set to the daemon's own pid (a shell sets it, then execs).
final class SocketActivatedDaemon {
    let pid: pid_t
    let log: String
    private var reaped = false

    init(executable: URL, config: String, socket: HeldListeningSocket, log: String) throws {
        self.log = log
        let output = open(log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard output >= 0 else { throw POSIXError(.EACCES) }
        defer { close(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        posix_spawn_file_actions_adddup2(&actions, socket.descriptor, 3)
        let arguments = [
            "/bin/sh", "-c", #"LISTEN_PID=$$ exec "$0" "$@""#, executable.path, "run", "--config", config, "--log-level", "notice",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        environment["LISTEN_FDS"] = "1"
        environment["LISTEN_FDNAMES"] = "callbacks"
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, "/bin/sh", &actions, nil, argv, envp)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        pid = child
    }

    /// Whether it still runs (reaps it once it has ended).
    var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reaped = true }
        return !reaped
    }

    /// Sends `signal` and waits for the process to end.
    func stop(_ signal: Int32) {
        guard !reaped else { return }
        kill(pid, signal)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        reaped = true
    }

    var logTail: String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    deinit { stop(SIGKILL) }
}
