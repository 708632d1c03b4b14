@testable import CallSpool
@testable import CallSpoolCore
import Foundation
import Testing
import VoiceCallAPI

/// The billing rule (``BilledMinutes``), the price arithmetic
/// (``BillingRate``, ``BillingCost``) and `[billing]`: no I/O.
@Suite struct BilledMinutesTests {
    static func answered(at answer: String?, endedAt end: String?) -> FeeRecord {
        var record = FeeRecord(sessionId: "S")
        record.callOutAnswerTime = answer
        record.callEndTime = end
        return record
    }

    @Test(arguments: [
        ("2026-11-30 10:00:00", "2026-11-30 10:00:00", 1),  // answered and ended in the same second: a minute started
        ("2026-11-30 10:00:00", "2026-11-30 10:00:01", 1),
        ("2026-11-30 10:00:00", "2026-11-30 10:01:00", 1),  // exactly 60 s
        ("2026-11-30 10:00:00", "2026-11-30 10:01:01", 2),  // 61 s
        ("2026-11-30 10:00:00", "2026-11-30 10:02:00", 2),
        ("2026-11-30 23:59:30", "2026-12-01 00:01:00", 2),  // across midnight and a month
        ("2026-11-30T10:00:00Z", "2026-11-30T10:03:00Z", 3),  // the reference's other example format
    ])
    func answeredCallsAreBilledPerStartedMinute(answer: String, end: String, minutes: Int) {
        #expect(BilledMinutes.minutes(of: Self.answered(at: answer, endedAt: end)) == minutes)
    }

    @Test func anUnansweredCallIsNotBilled() {
        var record = Self.answered(at: nil, endedAt: "2026-11-30 10:05:00")
        record.failTime = "2026-11-30 10:05:00"
        #expect(BilledMinutes.reading(of: record) == .unanswered)
        #expect(BilledMinutes.minutes(of: record) == 0)
        #expect(BilledMinutes.minutes(of: Self.answered(at: "  ", endedAt: "2026-11-30 10:05:00")) == 0, "a blank answer time is no answer")
    }

    @Test(arguments: [nil, "", "yesterday", "2026-11-30 10:00", "2026-11-30 09:59:59"])
    func anAnsweredCallWithoutAReadableDurationIsBilledOneMinute(end: String?) {
        let record = Self.answered(at: "2026-11-30 10:00:00", endedAt: end)
        #expect(BilledMinutes.reading(of: record) == .answeredWithoutDuration)
        #expect(BilledMinutes.minutes(of: record) == 1)
        #expect(BilledMinutes.minutes(of: Self.answered(at: "garbage", endedAt: "2026-11-30 10:05:00")) == 1)
    }

    @Test func theDurationComesFromTheTimes() {
        let record = Self.answered(at: "2026-11-30 10:00:05", endedAt: "2026-11-30 10:01:06")
        #expect(BilledMinutes.reading(of: record) == .answered(seconds: 61))
    }

    @Test(arguments: [
        ("0", 0), ("0.12", 1200), ("1", 10_000), ("0.0833", 833), (".5", 5000), ("12.5", 125_000), ("1000000", 10_000_000_000),
    ])
    func pricesAreReadExactly(text: String, tenThousandths: Int64) {
        #expect(BillingRate.tenThousandths(ofPrice: text) == tenThousandths)
    }

    @Test(arguments: ["", ".", "1.", "-1", "0.12345", "1e-2", "1,5", " 1", "1000000.01", "0x10", "١"])
    func pricesThatAreNotPlainDecimalsAreRefused(text: String) {
        #expect(BillingRate.tenThousandths(ofPrice: text) == nil)
    }

    @Test func costsAreExactAndRoundedHalfUpToHundredths() throws {
        let rate = BillingRate(pricePerMinuteTenThousandths: 1200, currency: "CNY")  // 0.12
        #expect(rate.cost(minutes: 3)?.amount == "0.36")
        #expect(rate.cost(minutes: 0)?.amount == "0.00")
        let odd = BillingRate(pricePerMinuteTenThousandths: 833, currency: "USD")  // 0.0833
        #expect(odd.cost(minutes: 3)?.amount == "0.25", "0.2499 rounds to 0.25")
        #expect(odd.cost(minutes: 1)?.amount == "0.08", "0.0833 rounds to 0.08")
        #expect(BillingRate(pricePerMinuteTenThousandths: 50, currency: "CNY").cost(minutes: 1)?.amount == "0.01", "0.005 rounds up")
        // 0.1 + 0.2 style drift cannot happen: 10 × 0.1 is 1.00.
        #expect(BillingRate(pricePerMinuteTenThousandths: 1000, currency: "CNY").cost(minutes: 10)?.text == "1.00 CNY")
        #expect(BillingRate.unpriced.cost(minutes: 10) == nil, "no price, no cost")
        #expect(odd.pricePerMinuteText == "0.0833")
        let json = String(decoding: try JSONEncoder().encode(rate.cost(minutes: 125)), as: UTF8.self)
        #expect(json.contains(#""amount":"15.00""#) && json.contains(#""currency":"CNY""#))
        #expect(try JSONDecoder().decode(BillingCost.self, from: Data(json.utf8)) == rate.cost(minutes: 125))
    }

    // MARK: [billing]

    func load(_ billing: String) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: [:]).parse(ConfigurationTests.minimal + "\n[billing]\n" + billing, file: "test.toml", purpose: .daemon)
    }

    @Test func billingDefaultsToNoPriceInCNY() throws {
        let config = try ConfigurationLoader(environment: [:]).parse(ConfigurationTests.minimal, file: "test.toml", purpose: .daemon)
        #expect(config.billing == .unpriced)
        #expect(try load("").billing == .unpriced)
    }

    @Test(arguments: [
        ("price_per_minute = 0.12", 1200, "CNY"), ("price_per_minute = 1\ncurrency = \"USD\"", 10_000, "USD"),
        ("price_per_minute = \"0.0833\"", 833, "CNY"), ("price_per_minute = 0.1", 1000, "CNY"),
    ])
    func billingReadsThePriceExactly(text: String, tenThousandths: Int64, currency: String) throws {
        #expect(try load(text).billing == BillingRate(pricePerMinuteTenThousandths: tenThousandths, currency: currency))
    }

    @Test(arguments: [
        ("price_per_minute = -1", "billing.price_per_minute"), ("price_per_minute = 0.00001", "billing.price_per_minute"),
        ("price_per_minute = true", "billing.price_per_minute"), ("price_per_minute = \"cheap\"", "billing.price_per_minute"),
        ("currency = \"cny\"", "billing.currency"), ("currency = \"RMB1\"", "billing.currency"), ("currency = 156", "billing.currency"),
        ("price = 0.12", "billing.price"),
    ])
    func aWrongBillingSettingStopsStartUpNamingFileAndKey(text: String, key: String) {
        do {
            _ = try load(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.file == "test.toml")
            #expect(error.key == key, "\(error)")
        }
    }
}
