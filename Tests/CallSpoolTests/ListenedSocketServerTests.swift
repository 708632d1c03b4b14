@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The callback receiver on a socket systemd passed: a push whose connection
/// the kernel queued while no process ran is answered, after its commit, by
/// the receiver that starts next.
@Suite struct ListenedSocketServerTests {
    /// Connects to `port` and sends `request`: answered by whoever accepts,
    /// even if nobody listens yet (the kernel queues the connection). The
    /// answer may wait for the whole suite's start on a busy machine (the
    /// server's start shares two cooperative threads with every other
    /// test): the bound is generous, and an answer ends the wait at once.
    static func post(_ request: String, to port: Int) throws -> Int32 {
        let descriptor = try #require(LoopbackConnection.open(port: port, receiveTimeout: 90))
        _ = request.withCString { Glibc.send(descriptor, $0, strlen($0), 0) }
        return descriptor
    }

    /// The answer's status line, read off the pool.
    static func statusLine(_ descriptor: Int32) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var buffer = [UInt8](repeating: 0, count: 1024)
                let count = recv(descriptor, &buffer, buffer.count, 0)
                close(descriptor)
                let text = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
                continuation.resume(returning: String(text.split(separator: "\r\n").first ?? ""))
            }
        }
    }

    @Test func aPushQueuedWhileNoProcessRanIsAnsweredAfterItsCommit() async throws {
        let fixture = try CallbackFixture(verifySignatures: false)
        let socket = try HeldListeningSocket()
        let path = try #require(URL(string: CallbackFixture.statusURL)?.path)
        func request(_ session: String) -> String {
            let body = CallbackFixture.status("collectInfo", session: session, digits: "7")
            return "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
        // Sent before any receiver runs: it waits in the socket's backlog.
        let waiting = try Self.post(request("S-backlog"), to: socket.port)

        var logger = Logger(label: "test")
        logger.logLevel = .warning
        // The server adopts (and at shutdown closes) a descriptor of its own, as
        // the daemon adopts the one systemd passes; `socket` closes the
        // original. Handing it the original made two owners close one
        // number, and the second close could hit a descriptor another
        // test's event loop had been given since (a NIO assertion).
        let adopted = dup(socket.descriptor)
        try #require(adopted >= 0)
        let server = buildCallbackServer(receiver: fixture.receiver, listener: .passedSocket(adopted), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let running = Task { try await group.run() }
        let answer = await Self.statusLine(waiting)
        #expect(answer == "HTTP/1.1 200 OK", "\(answer)")
        // Answered after the commit: the event is in the store.
        let stored = try await fixture.database.read { db in
            try db.column(String.self, "SELECT digitInfo FROM callEvent WHERE sessionId = 'S-backlog'")
        }
        #expect(stored == ["7"])
        // The same socket keeps serving new connections, then stops gracefully.
        let next = try Self.post(request("S-next"), to: socket.port)
        let nextAnswer = await Self.statusLine(next)
        #expect(nextAnswer == "HTTP/1.1 200 OK")
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
