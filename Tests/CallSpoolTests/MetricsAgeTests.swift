@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Testing

/// The age gauges alerts rely on: the oldest due queued job per type, and
/// the heartbeat's age.
@Suite struct MetricsAgeTests {
    func scrape(_ metrics: CallspoolMetrics) throws -> Set<String> {
        var bytes: [UInt8] = []
        try #require(metrics.registry).emit(into: &bytes)
        return Set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    @Test func refresherReportsQueueAgeByTypeAndHeartbeatAge() async throws {
        let spool = try SpoolFixture()  // intake clock: 1_800_000_000
        try spool.drop("v.jsonl", JobText.verify("v1") + "\n")
        _ = try spool.intake.process(name: "v.jsonl", settled: true)
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        try spool.database.beat(HeartbeatRecord(pid: 1, startedAt: created, heartbeatAt: created.addingTimeInterval(75), version: "t"))
        let clock = ManualClock(created.addingTimeInterval(120))
        let metrics = CallspoolMetrics.prometheus()
        let refresher = MetricsRefresher(metrics: metrics, database: spool.database, portFigures: nil, clock: clock, logger: Logger(label: "test"))
        await refresher.refresh()
        var lines = try scrape(metrics)
        #expect(lines.contains(#"callspool_queue_oldest_age_seconds{type="verify"} 120.0"#), "\(lines.sorted())")
        #expect(lines.contains(#"callspool_queue_oldest_age_seconds{type="notify"} 0.0"#))
        #expect(lines.contains("callspool_heartbeat_age_seconds 45.0"), "\(lines.sorted())")

        // Once the job is no longer queued, the age drops to 0.
        try await spool.database.write { try $0.execute("UPDATE job SET state = 'canceled', finishedAt = ?", [created.timeIntervalSince1970]) }
        clock.advance(.seconds(10))
        await refresher.refresh()
        lines = try scrape(metrics)
        #expect(lines.contains(#"callspool_queue_oldest_age_seconds{type="verify"} 0.0"#), "\(lines.sorted())")
        #expect(lines.contains("callspool_heartbeat_age_seconds 55.0"))
    }

    @Test func aJobNotYetDueDoesNotAge() throws {
        let spool = try SpoolFixture()
        try spool.drop("v.jsonl", JobText.verify("v1") + "\n")
        _ = try spool.intake.process(name: "v.jsonl", settled: true)
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        try spool.database.write { try $0.execute("UPDATE job SET nextAttemptAt = ?", [created.timeIntervalSince1970 + 300]) }
        #expect(try spool.database.oldestDueQueued(now: created.addingTimeInterval(200)).isEmpty)
        let due = try spool.database.oldestDueQueued(now: created.addingTimeInterval(400))
        #expect(due[.verify] == created.addingTimeInterval(300))
    }
}
