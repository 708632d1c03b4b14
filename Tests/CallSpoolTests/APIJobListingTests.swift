@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/jobs`: keyset pages in row order, filters, and the 400s that
/// name the parameter at fault.
@Suite struct APIJobListingTests {
    static func submit(_ ids: [String], campaign: String? = nil, to client: some TestClientProtocol) async throws {
        let lines = ids.enumerated().map { index, id in
            let job = APIFixture.verifyJob(id: id, callee: "+86138000001\(String(format: "%02d", index))")
            return campaign.map { job.replacingOccurrences(of: #""type""#, with: #""campaign":"\#($0)","type""#) } ?? job
        }
        let answer = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: lines.joined(separator: "\n"), contentType: "application/x-ndjson")
        #expect(answer.status == 201, "\(answer.text)")
    }

    static func ids(_ answer: (status: Int, json: [String: Any], text: String)) -> [String] {
        (answer.json["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
    }

    @Test func pagesWalkEveryJobOnceInRowOrderAndTheLastHasANullNext() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await Self.submit(["j1", "j2", "j3", "j4", "j5"], to: client)
            var seen: [String] = []
            var uri = "/v1/jobs?limit=2"
            var pages = 0
            while true {
                let page = try await client.call(.get, uri, token: APIFixture.viewerToken)
                #expect(page.status == 200, "\(page.text)")
                #expect(!page.text.contains(APIFixture.verifyCode))
                seen += Self.ids(page)
                pages += 1
                #expect(page.json.keys.contains("next"), "next is always there: \(page.text)")
                guard let next = page.json["next"] as? String else { break }
                #expect(pages < 5, "paging must end")
                if pages >= 5 { break }
                uri = "/v1/jobs?limit=2&after=\(next)"
            }
            #expect(seen == ["j1", "j2", "j3", "j4", "j5"])
            #expect(pages == 3)
            // The elements have the shape of `callspool jobs --json`.
            let whole = try await client.call(.get, "/v1/jobs", token: APIFixture.viewerToken)
            let first = try #require((whole.json["jobs"] as? [[String: Any]])?.first)
            let detail = try #require(try fixture.database.jobDetail(id: "j1"))
            let cli = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(JobListItem(detail.job))) as? [String: Any])
            #expect(Set(first.keys) == Set(cli.keys))
            #expect(whole.json["next"] is NSNull, "null, not left out: \(whole.text)")
        }
    }

    @Test func aPageHoldsExactlyTheLimitAndNextIsNullWhenNothingFollows() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await Self.submit(["e1", "e2"], to: client)
            let page = try await client.call(.get, "/v1/jobs?limit=2", token: APIFixture.viewerToken)
            #expect(Self.ids(page) == ["e1", "e2"])
            #expect(page.json["next"] is NSNull, "nothing follows: \(page.text)")
            let one = try await client.call(.get, "/v1/jobs?limit=1", token: APIFixture.viewerToken)
            #expect(one.json["next"] as? String != nil, "\(one.text)")
        }
    }

    @Test func campaignAndStateFilterThePages() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await Self.submit(["a1", "a2"], campaign: "spring", to: client)
            try await Self.submit(["b1"], campaign: "autumn", to: client)
            let spring = try await client.call(.get, "/v1/jobs?campaign=spring", token: APIFixture.viewerToken)
            #expect(Self.ids(spring) == ["a1", "a2"], "\(spring.text)")
            _ = try fixture.database.request(.cancel(ids: ["a2"], campaign: nil), now: Date())
            _ = try fixture.database.applyPendingIntents(now: Date(), retryTTL: { _ in .seconds(60) })
            let canceled = try await client.call(.get, "/v1/jobs?state=canceled", token: APIFixture.viewerToken)
            #expect(Self.ids(canceled) == ["a2"], "\(canceled.text)")
            let queued = try await client.call(.get, "/v1/jobs?state=queued&campaign=spring", token: APIFixture.viewerToken)
            #expect(Self.ids(queued) == ["a1"])
            let none = try await client.call(.get, "/v1/jobs?campaign=winter", token: APIFixture.viewerToken)
            #expect(none.status == 200 && Self.ids(none).isEmpty)
        }
    }

    @Test(arguments: [
        ("state=ringing", "state"), ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=many", "limit"), ("after=abc", "after"),
        ("after=-1", "after"),
    ])
    func aBadParameterGets400NamingIt(query: String, parameter: String) async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let answer = try await client.call(.get, "/v1/jobs?\(query)", token: APIFixture.viewerToken)
            #expect(answer.status == 400, "\(answer.text)")
            let message = try #require((answer.json["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains(parameter), "\(message)")
        }
    }

    @Test func theNewRoutesNeedTheirScopes() {
        #expect(APIRoute(method: .get, path: "/v1/jobs")?.scope == .read)
        #expect(APIRoute(method: .get, path: "/v1/campaigns/spring")?.scope == .read)
        for action in ["pause", "resume", "cancel"] {
            #expect(APIRoute(method: .post, path: "/v1/campaigns/spring/\(action)")?.scope == .control)
        }
        #expect(APIRoute(method: .post, path: "/v1/campaigns/spring/stop") == nil)
        #expect(APIRoute(method: .get, path: "/v1/campaigns/") == nil)
    }
}
