@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/v1/campaigns/{name}`: progress by state and outcome, and pause,
/// resume and cancel recorded as the CLI's intents.
@Suite struct APICampaignTests {
    static let campaign = """
        {"campaign":"spring","type":"verify","defaults":{"preTone":"p.wav"},"jobs":[
        {"id":"s1","calleeNbr":"+8613800000011","verifyCode":"1111"},{"id":"s2","calleeNbr":"+8613800000012","verifyCode":"2222"},
        {"id":"s3","calleeNbr":"+8613800000013","verifyCode":"3333"}]}
        """

    static func apply(_ fixture: APIFixture) throws {
        _ = try fixture.database.applyPendingIntents(now: Date(), retryTTL: { _ in .seconds(60) })
    }

    @Test func aCampaignsProgressCountsEveryStateAndItsOutcomes() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            let submitted = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: Self.campaign)
            #expect(submitted.status == 201, "\(submitted.text)")
            _ = try fixture.database.request(.cancel(ids: ["s3"], campaign: nil), now: Date())
            try Self.apply(fixture)
            let answer = try await client.call(.get, "/v1/campaigns/spring", token: APIFixture.viewerToken)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["campaign"] as? String == "spring")
            #expect(answer.json["paused"] as? Bool == false)
            #expect(answer.json["total"] as? Int == 3)
            #expect(answer.json["finished"] as? Int == 1)
            let progress = try #require(answer.json["progress"] as? Double)
            #expect(abs(progress - 1.0 / 3.0) < 1e-9)
            let states = try #require(answer.json["states"] as? [String: Int])
            #expect(states["queued"] == 2 && states["canceled"] == 1)
            #expect(Set(states.keys) == Set(JobState.allCases.map(\.rawValue)), "every state, 0 included")
            #expect(states["failed"] == 0)
            #expect(answer.json["outcomes"] is [String: Any])
            #expect(!answer.text.contains("1111"))
            let missing = try await client.call(.get, "/v1/campaigns/winter", token: APIFixture.viewerToken)
            #expect(missing.status == 404)
            #expect((missing.json["error"] as? [String: Any])?["code"] as? String == "not_found")
        }
    }

    @Test func pauseResumeAndCancelRecordTheIntentsOfTheCLI() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/jobs", token: APIFixture.shopToken, body: Self.campaign)
            let expected: [(String, ControlIntent)] = [
                ("pause", .pause(campaign: "spring")), ("resume", .resume(campaign: "spring")), ("cancel", .cancel(ids: [], campaign: "spring")),
            ]
            for (action, intent) in expected {
                let answer = try await client.call(.post, "/v1/campaigns/spring/\(action)", token: APIFixture.opsToken)
                #expect(answer.status == 202, "\(answer.text)")
                #expect(answer.json["campaign"] as? String == "spring")
                #expect(answer.json["action"] as? String == action)
                let id = try #require(answer.json["intent"] as? Int)
                let recorded = try #require(try fixture.database.intent(id: Int64(id)))
                #expect(try ControlIntent.decode(recorded.argument) == intent)
                try Self.apply(fixture)
                let campaign = try await client.call(.get, "/v1/campaigns/spring", token: APIFixture.opsToken)
                #expect(campaign.json["paused"] as? Bool == (action == "pause"), "after \(action): \(campaign.text)")
            }
            #expect(try fixture.database.stateCounts()[.canceled] == 3)
            let missing = try await client.call(.post, "/v1/campaigns/winter/pause", token: APIFixture.opsToken)
            #expect(missing.status == 404, "\(missing.text)")
            let refused = try await client.call(.post, "/v1/campaigns/spring/pause", token: APIFixture.shopToken)
            #expect(refused.status == 403, "shop has no control scope")
        }
        #expect(try fixture.database.pendingIntents().isEmpty)
    }
}
