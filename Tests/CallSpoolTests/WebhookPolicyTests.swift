@testable import CallSpoolCore
import Foundation
import Testing

/// The webhooks' rules as plain values: which answers are retried and when,
/// the signature a receiver checks, and which jobs a webhook wants.
@Suite struct WebhookPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_795_320_000)
    let policy = WebhookRetryPolicy(base: .seconds(5), cap: .seconds(3_600))

    @Test(arguments: [200, 201, 202, 204, 299])
    func aTwoHundredDelivers(_ status: Int) {
        #expect(policy.decide(.status(status), attempt: 1, now: Self.now, giveUpAt: Self.now.addingTimeInterval(60), random: 0.5) == .delivered(status: status))
    }

    @Test(arguments: [WebhookRetryPolicy.TryResult.status(408), .status(429), .status(500), .status(503), .status(599), .transportFailure("refused")])
    func timeoutsThrottlingServerErrorsAndLostConnectionsAreRetried(_ result: WebhookRetryPolicy.TryResult) throws {
        let decision = policy.decide(result, attempt: 1, now: Self.now, giveUpAt: Self.now.addingTimeInterval(86_400), random: 0)
        guard case .retry(let at, _, _) = decision else {
            Issue.record("\(result) → \(decision)")
            return
        }
        #expect(at == Self.now.addingTimeInterval(2.5), "the first retry after half of base at the least")
    }

    @Test(arguments: [301, 302, 400, 401, 403, 404, 410, 422])
    func otherAnswersGiveUpAtOnce(_ status: Int) {
        let decision = policy.decide(.status(status), attempt: 1, now: Self.now, giveUpAt: Self.now.addingTimeInterval(86_400), random: 0.5)
        guard case .gaveUp(let seen, _, let reason) = decision else {
            Issue.record("\(status) → \(decision)")
            return
        }
        #expect(seen == status && reason == .rejected)
    }

    @Test func theDelayDoublesUpToTheCapWithJitterInItsUpperHalf() {
        #expect(policy.delay(afterAttempt: 1, random: 0) == 2.5)
        #expect(policy.delay(afterAttempt: 1, random: 0.999_999) > 4.99)
        #expect(policy.delay(afterAttempt: 2, random: 1) == 10)
        #expect(policy.delay(afterAttempt: 4, random: 1) == 40)
        #expect(policy.delay(afterAttempt: 30, random: 1) == 3_600, "capped")
        #expect(policy.delay(afterAttempt: 1_000, random: 0) == 1_800, "no overflow, half the cap at the least")
    }

    @Test func aRetryThatWouldFallPastMaxAgeGivesUp() {
        let giveUpAt = Self.now.addingTimeInterval(30)
        let decision = policy.decide(.status(503), attempt: 4, now: Self.now, giveUpAt: giveUpAt, random: 0.5)  // 40 s × 0.75
        guard case .gaveUp(let status, let error, let reason) = decision else {
            Issue.record("\(decision)")
            return
        }
        #expect(status == 503 && reason == .expired && error.contains("max_age"))
    }

    /// The vector was computed with Python's hmac module:
    /// `hmac.new(b"whsec-test-0123456789", b'1795320000.{"a":1}', hashlib.sha256).hexdigest()`.
    @Test func theSignatureIsStripesSchemeAndChecksTimeBodyAndSecret() {
        let body = Array("{\"a\":1}".utf8)
        let value = WebhookSignature.value(secret: "whsec-test-0123456789", timestamp: 1_795_320_000, body: body)
        #expect(value == "t=1795320000,v1=948f176577bf9564ab2f5a64d9ae04eef710b2009db3df6919b1d1dcba5b6bab")
        #expect(WebhookSignature.verify(value, secret: "whsec-test-0123456789", body: body, now: Self.now))
        #expect(!WebhookSignature.verify(value, secret: "whsec-test-0123456789", body: Array("{\"a\":2}".utf8), now: Self.now), "another body")
        #expect(!WebhookSignature.verify(value, secret: "another-secret-0123", body: body, now: Self.now), "another secret")
        #expect(!WebhookSignature.verify(value, secret: "whsec-test-0123456789", body: body, now: Self.now.addingTimeInterval(301)), "too old")
        #expect(WebhookSignature.verify("t=1795320000,v1=00,v1=948f176577bf9564ab2f5a64d9ae04eef710b2009db3df6919b1d1dcba5b6bab", secret: "whsec-test-0123456789", body: body, now: Self.now), "one of several v1")
        #expect(!WebhookSignature.verify("v1=948f176577bf9564ab2f5a64d9ae04eef710b2009db3df6919b1d1dcba5b6bab", secret: "whsec-test-0123456789", body: body, now: Self.now), "no t")
    }

    static func job(_ type: JobType, campaign: String?, source: String?) -> JobRecord {
        JobRecord(
            rowId: 1, jobId: "j", type: type, classRank: type == .verify ? 0 : 1, campaign: campaign, calleeNbr: "+8613800000001",
            payload: StoredJobPayload(storedText: "{}"), expiresAt: now, nextAttemptAt: now, sourceFile: source, createdAt: now, updatedAt: now)
    }

    @Test func aWebhookWantsTheJobsItsFiltersName() throws {
        let url = try #require(URL(string: "https://crm.example.com/hook"))
        let every = WebhookEndpoint(name: "all", url: url, secret: "s")
        let flu = WebhookEndpoint(name: "flu", url: url, secret: "s", campaigns: ["flu-*", "reminders"])
        let shop = WebhookEndpoint(name: "shop", url: url, secret: "s", types: [.verify], clients: ["shop"])
        let viaShop = APISubmission.source(ofClient: "shop")
        #expect(every.wants(Self.job(.notify, campaign: nil, source: "a.jsonl")))
        #expect(flu.wants(Self.job(.notify, campaign: "flu-2026", source: nil)) && flu.wants(Self.job(.notify, campaign: "reminders", source: nil)))
        #expect(!flu.wants(Self.job(.notify, campaign: "reminders-2", source: nil)) && !flu.wants(Self.job(.notify, campaign: nil, source: nil)))
        #expect(shop.wants(Self.job(.verify, campaign: nil, source: viaShop)))
        #expect(!shop.wants(Self.job(.notify, campaign: nil, source: viaShop)), "type")
        #expect(!shop.wants(Self.job(.verify, campaign: nil, source: "codes.jsonl")), "a file, not the client")
        #expect(!shop.wants(Self.job(.verify, campaign: nil, source: APISubmission.source(ofClient: "bank"))), "another client")
        #expect(flu.wantsCampaign("flu-x") && !flu.wantsCampaign("other") && every.wantsCampaign("other"))
        #expect(!"\(WebhookEndpoint(name: "x", url: url, secret: "top-secret-value"))".contains("top-secret"))
    }
}
