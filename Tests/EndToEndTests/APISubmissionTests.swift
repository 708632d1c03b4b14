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

        static func json(_ body: String) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }

        static func campaign(_ jobs: [(id: String, callee: String)]) -> String {
            let lines = jobs.map { JobLine.notify($0.id, callee: $0.callee) }
            return #"{"campaign":"spring","jobs":["# + lines.joined(separator: ",") + "]}"
        }

        /// A campaign paused over HTTP keeps its new jobs queued until it is
        /// resumed over HTTP; its jobs are then paged through `GET /v1/jobs`.
        @Test(.timeLimit(.minutes(1)))
        func aCampaignIsPausedResumedAndPagedOverHTTP() async throws {
            let port = try FreePort.pick()
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.extra = """
                [api]
                listen = "127.0.0.1:\(port)"
                [api.clients.shop]
                scopes = ["submit", "read", "control"]
                """
            options.environment = ["CALLSPOOL_API_TOKEN_SHOP": Self.token]
            try await DaemonHarness.run(options) { daemon in
                let base = "http://127.0.0.1:\(port)"
                let first = try await Self.request(post: true, base + "/v1/jobs", body: Self.campaign([("sp-1", JobLine.callee(1))]))
                #expect(first.status == 201, "\(first.body)")
                #expect(try await daemon.waitFor(.completed, count: 1, timeout: .seconds(20)), "\(daemon.states)")

                let paused = try await Self.request(post: true, base + "/v1/campaigns/spring/pause")
                #expect(paused.status == 202, "\(paused.body)")
                #expect(Self.json(paused.body)["action"] as? String == "pause")
                let applied = try await eventually(timeout: .seconds(5)) {
                    Self.json(try await Self.request(post: false, base + "/v1/campaigns/spring").body)["paused"] as? Bool == true
                }
                #expect(applied, "the daemon applies the intent within a second or so")

                let more = try await Self.request(
                    post: true, base + "/v1/jobs", body: Self.campaign([("sp-2", JobLine.callee(2)), ("sp-3", JobLine.callee(3)), ("sp-4", JobLine.callee(4))]))
                #expect(more.status == 201, "\(more.body)")
                try await Task.sleep(for: .milliseconds(400))
                #expect(try daemon.counts()[.queued] == 3, "a paused campaign is not dispatched: \(daemon.states)")
                #expect(await daemon.requests(to: JobLine.callee(2)).isEmpty)

                let resumed = try await Self.request(post: true, base + "/v1/campaigns/spring/resume")
                #expect(resumed.status == 202, "\(resumed.body)")
                #expect(try await daemon.waitFor(.completed, count: 4, timeout: .seconds(20)), "\(daemon.states)")

                var ids: [String] = []
                var uri = base + "/v1/jobs?campaign=spring&limit=3"
                for _ in 0..<3 {
                    let page = try await Self.request(post: false, uri)
                    #expect(page.status == 200, "\(page.body)")
                    let object = Self.json(page.body)
                    ids += (object["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                    guard let next = object["next"] as? String else { break }
                    uri = base + "/v1/jobs?campaign=spring&limit=3&after=\(next)"
                }
                #expect(ids == ["sp-1", "sp-2", "sp-3", "sp-4"])
                let progress = Self.json(try await Self.request(post: false, base + "/v1/campaigns/spring").body)
                #expect(progress["finished"] as? Int == 4 && progress["total"] as? Int == 4 && progress["paused"] as? Bool == false, "\(progress)")
            }
        }
    }
}
