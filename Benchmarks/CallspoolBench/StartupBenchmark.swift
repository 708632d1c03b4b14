import CallSpoolCLI
import Foundation

/// How long a restarted daemon takes to answer the callback pushes that
/// waited in the socket systemd holds (`callspool.socket`): from spawning
/// `callspool run` with the listening socket as descriptor 3 to the first
/// answer on a connection made before it started. Each run spawns the
/// release `callspool` beside this binary on the same store, as `Restart=`
/// does; the first run also creates the store.
enum StartupBenchmark {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func run(runs: Int) throws -> [Double] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("callspool")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw Failure(description: "build the daemon first: swift build -c release --product callspool (looked at \(executable.path))")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-startup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let socket = try HeldListeningSocket()
        let port = socket.port
        let config = root + "/callspool.toml"
        try """
        [platform]
        base_url = "http://127.0.0.1:9"
        app_key = "bench"
        app_secret = "bench-secret"
        [spool]
        dir = "\(root)/spool"
        [store]
        path = "\(root)/store.sqlite"
        [callbacks]
        listen = "127.0.0.1:\(port)"
        status_url = "http://127.0.0.1:\(port)/callspool/status"
        fee_url = "http://127.0.0.1:\(port)/callspool/fee"
        [metrics]
        listen = "127.0.0.1:0"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        var seconds: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let pid = try SocketActivatedLaunch.spawn(
                executable: executable.path, arguments: ["run", "--config", config, "--log-level", "warning"], socket: socket, log: root + "/daemon.log")
            // Made at once (the kernel queues it in the backlog), answered when the daemon accepts.
            let status = try firstAnswer(port: port)
            seconds.append((ContinuousClock.now - start).timeInterval)
            kill(pid, SIGTERM)
            var ended: Int32 = 0
            waitpid(pid, &ended, 0)
            guard status == 401 else { throw Failure(description: "expected 401 for an unsigned push, got \(status)") }
        }
        return seconds
    }

    /// Connects, sends an unsigned push, and returns the HTTP status of the
    /// answer (blocking until the daemon answers, at most 30 s).
    static func firstAnswer(port: Int) throws -> Int {
        guard let descriptor = LoopbackConnection.open(port: port) else { throw Failure(description: "connect failed: \(errno)") }
        defer { close(descriptor) }
        let request = "POST /callspool/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        _ = request.withCString { send(descriptor, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 12 else { throw Failure(description: "no answer (\(count), errno \(errno))") }
        let head = String(decoding: buffer[0..<count], as: UTF8.self)
        return Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
