import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import NIOCore
import NIOPosix
import Testing
import VoiceCallAPI
import VoiceCallSimulator

extension EndToEnd {
    /// Issue 11 item 1: the callback port under abuse. Three hundred
    /// unauthenticated clients trickle bytes at the callback receiver (a
    /// third never finish their headers, a third send headers without
    /// X-AKSK and trickle a body, a third a forged X-AKSK and trickle a
    /// body) while a verify job runs end to end against the simulator: the
    /// job completes, and the receiver closes every abusive connection
    /// within `callbacks.read_timeout` (1 s here), however steadily it sends.
    @Suite struct CallbackAbuse {
        static let scenario = """
        {"limits": {"ports": 4, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": 2}}
        """

        static let clients = 300
        static let readTimeout: Duration = .seconds(1)
        /// Scheduling slack on 2 shared cores, beyond the read timeout.
        static let slack: Duration = .milliseconds(3000)

        static func prefix(_ index: Int, port: Int) -> String {
            let head = "POST /cb/status HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            switch index % 3 {
            case 0: return "POST /cb/status HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-Tr"  // headers never finish
            case 1: return head + "Content-Length: 100000\r\n\r\n{"  // no X-AKSK, body trickles
            default:
                let forged = #"UsernameToken Username="k", PasswordDigest="AAAA", Nonce="n\#(index)", Created="2027-01-15T08:00:00Z""#
                return head + "X-AKSK: \(forged)\r\nContent-Length: 100000\r\n\r\n{"
            }
        }

        @Test(.timeLimit(.minutes(1)))
        func verifyJobCompletesWhileSlowUnauthenticatedClientsAreCutOff() async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.callbacks = ["read_timeout": "\"1s\"", "max_connections": "512"]
            try await DaemonHarness.run(options) { daemon in
                let port = daemon.configuration.callbacks.listen.port
                let group = MultiThreadedEventLoopGroup.singleton
                var abusers: [SlowClient] = []
                for index in 0..<Self.clients {
                    abusers.append(try await SlowClient.connect(
                        port: port, prefix: Self.prefix(index, port: port), trickle: "aaaaaaaaaa", interval: .milliseconds(100), group: group))
                }
                defer { abusers.forEach { $0.close() } }

                try daemon.submit([JobLine.verify("otp", callee: "+8613900000001")])
                #expect(try await eventually(timeout: .seconds(20)) { daemon.record("otp")?.state == .completed }, "\(daemon.states)")
                #expect(daemon.record("otp")?.outcome == .answered)

                // One deadline for all: the last connection's plus the bound.
                let deadline = (abusers.last?.connectedAt ?? .now) + Self.readTimeout + Self.slack
                for (index, client) in abusers.enumerated() {
                    let lifetime = try await client.waitForClose(timeout: max(.zero, deadline - .now))
                    #expect(lifetime != nil, "client \(index) (kind \(index % 3)) still open after \(Self.readTimeout + Self.slack)")
                    if index % 3 != 0 {
                        #expect(client.response.hasPrefix("HTTP/1.1 401"), "client \(index): \(client.response.prefix(40))")
                    }
                }
                let lifetimes = abusers.compactMap(\.lifetime)
                #expect(lifetimes.allSatisfy { $0 <= Self.readTimeout + Self.slack }, "longest: \(lifetimes.max() ?? .zero)")
            }
        }
    }
}
