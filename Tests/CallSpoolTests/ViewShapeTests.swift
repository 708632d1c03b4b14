@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
import Testing

/// The `--json` shapes are a contract (docs/cli-json.md): these tests pin the keys.
@Suite struct ViewShapeTests {
    func keys(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
    }

    @Test func statusShape() throws {
        let database = try AppDatabase.inMemory()
        try StoreFixtures.insertJob(database, id: "a")
        let view = try StatusView.load(from: database, portLimit: 10, now: Date())
        let object = try #require(try keys(view) as? [String: Any])
        #expect(Set(object.keys) == ["daemon", "jobs", "ports", "pauses", "halted", "recentErrors", "apps"])
        #expect(object["halted"] is NSNull)
        let daemon = try #require(object["daemon"] as? [String: Any])
        #expect(Set(["running"]).isSubset(of: Set(daemon.keys)))
        #expect(daemon["running"] as? Bool == false)
        let jobs = try #require(object["jobs"] as? [String: Int])
        #expect(Set(jobs.keys) == ["queued", "dispatching", "in_call", "completed", "failed", "expired", "canceled", "unknown"])
        #expect(jobs["queued"] == 1)
        let ports = try #require(object["ports"] as? [String: Int])
        #expect(ports == ["inUse": 0, "limit": 10, "effectiveLimit": 10])
    }

    @Test func statusShowsALiveDaemonFromItsHeartbeat() throws {
        let database = try AppDatabase.inMemory()
        let now = Date()
        try database.beat(HeartbeatRecord(pid: Int(getpid()), startedAt: now, heartbeatAt: now, version: "t", effectivePortLimit: 7))
        let view = try StatusView.load(from: database, portLimit: 10, now: now)
        #expect(view.daemon.running)
        #expect(view.ports.effectiveLimit == 7)
        let stale = try StatusView.load(from: database, portLimit: 10, now: now.addingTimeInterval(120))
        #expect(!stale.daemon.running)
    }

    /// A daemon that cannot write its store cannot record its `storage`
    /// pause: `status` finds it out itself, from the live process with a
    /// stale heartbeat and from the free space against `store.min_free`.
    @Test func statusShowsStorageTroubleTheDaemonCouldNotRecord() throws {
        let database = try AppDatabase.inMemory()
        let now = Date()
        try database.beat(HeartbeatRecord(pid: Int(getpid()), startedAt: now, heartbeatAt: now, version: "t", effectivePortLimit: 7))
        let plenty = StatusView.StorageCheck(watched: [("/var/lib/callspool", "store.path")], minFree: 64 << 20) { _ in 1 << 30 }
        let fine = try StatusView.load(from: database, portLimit: 10, now: now, storage: plenty)
        #expect(fine.daemon.running && fine.pauses.isEmpty)

        let full = StatusView.StorageCheck(watched: [("/var/lib/callspool", "store.path")], minFree: 64 << 20) { _ in 4096 }
        let low = try StatusView.load(from: database, portLimit: 10, now: now, storage: full)
        #expect(low.pauses.map(\.scope) == ["storage"])
        #expect(low.pauses.first?.reason.contains("store.path (/var/lib/callspool), below store.min_free") == true, "\(low.pauses)")

        let stuck = try StatusView.load(from: database, portLimit: 10, now: now.addingTimeInterval(120), storage: plenty)
        #expect(!stuck.daemon.running, "a stale heartbeat is not a healthy daemon (exit 3), whatever the reason")
        #expect(stuck.pauses.first?.reason.contains("heartbeat is 120 s old") == true, "\(stuck.pauses)")

        // Recorded by the daemon: shown once, as recorded.
        try database.setPause(.storage, reason: "low disk space: recorded", code: nil, until: nil, now: now)
        let recorded = try StatusView.load(from: database, portLimit: 10, now: now, storage: full)
        #expect(recorded.pauses.map(\.reason) == ["low disk space: recorded"])
    }

    @Test func jobShapeHidesTheVerifyCode() throws {
        let database = try AppDatabase.inMemory()
        try StoreFixtures.insertJob(database, id: "v", verifyCode: "482913")
        let detail = try #require(try database.jobDetail(id: "v"))
        let data = try JSONEncoder().encode(JobView(detail))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let contract: Set<String> = ["id", "type", "campaign", "state", "outcome", "stateCode", "digits", "calleeNbr", "displayNbr", "attempts", "events", "cdr", "error"]
        #expect(contract.isSubset(of: Set(object.keys)))
        #expect(object["cdr"] is NSNull)
        #expect(object["error"] is NSNull)
        #expect(!String(decoding: data, as: UTF8.self).contains("482913"))
        #expect(!JobView(detail).text.contains("482913"))
    }

    @Test func jobsListShape() throws {
        let database = try AppDatabase.inMemory()
        try StoreFixtures.insertJob(database, id: "a")
        let items = try database.jobs().map(JobListItem.init)
        let array = try #require(try keys(items) as? [[String: Any]])
        #expect(Set(array[0].keys) == ["id", "type", "campaign", "state", "outcome", "digits"])
    }

    @Test func tableFitsEightyColumns() {
        var table = TextTable(["ID", "STATE"], shrinkable: [0])
        table.add([String(repeating: "x", count: 120), "queued"])
        #expect(table.render().split(separator: "\n").allSatisfy { $0.count <= 80 })
    }
}
