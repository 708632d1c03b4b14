@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

@Suite struct SupportParsingTests {
    @Test(arguments: [("500ms", 0.5), ("2s", 2), ("20m", 1200), ("24h", 86_400), ("1h30m", 5400), ("7d", 604_800), ("1.5h", 5400)])
    func durations(text: String, seconds: Double) throws {
        let value = try DurationText.parse(text)
        #expect(value == .milliseconds(Int64(seconds * 1000)))
    }

    // The last two were found by the fuzzer: numbers past 64 bits of milliseconds trapped.
    @Test(arguments: ["", "5", "m", "5 minutes", "5x", "-5m", String(repeating: "3", count: 110) + "20m", "1e400s"])
    func badDurations(text: String) {
        #expect(throws: DurationText.Invalid.self) { try DurationText.parse(text) }
    }

    @Test func durationFormatting() {
        #expect(DurationText.format(.seconds(5400)) == "1h30m")
        #expect(DurationText.format(.milliseconds(250)) == "250ms")
    }

    @Test(arguments: [
        ("2026-11-22T09:00:00+08:00", 1_795_309_200.0),
        ("2026-11-22T01:00:00Z", 1_795_309_200.0),
        ("2026-11-21T20:00:00-05:00", 1_795_309_200.0),
        ("2026-11-22T01:00:00.250Z", 1_795_309_200.25),
    ])
    func timestamps(text: String, epoch: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(date.timeIntervalSince1970 == epoch)
    }

    @Test(arguments: ["2026-11-22T09:00:00", "2026-11-22 09:00:00+08:00", "2026-13-22T09:00:00Z", "tomorrow", "2026-11-22T09:00:00+8:00"])
    func badTimestamps(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
