@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// A fee CDR is stored as its parsed fields, one column each, plus `raw`
/// (the CDR as the platform sent it), and never decoded again: what is
/// stored reads back field by field, the sweeper finds a pending CDR by its
/// `userData` column, and a CDR an older version stored as JSON (SQLite
/// before v13, PostgreSQL before pg8) is applied after the upgrade.
@Suite struct CDRConformanceTests {
    typealias Fixture = StoreConformanceTests
    typealias Operations = StoreOperationConformanceTests
    static let now = Fixture.now

    /// A CDR with every field set, none to its default.
    static func everyField(session: String, userData: String) -> FeeRecord {
        var fee = FeeRecord(sessionId: session)
        fee.direction = 1
        fee.spId = "sp-1"
        fee.appKey = "key-1"
        fee.icid = "icid-1"
        fee.bindNum = "+8675528000001"
        fee.callerNum = "+8675528000002"
        fee.calleeNum = "+8613800000001"
        fee.callEndTime = "2027-01-15 08:01:06"
        fee.fwdUnaswRsn = 3
        fee.failTime = "2027-01-15 08:01:07"
        fee.ulFailReason = 4_000_000_000
        fee.sipStatusCode = 486
        fee.callOutStartTime = "2027-01-15 07:59:58"
        fee.callOutAlertingTime = "2027-01-15 08:00:01"
        fee.callOutAnswerTime = "2027-01-15 08:00:05"
        fee.callOutUnaswRsn = 17
        fee.dynIVRStartTime = "2027-01-15 08:00:06"
        fee.dynIVRPath = "1-2"
        fee.recordFlag = 1
        fee.ttsPlayTimes = 2
        fee.ttsTransDuration = 12
        fee.serviceType = "001"
        fee.hostName = "host-1"
        fee.userData = userData
        return fee
    }

    /// Guards ``everyField(session:userData:)``: a field added to
    /// ``FeeRecord`` without a column would read back nil and fail here.
    @Test func theFixtureSetsEveryFieldAndEveryFieldHasAColumn() throws {
        let fee = Self.everyField(session: "S", userData: "u")
        let fields = Mirror(reflecting: fee).children.compactMap(\.label)
        let unset = Mirror(reflecting: fee).children.filter { child in
            let value = Mirror(reflecting: child.value)
            return value.displayStyle == .optional && value.children.isEmpty
        }.compactMap(\.label)
        #expect(unset.isEmpty, "set \(unset) in the fixture")
        let columns = Set(CDRRecord.CodingKeys.allCases.map(\.stringValue))
        #expect(Set(fields).subtracting(columns).isEmpty, "FeeRecord fields without a cdr column: \(Set(fields).subtracting(columns).sorted())")
    }

    @Test(arguments: StoreBackend.all)
    func aCDRIsStoredAsItsColumnsAndReadBackFieldByField(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try StoreDriverConformanceTests.writing(store) { rows in
            _ = try rows.insertNewJobs([StoreDriverConformanceTests.newJob("a")])
            let rowID = try rows.lastJobRowID()
            let fee = Self.everyField(session: "S-all", userData: "cs1.\(rowID).1")
            let raw = #"{"sessionId" : "S-all", "unknown": [1, "2"]}"#
            #expect(try rows.insertFeeRecord(fee, raw: raw, app: "reminders", now: Self.now))
            #expect(try rows.pendingFeeRecord(sessionId: "S-all", jobRowId: rowID) == fee)
            let bare = FeeRecord(sessionId: "S-bare")
            #expect(try rows.insertFeeRecord(bare, raw: "{}", app: nil, now: Self.now))
            #expect(try rows.pendingFeeRecord(sessionId: "S-bare", jobRowId: rowID) == bare, "absent fields read back absent")
            let pending = try rows.pendingCalls(receivedAfter: Self.now.addingTimeInterval(-1))
            #expect(pending.first { $0.sessionId == "S-all" }?.userData == "cs1.\(rowID).1")
            #expect(pending.contains { $0.sessionId == "S-bare" && $0.userData == nil })
            try rows.markFeeRecordApplied(sessionId: "S-all", jobRowId: rowID)
        }
        let stored = try #require(try store.jobDetail(id: "a")?.cdrs.first)
        #expect(stored.fee == Self.everyField(session: "S-all", userData: "cs1.\(try Operations.rowId("a", in: store)).1"))
        #expect(stored.raw == #"{"sessionId" : "S-all", "unknown": [1, "2"]}"#)
        #expect(stored.applied && stored.app == "reminders" && stored.receivedAt == Self.now)
    }

    /// Through the receiver's reading of a push: each CDR keeps its element
    /// as sent, and the sweeper attaches it to its job by `userData` once the
    /// job's answer is lost.
    @Test(arguments: StoreBackend.all)
    func aPushedCDRKeepsItsTextAndTheSweeperFindsItByUserData(_ backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            try Operations.queue([Operations.notify("lost")], in: store)
            let ticket = try #require(try Operations.send(in: store)["lost"])
            let element = #"{"sessionId":"S-lost", "userData":"\#(ticket.userData)","callOutAnswerTime":"2027-01-15 08:00:05","#
                + #""callEndTime":"2027-01-15 08:01:06","dynIVRPath":"4","vendorExtra":{"a":1}}"#
            let body = #"{"eventType":"fee","feeLst":[\#(element),{"sessionId":"S-other"}]}"#
            let payload = try CallbackPayload.decode(Array(body.utf8))
            let event = try #require(payload.event)
            let results = await store.recordCallbacks([
                CallbackPush(event: event, body: body, now: Self.now, app: "reminders", feeTexts: payload.feeTexts)
            ])
            let stored = try #require(results.first).get()
            #expect(stored.pending == 2 && stored.billed.isEmpty, "a dispatching job is left to its answer")
            try Operations.lose(ticket, in: store)

            let swept = try store.reconcilePendingEvents(now: Self.now.addingTimeInterval(100), horizon: 200)
            #expect(swept.billed.map(\.minutes) == [2])
            #expect(swept.pending == 1, "the other call's CDR stays pending")
            let detail = try #require(try store.jobDetail(id: "lost"))
            #expect(detail.job.state == .completed && detail.job.billedMinutes == 2 && detail.job.digits == ["4"])
            let cdr = try #require(detail.cdrs.first)
            #expect(cdr.raw == element)
            #expect(cdr.fee.userData == ticket.userData && cdr.fee.callOutAnswerTime == "2027-01-15 08:00:05")
        }
    }

    /// A store with a CDR written by the schema before the columns: its
    /// `body` the record as JSON, pending for job row 1's first call.
    struct Upgrade: Sendable, CustomTestStringConvertible {
        let name: String
        let make: @Sendable (_ sessionId: String, _ body: String, _ receivedAt: Date) throws -> (store: any CallStore, cleanup: @Sendable () -> Void)
        var testDescription: String { name }

        static let sqlite = Upgrade(name: "SQLite v12") { session, body, receivedAt in
            let store = try AppDatabase.inMemory(migratedThrough: "v12: API idempotency keys") { db in
                try db.execute(
                    "INSERT INTO cdr (sessionId, receivedAt, body, applied, app) VALUES (?, ?, ?, 0, 'reminders')",
                    [session, receivedAt.timeIntervalSince1970, body])
            }
            return (store, {})
        }

        static let postgres = Upgrade(name: "PostgreSQL pg7") { session, body, receivedAt in
            guard let cluster = PostgresCluster.shared else { throw PostgresCluster.Unavailable(description: PostgresCluster.unavailableReason ?? "no cluster") }
            let settings = try PostgresStore.Settings(url: cluster.makeDatabase(), instance: "test")
            let old = try PostgresStore.open(settings, migratingThrough: "pg7: API idempotency keys")
            defer { old.close() }
            try old.write { db in
                _ = try db.execute(
                    "INSERT INTO cdr (sessionId, receivedAt, body, applied, app) VALUES ($1, $2, $3, false, 'reminders')",
                    [session, receivedAt.timeIntervalSince1970, body])
            }
            let store = try PostgresStore.open(settings)
            return (store, { store.close() })
        }

        static let all: [Upgrade] = [sqlite] + (PostgresCluster.isAvailable ? [postgres] : [])
    }

    @Test(arguments: Upgrade.all)
    func aCDRStoredAsJSONBeforeTheColumnsIsAppliedAfterTheUpgrade(_ upgrade: Upgrade) throws {
        // As the old store wrote it: sorted keys, typed values.
        let body = #"{"callEndTime":"2027-01-15 08:01:06","callOutAnswerTime":"2027-01-15 08:00:05","direction":0,"dynIVRPath":"4","#
            + #""recordFlag":0,"serviceType":"001","sessionId":"S-old","ttsTransDuration":4000000000,"userData":"cs1.1.1"}"#
        let (store, cleanup) = try upgrade.make("S-old", body, Self.now.addingTimeInterval(-10))
        defer { cleanup() }
        try Operations.queue([Operations.notify("lost")], in: store)
        let ticket = try #require(try Operations.send(in: store)["lost"])
        #expect(ticket.userData == "cs1.1.1", "the old row names job row 1's first call")
        try Operations.lose(ticket, in: store)

        let swept = try store.reconcilePendingEvents(now: Self.now.addingTimeInterval(100), horizon: 200)
        #expect(swept.billed.map(\.minutes) == [2])
        let detail = try #require(try store.jobDetail(id: "lost"))
        #expect(detail.job.state == .completed && detail.job.billedMinutes == 2 && detail.job.digits == ["4"])
        var expected = FeeRecord(sessionId: "S-old")
        expected.callEndTime = "2027-01-15 08:01:06"
        expected.callOutAnswerTime = "2027-01-15 08:00:05"
        expected.direction = 0
        expected.dynIVRPath = "4"
        expected.recordFlag = 0
        expected.serviceType = "001"
        expected.ttsTransDuration = 4_000_000_000
        expected.userData = "cs1.1.1"
        let cdr = try #require(detail.cdrs.first)
        #expect(cdr.fee == expected)
        #expect(cdr.raw == body, "the old JSON is all that was kept: it stays as the raw text")
        #expect(try store.reconcilePendingEvents(now: Self.now.addingTimeInterval(100), horizon: 200) == CallbackCommit(), "applied once")
    }
}
