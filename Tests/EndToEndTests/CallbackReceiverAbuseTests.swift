import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import NIOCore
import NIOPosix
import Testing

extension EndToEnd {
    /// The callback receiver's connection bounds, over real sockets (issue 11
    /// item 1): a forgery is answered 401 and closed without its body being
    /// read; a request trickling its headers is cut at `read_timeout`;
    /// connections beyond `max_connections` wait until one frees.
    @Suite struct CallbackReceiverAbuse {
        static func withServer(
            maxConnections: Int = 512, readTimeout: Duration, _ body: (Int, any EventLoopGroup) async throws -> Void
        ) async throws {
            let server = try await LiveCallbackServer.start(maxConnections: maxConnections, readTimeout: readTimeout)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let outcome: Result<Void, any Error>
            do {
                try await body(server.port, group)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            try await group.shutdownGracefully()
            try await server.stop()
            try outcome.get()
        }

        /// Defect: the 401 was sent but Hummingbird went on draining the
        /// announced body, so the connection stayed open (until the 15 s idle
        /// timeout, reset by every trickled byte: forever). The read timeout
        /// here is 30 s, so only the close-after-401 can end it within 5 s.
        @Test(.timeLimit(.minutes(1)))
        func unauthenticatedRequestIsClosedWithoutReadingItsBody() async throws {
            try await Self.withServer(readTimeout: .seconds(30)) { port, group in
                let request = "POST /cb/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
                let client = try await SlowClient.connect(port: port, prefix: request, trickle: "a", interval: .milliseconds(100), group: group)
                defer { client.close() }
                let lifetime = try await client.waitForClose(timeout: .seconds(5))
                #expect(lifetime != nil, "connection still open 5 s after its 401")
                #expect(client.response.hasPrefix("HTTP/1.1 401"), "\(client.response.prefix(60))")
                #expect(client.response.lowercased().contains("connection: close"))
            }
        }

        /// Defect: nothing bounded a whole request; only the idle timeout
        /// (15 s on main, 60 s here so only the deadline can close it) ended
        /// a request whose headers trickled in.
        @Test(.timeLimit(.minutes(1)))
        func headerTrickleIsCutAtTheReadTimeout() async throws {
            try await Self.withServer(readTimeout: .seconds(1)) { port, group in
                let client = try await SlowClient.connect(
                    port: port, prefix: "POST /cb/status HTTP/1.1\r\nHost: x\r\nX-Pad", trickle: "a", interval: .milliseconds(100), group: group)
                defer { client.close() }
                let lifetime = try #require(try await client.waitForClose(timeout: .seconds(8)), "still open after 8 s")
                #expect(lifetime >= .milliseconds(900), "closed before the read timeout: \(lifetime)")
                #expect(lifetime <= .milliseconds(5000), "closed late: \(lifetime)")
            }
        }

        /// Defect: an authentic push whose body trickles one byte every
        /// 100 ms: every body part reset the idle timeout, and after the 408
        /// Hummingbird went on draining the body, so the connection stayed.
        @Test(.timeLimit(.minutes(1)))
        func authenticBodyTrickleIsCutAtTheReadTimeout() async throws {
            try await Self.withServer(readTimeout: .seconds(1)) { port, group in
                let head = "POST /cb/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + LiveCallbackServer.signedHeaderLine() + "Content-Length: 100000\r\n\r\n{"
                let client = try await SlowClient.connect(port: port, prefix: head, trickle: " ", interval: .milliseconds(100), group: group)
                defer { client.close() }
                let lifetime = try #require(try await client.waitForClose(timeout: .seconds(8)), "still open after 8 s")
                #expect(lifetime <= .milliseconds(5000), "closed late: \(lifetime)")
            }
        }

        /// A keep-alive connection idle after its answer is closed after the
        /// read timeout too.
        @Test(.timeLimit(.minutes(1)))
        func idleKeepAliveIsClosedAfterTheReadTimeout() async throws {
            try await Self.withServer(readTimeout: .seconds(1)) { port, group in
                let client = try await SlowClient.connect(
                    port: port, prefix: "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n", trickle: "", interval: .seconds(3600), group: group)
                defer { client.close() }
                let lifetime = try #require(try await client.waitForClose(timeout: .seconds(8)), "still open after 8 s")
                #expect(client.response.hasPrefix("HTTP/1.1 404"))
                #expect(lifetime <= .milliseconds(5000), "closed late: \(lifetime)")
            }
        }

        /// With `max_connections` = 2 and two connections held, a third is not
        /// served until one of them is closed (it waits in the backlog, it is
        /// not refused): its answer comes after the first close.
        @Test(.timeLimit(.minutes(1)))
        func connectionsBeyondTheLimitWaitForAFreeSlot() async throws {
            try await Self.withServer(maxConnections: 2, readTimeout: .seconds(1)) { port, group in
                let get = "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                var held: [SlowClient] = []
                for _ in 0..<2 {
                    let client = try await SlowClient.connect(port: port, prefix: get, trickle: "", interval: .seconds(3600), group: group)
                    // Answered: accepted, and now held idle (keep-alive).
                    #expect(try await eventually(timeout: .seconds(5)) { client.response.hasPrefix("HTTP/1.1 404") })
                    held.append(client)
                }
                let third = try await SlowClient.connect(port: port, prefix: get, trickle: "", interval: .seconds(3600), group: group)
                defer { (held + [third]).forEach { $0.close() } }
                #expect(try await eventually(timeout: .seconds(5)) { third.response.hasPrefix("HTTP/1.1 404") }, "the third connection was never served")
                let answered = ContinuousClock.now
                let closes = held.compactMap { $0.closedAtInstant }
                let firstClose = try #require(closes.min(), "no held connection was closed before the third was served")
                #expect(firstClose <= answered)
                #expect(answered - third.connectedAt >= .milliseconds(500), "served at once: \(answered - third.connectedAt)")
            }
        }
    }
}

