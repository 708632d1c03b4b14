import AsyncHTTPClient
import CallSpool
import CallSpoolCLI
import CallSpoolCore
import CallSpoolSQLite
import Foundation
import NIOCore
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// The HTTP API in the daemon as `callspool run` builds it: a login code
    /// submitted over HTTP is called by the simulator, and read back over
    /// HTTP without its code.
    @Suite struct APISubmission {
        static let scenario = """
        {"displayNumbers": ["+8675528000088", "+8675528000089"],
         "limits": {"ports": 4, "requestsPerSecond": 1000},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": [], "ringSeconds": 0.5, "talkSeconds": 1}}
        """
        static let token = "e2e-api-token-0123456789abcdef"

        static func request(post: Bool, _ url: String, body: String? = nil) async throws -> (status: UInt, body: String) {
            var request = HTTPClientRequest(url: url)
            request.method = post ? .POST : .GET
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return (response.status.code, String(buffer: bytes))
        }

        @Test(.timeLimit(.minutes(1)))
        func aLoginCodeSubmittedOverHTTPIsCalled() async throws {
            let port = try FreePort.pick()
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.extra = """
                [api]
                listen = "127.0.0.1:\(port)"
                [api.clients.shop]
                scopes = ["submit", "read"]
                """
            options.environment = ["CALLSPOOL_API_TOKEN_SHOP": Self.token]
            try await DaemonHarness.run(options) { daemon in
                let base = "http://127.0.0.1:\(port)"
                let submitted = try await Self.request(
                    post: true, base + "/v1/jobs", body: JobLine.verify("otp-http", callee: "+8613900000042", code: "739154"))
                #expect(submitted.status == 201, "\(submitted.body)")
                #expect(daemon.record("otp-http") != nil, "committed before the answer")
                #expect(try await daemon.waitFor(.completed, count: 1, timeout: .seconds(20)), "\(daemon.states)")
                let calls = await daemon.requests(to: "+8613900000042")
                #expect(!calls.isEmpty, "the simulator received the call")
                let read = try await Self.request(post: false, base + "/v1/jobs/otp-http")
                #expect(read.status == 200)
                let job = try JSONSerialization.jsonObject(with: Data(read.body.utf8)) as? [String: Any]
                #expect(job?["state"] as? String == "completed", "\(read.body)")
                #expect(!read.body.contains("739154"))
                let refused = try await Self.request(post: true, base + "/v1/jobs/otp-http/cancel")
                #expect(refused.status == 403, "shop has no control scope")
            }
        }
    }
}
