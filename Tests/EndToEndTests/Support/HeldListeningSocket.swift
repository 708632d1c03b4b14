import CallSpoolCLI
import Foundation

/// `callspool run` started with the held socket (``SocketActivatedLaunch``),
/// for tests that kill and restart it.
final class SocketActivatedDaemon {
    let pid: pid_t
    let log: String
    private var reaped = false

    init(executable: URL, config: String, socket: HeldListeningSocket, log: String) throws {
        self.log = log
        pid = try SocketActivatedLaunch.spawn(
            executable: executable.path, arguments: ["run", "--config", config, "--log-level", "notice"], socket: socket, log: log)
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
