@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// The HTTP API's routes over a store: authentication and scopes, submit
/// (201/200/409/422), reading a job without its code, status, cancel.
@Suite struct APITests {
    // MARK: authentication

    @Test func aRequestWithoutAValidTokenGets401() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            for token in [nil, "wrong-token-0123456789abcdef", String(APIFixture.shopToken.dropLast())] {
                let answer = try await client.call(.post, "/v1/jobs", token: token, body: APIFixture.verifyJob(id: "a"))
                #expect(answer.status == 401)
                #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
                #expect(!answer.text.contains(APIFixture.shopToken))
            }
            let basic = try await client.execute(
                uri: "/v1/status", method: .get, headers: [.authorization: "Basic \(APIFixture.shopToken)"]) { Int($0.status.code) }
            #expect(basic == 401)
        }
        #expect(try fixture.database.jobDetail(id: "a") == nil)
    }

    @Test func everyAnswerIsCountedByClientRouteAndStatus() async throws {
        let fixture = try APIFixture()
        let metrics = CallspoolMetrics.prometheus()
        try await fixture.app(metrics: metrics).test(.router) { client in
            _ = try await client.call(.post, "/v1/jobs", token: nil, body: APIFixture.verifyJob(id: "m1"))
            _ = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "m1"))
            _ = try await client.call(.get, "/v1/status", token: APIFixture.viewerToken)
        }
        var bytes: [UInt8] = []
        try #require(metrics.registry).emit(into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"callspool_api_requests_total{client="-",route="submitJobs",status="401"} 1"#), "\(text)")
        #expect(text.contains(#"callspool_api_requests_total{client="shop",route="submitJobs",status="201"} 1"#))
        #expect(text.contains(#"callspool_api_requests_total{client="viewer",route="getStatus",status="200"} 1"#))
        #expect(text.contains(#"callspool_api_request_duration_seconds_count{route="submitJobs"} 2"#))
    }

    /// A login code over HTTP is called at once: the dispatcher is woken
    /// after the commit, not left to its next poll.
    @Test func queuingAJobWakesTheDispatcherAndARepeatDoesNot() async throws {
        let fixture = try APIFixture()
        let wakes = Mutex(0)
        try await fixture.app(onQueued: { wakes.withLock { $0 += 1 } }).test(.router) { client in
            let first = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "w1"))
            #expect(first.status == 201)
            #expect(wakes.withLock { $0 } == 1)
            let again = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "w1"))
            #expect(again.status == 200)
            #expect(wakes.withLock { $0 } == 1, "nothing new was queued")
        }
    }

    @Test func aMethodAPathDoesNotTakeGets405WithAllow() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let (status, allow) = try await client.execute(uri: "/v1/status", method: .delete, headers: [:]) {
                (Int($0.status.code), $0.headers[.allow])
            }
            #expect(status == 405 && allow == "GET")
            let jobs = try await client.execute(uri: "/v1/jobs", method: .put, headers: [:]) { $0.headers[.allow] }
            #expect(jobs == "GET, POST")
            let unknown = try await client.call(.get, "/v1/nothing", token: APIFixture.shopToken)
            #expect(unknown.status == 404)
        }
    }

    @Test func aClientWithoutTheRoutesScopeGets403() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let submit = try await client.call(.post, "/v1/jobs", token: APIFixture.viewerToken, body: APIFixture.verifyJob(id: "a"))
            #expect(submit.status == 403)
            #expect((submit.json["error"] as? [String: Any])?["message"] as? String == "API client viewer lacks the scope submit this route needs")
            let cancel = try await client.call(.post, "/v1/jobs/a/cancel", token: APIFixture.shopToken)
            #expect(cancel.status == 403)
            let status = try await client.call(.get, "/v1/status", token: APIFixture.viewerToken)
            #expect(status.status == 200)
        }
        #expect(try fixture.database.jobDetail(id: "a") == nil)
    }

    @Test func tokensAreComparedWithTheConstantTimeCompareAgainstEveryClient() throws {
        let calls = Mutex(0)
        let fixture = try APIFixture(compare: { a, b in
            calls.withLock { $0 += 1 }
            return APIKeyring.constantTimeEqual(a, b)
        })
        // The first client matches: every other is still compared.
        let first = try #require(fixture.configuration.api.clients.first)
        #expect(fixture.keyring.client(authorization: "Bearer \(first.token)")?.name == first.name)
        #expect(calls.withLock { $0 } == fixture.configuration.api.clients.count)
        #expect(APIKeyring.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!APIKeyring.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!APIKeyring.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    /// A stranger announcing a huge body gets 401 from the headers alone:
    /// the body is never sent, and the answer comes anyway (a server
    /// waiting for the body would answer nothing until its deadline).
    @Test(arguments: [(nil as String?, "401"), (APIFixture.viewerToken, "403")])
    func refusedBeforeTheBodyIsRead(token: String?, status: String) async throws {
        let fixture = try APIFixture()
        let port = AsyncStream.makeStream(of: Int.self)
        var limits = fixture.limits
        // A server waiting for the body would answer at these deadlines,
        // far past the 20 s this test waits (generous for a loaded run).
        limits.readTimeout = .seconds(90)
        limits.bodyTimeout = .seconds(90)
        let server = try APIServer.make(
            operations: fixture.operations, keyring: fixture.keyring, listener: .address(ListenAddress(host: "127.0.0.1", port: 0)), limits: limits,
            onServerRunning: { port.continuation.yield($0) }, logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var ports = port.stream.makeAsyncIterator()
        let bound = try #require(await ports.next())
        let descriptor = try #require(LoopbackConnection.open(port: bound, receiveTimeout: 20))
        let authorization = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        let head = "POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n\(authorization)Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n"
        _ = head.withCString { Glibc.send(descriptor, $0, strlen($0), 0) }
        let started = ContinuousClock.now
        let answer = await Self.statusLine(descriptor)
        #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "\(answer)")
        #expect(ContinuousClock.now - started < .seconds(20))
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        #expect(try fixture.database.stateCounts().values.reduce(0, +) == 0)
    }

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

    @Test func aClientOverItsRateGets429WithRetryAfter() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            for _ in 0..<2 {
                let answer = try await client.call(.get, "/v1/status", token: APIFixture.burstToken)
                #expect(answer.status == 200)
            }
            let over = try await client.execute(
                uri: "/v1/status", method: .get, headers: APIFixture.headers(token: APIFixture.burstToken)
            ) { ($0.status.code, $0.headers[.retryAfter]) }
            #expect(over.0 == 429)
            #expect(over.1.flatMap { Int($0) }.map { (1...60).contains($0) } == true, "\(String(describing: over.1))")
            // Another client is not affected.
            let other = try await client.call(.get, "/v1/status", token: APIFixture.viewerToken)
            #expect(other.status == 200)
        }
    }

    // MARK: submit

    @Test func aSubmittedJobIsCommittedBeforeThe201() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let answer = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "login-1"))
            #expect(answer.status == 201, "\(answer.text)")
            let jobs = try #require(answer.json["jobs"] as? [[String: Any]])
            #expect(jobs.count == 1)
            #expect(jobs.first?["id"] as? String == "login-1")
            #expect(jobs.first?["state"] as? String == "queued")
            #expect((answer.json["rejected"] as? [Any])?.isEmpty == true)
            #expect(!answer.text.contains(APIFixture.verifyCode))
            // Committed when answered.
            let stored = try #require(try fixture.database.jobDetail(id: "login-1")?.job)
            #expect(stored.state == .queued)
            #expect(stored.sourceFile == "api:shop")
        }
    }

    @Test func theSameIdAndContentAgainGets200AndTheDifferentContent409() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let first = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "login-2"))
            #expect(first.status == 201)
            let again = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "login-2"))
            #expect(again.status == 200, "\(again.text)")
            #expect((again.json["jobs"] as? [[String: Any]])?.first?["id"] as? String == "login-2")
            let other = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "login-2", code: "111111"))
            #expect(other.status == 409, "\(other.text)")
            #expect((other.json["error"] as? [String: Any])?["code"] as? String == "conflict")
            #expect(!other.text.contains("111111") && !other.text.contains(APIFixture.verifyCode))
        }
        #expect(try fixture.database.stateCounts()[.queued] == 1)
    }

    @Test func aBadJobGets422NamingTheField() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let answer = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "bad", callee: "12"))
            #expect(answer.status == 422, "\(answer.text)")
            let rejected = try #require((answer.json["rejected"] as? [[String: Any]])?.first)
            #expect(rejected["field"] as? String == "calleeNbr")
            #expect(rejected["id"] as? String == "bad")
            #expect(rejected["index"] as? Int == 0)
            #expect(!answer.text.contains(APIFixture.verifyCode))
            let notJSON = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: "{\"type\":")
            #expect(notJSON.status == 400, "\(notJSON.text)")
            // The job-file reader decides (the generated decoder only sees a stand-in):
            // anything but one JSON object is unreadable (400), a wrong document 422.
            for body in ["[1]", "", "{} 4829", #"{"campaign":"c","jobs":[{"verifyCode":48"#] {
                let answer = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: body)
                #expect(answer.status == 400, "\(body): \(answer.text)")
                #expect(answer.json["error"] != nil)
                #expect(!answer.text.contains("48"), "\(answer.text)")
            }
            // A job whose value is no JSON token is that job's rejection, as in a job file.
            let badValue = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: #"{"type":"verify","verifyCode":48x9}"#)
            #expect(badValue.status == 422, "\(badValue.text)")
            #expect((badValue.json["rejected"] as? [[String: Any]])?.first?["field"] as? String == "job")
            #expect(!badValue.text.contains("48"), "\(badValue.text)")
            let typo = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: #"{"campaign":"x","default":{},"jobs":[]}"#)
            #expect(typo.status == 422, "\(typo.text)")
        }
        #expect(try fixture.database.jobDetail(id: "bad") == nil)
    }

    @Test func ndjsonAndCampaignsUseTheJobFileFormatsAndReportEachJob() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let lines = [APIFixture.verifyJob(id: "n1"), APIFixture.verifyJob(id: "n2", callee: "+1"), APIFixture.verifyJob(id: "n3")].joined(separator: "\n")
            let answer = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: lines, contentType: "application/x-ndjson")
            #expect(answer.status == 201, "\(answer.text)")
            #expect((answer.json["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["n1", "n3"])
            let rejected = try #require((answer.json["rejected"] as? [[String: Any]])?.first)
            #expect(rejected["index"] as? Int == 1)
            #expect(rejected["field"] as? String == "calleeNbr")
            let campaign = """
                {"campaign":"spring","type":"verify","defaults":{"preTone":"p.wav"},"jobs":[
                {"id":"c1","calleeNbr":"+8613800000011","verifyCode":"1111"},{"id":"c2","calleeNbr":"+8613800000012","verifyCode":"2222"}]}
                """
            let created = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: campaign)
            #expect(created.status == 201, "\(created.text)")
        }
        #expect(try fixture.database.jobDetail(id: "c2")?.job.campaign == "spring")
        #expect(try fixture.database.stateCounts()[.queued] == 4)
    }

    @Test func theGuardsCalleePrefixesApplyAsAtIntake() async throws {
        let fixture = try APIFixture(guardRules: "[guard]\ncallee_prefixes = [\"+86\"]\n")
        try await fixture.app().test(.router) { client in
            let answer = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "abroad", callee: "+4915112345678"))
            #expect(answer.status == 422, "\(answer.text)")
            #expect((answer.json["rejected"] as? [[String: Any]])?.first?["field"] as? String == "calleeNbr")
        }
    }

    // MARK: reading and control

    @Test func aJobIsReadInTheCLIShapeWithoutItsCode() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "login-3"))
            let answer = try await client.call(.get, "/v1/jobs/login-3", token: APIFixture.viewerToken)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["id"] as? String == "login-3")
            #expect(answer.json["state"] as? String == "queued")
            #expect(answer.json["calleeNbr"] as? String == "+8613800000001")
            let detail = try #require(try fixture.database.jobDetail(id: "login-3"))
            let cli = try JSONSerialization.jsonObject(with: JSONEncoder().encode(JobView(detail))) as? [String: Any]
            #expect(Set(answer.json.keys) == Set(cli?.keys.map { $0 } ?? []), "the shape of callspool job --json")
            #expect(!answer.text.contains(APIFixture.verifyCode))
            let missing = try await client.call(.get, "/v1/jobs/nobody", token: APIFixture.viewerToken)
            #expect(missing.status == 404)
        }
    }

    @Test func statusHasTheShapeOfStatusJSON() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let answer = try await client.call(.get, "/v1/status", token: APIFixture.viewerToken)
            #expect(answer.status == 200, "\(answer.text)")
            for key in ["daemon", "jobs", "ports", "pauses", "halted", "recentErrors", "apps"] {
                #expect(answer.json.keys.contains(key), "missing \(key)")
            }
        }
    }

    @Test func cancelRecordsTheIntentOfCallspoolCancel() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: APIFixture.verifyJob(id: "login-4"))
            let answer = try await client.call(.post, "/v1/jobs/login-4/cancel", token: APIFixture.opsToken)
            #expect(answer.status == 202, "\(answer.text)")
            #expect(answer.json["id"] as? String == "login-4")
            let intent = try #require(answer.json["intent"] as? Int)
            let recorded = try #require(try fixture.database.intent(id: Int64(intent)))
            #expect(try ControlIntent.decode(recorded.argument) == .cancel(ids: ["login-4"], campaign: nil))
            let missing = try await client.call(.post, "/v1/jobs/nobody/cancel", token: APIFixture.opsToken)
            #expect(missing.status == 404)
        }
    }
}
