@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// The driver protocol (``StoreDriver``, ``StoreTransaction``) operation by
/// operation, on every backend of ``StoreBackend/all``: each row operation
/// the store core builds on reads and writes what it says, so a driver that
/// drifts fails here, not only in a scenario above it. Which test covers
/// which operation is listed in ``StoreConformanceCoverage`` (checked by
/// ``StoreConformanceCoverageTests``: the transaction is named `rows`, the
/// driver `driver`).
@Suite struct StoreDriverConformanceTests {
    typealias Fixture = StoreConformanceTests
    static let now = Fixture.now

    struct NotADriver: Error {}
    struct Planned: Error {}

    /// Runs `body` with `store`'s driver (the backend's concrete type).
    static func withDriver<T>(_ store: any CallStore, _ body: (any StoreDriver) throws -> T) throws -> T {
        guard let driver = store as? any StoreDriver else { throw NotADriver() }
        return try body(driver)
    }

    /// One write transaction of `store`'s driver.
    static func writing<T>(_ store: any CallStore, _ body: (any StoreTransaction) throws -> T) throws -> T {
        func open<D: StoreDriver>(_ driver: D) throws -> T { try driver.writing { try body($0) } }
        return try withDriver(store) { try open($0) }
    }

    static func newJob(_ id: String, type: JobType = .notify, callee: String = "+8613800000001", campaign: String? = nil, key: String = "k1",
                       expires: TimeInterval = 3600, app: String? = "reminders") -> NewJob {
        NewJob(
            jobId: id, type: type, classRank: type == .verify ? 0 : 1, campaign: campaign, priority: 0, calleeNbr: callee, displayNbr: nil,
            payload: #"{"templateId":"t1"}"#, meta: #"{"k":"v"}"#, window: nil, redial: nil, notBefore: nil,
            expiresAt: now.addingTimeInterval(expires), nextAttemptAt: now, sourceFile: "f.jsonl", intakeKey: key, createdAt: now, app: app)
    }

    static func ticket(for job: JobRecord, attempt: Int = 1) throws -> DispatchTicket {
        let rowID = try #require(job.rowId)
        return DispatchTicket(
            jobRowId: rowID, jobId: job.jobId, type: job.type, attempt: attempt, userData: "cs1.\(rowID).\(attempt)", calleeNbr: job.calleeNbr,
            displayNbr: "+8675528000001", payload: .notify(playInfoList: []), expiresAt: job.expiresAt,
            campaign: job.campaign, displayFromPool: false)
    }

    @Test(arguments: StoreBackend.all)
    func jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try Self.writing(store) { rows in
            #expect(rows.insertBatchSize > 0)
            #expect(try rows.lastJobRowID() == 0)
            try rows.ensureCampaigns(["spring"], now: Self.now)
            let first = try rows.insertNewJobs([Self.newJob("a", campaign: "spring"), Self.newJob("b", expires: -1), Self.newJob("a")])
            #expect(first.count == 3)
            #expect(first[0] == .inserted && first[1] == .inserted)
            // The second row of an id: not inserted (whatever row it names, never this file's earlier run).
            #expect(first[2] != .inserted)
            let again = try rows.insertNewJobs([Self.newJob("a", key: "k2"), Self.newJob("c")])
            guard case .existing(let aRow, let key) = again.first else {
                Issue.record("an id already queued is not reported as existing: \(again)")
                return
            }
            #expect(key == "k1")
            #expect(again.last == .inserted)
            #expect(try rows.existingJobIDs(["a", "d", "b"]) == [ExactText("a"), ExactText("b")])
            let last = try rows.lastJobRowID()
            #expect(last > 0)

            var job = try #require(try rows.job(rowID: aRow))
            #expect(job.jobId == "a" && job.campaign == "spring" && job.state == .queued && job.app == "reminders")
            job.errorDesc = "written whole"
            try rows.write(job)
            job.nextAttemptAt = Self.now.addingTimeInterval(60)
            job.updatedAt = Self.now.addingTimeInterval(1)
            try rows.writeNextAttempt(job)
            let reread = try #require(try rows.job(rowID: aRow))
            #expect(reread.errorDesc == "written whole")
            #expect(reread.nextAttemptAt == Self.now.addingTimeInterval(60))

            #expect(try rows.jobs(.queuedExpired(at: Self.now), limit: nil).map(\.jobId) == ["b"])
            let queued = JobFilter(ids: [], campaign: nil, states: [.queued])
            #expect(try rows.countJobs(queued) == 3)
            #expect(try rows.jobs(.page(queued, afterRowID: 0), limit: 1).map(\.jobId) == ["a"])
            #expect(try rows.jobs(.page(queued, afterRowID: aRow), limit: 10).map(\.jobId) == ["b", "c"])
            #expect(try rows.requestCancel(JobFilter(ids: ["c"], campaign: nil, states: [.queued])) == 1)
            #expect(try rows.job(rowID: try rows.lastJobRowID())?.cancelRequested == true)

            #expect(try rows.setCampaignPaused("spring", true))
            #expect(try !rows.setCampaignPaused("autumn", true))
            #expect(try rows.pausedCampaigns() == ["spring"])
            #expect(try rows.setCampaignPaused("spring", false))
            #expect(try rows.pausedCampaigns().isEmpty)

            #expect(try rows.intakeReport(key: "k1") == nil)
            let report = FileReport(file: "f.jsonl", accepted: 2, duplicates: 1)
            try rows.saveIntakeReport(key: "k1", name: "f.jsonl", report: report, now: Self.now)
            #expect(try rows.intakeReport(key: "k1") == report)
            try rows.announceQueuedJobs()
        }
        #expect(try store.stateCounts()[.queued] == 3)
    }

    @Test(arguments: StoreBackend.all)
    func attemptsKeepTheirAnswerAndTheirCall(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try Self.writing(store) { rows in
            _ = try rows.insertNewJobs([Self.newJob("a"), Self.newJob("b")])
            let a = try #require(try rows.jobs(.page(JobFilter(ids: ["a"], campaign: nil, states: [.queued]), afterRowID: 0), limit: 1).first)
            let b = try #require(try rows.jobs(.page(JobFilter(ids: ["b"], campaign: nil, states: [.queued]), afterRowID: 0), limit: 1).first)
            let ticketA = try Self.ticket(for: a)
            try rows.insertAttempt(ticketA, at: Self.now)
            try rows.insertAttempt(try Self.ticket(for: a, attempt: 2), at: Self.now)
            #expect(try rows.latestAttempt(jobRowId: ticketA.jobRowId)?.n == 2)
            #expect(try rows.latestAttempt(jobRowId: ticketA.jobRowId)?.sessionId == nil)
            try rows.attachSession("S-2", jobRowId: ticketA.jobRowId, attempt: 2)
            #expect(try rows.latestAttempt(jobRowId: ticketA.jobRowId)?.sessionId == "S-2")
            #expect(try rows.callOwner(sessionId: "S-2")?.jobRowId == ticketA.jobRowId)
            #expect(try rows.callOwner(sessionId: "S-2")?.app == "reminders")

            let ticketB = try Self.ticket(for: b)
            try rows.insertAttempt(ticketB, at: Self.now)
            try rows.writeAnswer(AttemptAnswer(
                jobRowId: ticketB.jobRowId, n: 1, httpStatus: 200, resultcode: "0", resultDesc: "Success", resultClass: "ok", sessionId: "S-b"))
            #expect(try rows.callOwner(sessionId: "S-b")?.jobRowId == ticketB.jobRowId)
            #expect(try rows.callOwner(sessionId: "S-none") == nil)
            try rows.willRecordAnswers([(ticketB, "S-b")])
            let answered = try #require(try rows.answeredJob(ticketB, sessionId: "S-b"))
            #expect(answered.job.jobId == "b")
            // Nothing of call S-b is stored yet: a driver that looks says so, one that does not says true.
            _ = answered.callbacksWaiting
            #expect(try rows.answeredJob(try Self.ticket(for: a), sessionId: nil)?.job.jobId == "a")
        }
        #expect(try store.jobDetail(id: "b")?.attempts.first?.resultClass == "ok")
    }

    @Test(arguments: StoreBackend.all)
    func eventsCDRsAndNoncesAreStoredFoundAndMarked(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try Self.writing(store) { rows in
            _ = try rows.insertNewJobs([Self.newJob("a")])
            let rowID = try rows.lastJobRowID()
            let digits = CallStatusInfo(sessionId: "S-1", timestamp: "2026-12-05 00:00:01", userData: "cs1.\(rowID).1", digitInfo: "7")
            #expect(try !rows.hasCollectInfo(like: digits, body: "{}"))
            try rows.insertEvent(.collectInfo, digits, body: "{}", app: "reminders", now: Self.now)
            try rows.insertEvent(.disconnect, CallStatusInfo(sessionId: "S-1", stateCode: 0), body: "{}", app: nil, now: Self.now)
            try rows.insertEvent(.collectInfo, CallStatusInfo(sessionId: "S-1", digitInfo: "8"), body: "{}", app: "other", now: Self.now)
            #expect(try rows.hasCollectInfo(like: digits, body: "{}"))
            #expect(try rows.hasCollectedDigits(sessionId: "S-1"))
            #expect(try !rows.hasCollectedDigits(sessionId: "S-2"))
            // The job's application and unchecked events, in arrival order; another application's is left out.
            let pending = try rows.pendingEvents(sessionId: "S-1", jobRowId: rowID)
            #expect(pending.events.map(\.eventType) == ["collectInfo", "disconnect"])
            #expect(pending.events.first?.digitInfo == "7")
            #expect(pending.events.last?.stateCode == 0)
            #expect(try rows.pendingCalls(receivedAfter: Self.now.addingTimeInterval(-1)).map(\.sessionId).contains("S-1"))
            #expect(try rows.pendingCalls(receivedAfter: Self.now).isEmpty)
            for event in pending.events { try rows.markEventApplied(event.id, jobRowId: rowID) }
            #expect(try rows.pendingEvents(sessionId: "S-1", jobRowId: rowID).events.isEmpty)

            var fee = FeeRecord(sessionId: "S-1")
            fee.userData = "cs1.\(rowID).1"
            fee.dynIVRPath = "9"
            #expect(try rows.insertFeeRecord(fee, raw: "{}", app: "reminders", now: Self.now))
            #expect(try !rows.insertFeeRecord(fee, raw: "{}", app: "reminders", now: Self.now))
            #expect(try rows.pendingFeeRecord(sessionId: "S-1", jobRowId: rowID)?.dynIVRPath == "9")
            #expect(try rows.pendingCalls(receivedAfter: Self.now.addingTimeInterval(-1)).first { $0.sessionId == "S-1" && $0.app == "reminders" }?.userData == "cs1.\(rowID).1")
            try rows.markFeeRecordApplied(sessionId: "S-1", jobRowId: rowID)
            #expect(try rows.pendingFeeRecord(sessionId: "S-1", jobRowId: rowID) == nil)

            let nonce = CallbackNonce(nonce: "N-1", created: 1_000, expiresAt: 2_000, now: 1_000)
            #expect(try rows.claimNonce(nonce))
            #expect(try !rows.claimNonce(nonce))
            try rows.pruneNonces(now: 2_001)
            #expect(try rows.claimNonce(CallbackNonce(nonce: "N-1", created: 2_001, expiresAt: 3_000, now: 2_001)))
        }
    }

    @Test(arguments: StoreBackend.all)
    func pausesHaltsAndTheSchedulersReads(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try Self.writing(store) { rows in
            try rows.setPause(.global, reason: "operator", code: nil, until: nil, now: Self.now)
            try rows.setPause(.flow, reason: "1020154", code: "1020154", until: Self.now.addingTimeInterval(60), now: Self.now)
            #expect(Set(try rows.activePauses(now: Self.now).keys) == [.global, .flow])
            #expect(Set(try rows.activePauses(now: Self.now.addingTimeInterval(61)).keys) == [.global])
            try rows.clearOperatorPause()
            try rows.clearPause(.flow)
            #expect(try rows.activePauses(now: Self.now).isEmpty)
            try rows.setHalt(HaltRecord(app: "reminders", code: "1010001", reason: "bad key", since: Self.now, probeAt: Self.now.addingTimeInterval(60)))

            _ = try rows.insertNewJobs([Self.newJob("n1"), Self.newJob("v1", type: .verify, callee: "+8613900000001")])
            #expect(try rows.runnableJobs(app: "reminders", now: Self.now, limit: 10, verifyOnly: false).map(\.jobId) == ["v1", "n1"])
            #expect(try rows.runnableJobs(app: "reminders", now: Self.now, limit: 10, verifyOnly: true).map(\.jobId) == ["v1"])
            let n1 = try #require(try rows.runnableJobs(app: "reminders", now: Self.now, limit: 10, verifyOnly: false).last)
            try rows.insertAttempt(try Self.ticket(for: n1), at: Self.now)
            #expect(try rows.notifyCallsToCallee("+8613800000001", since: Self.now.addingTimeInterval(-60)).count == 1)
            #expect(try rows.notifyCallsToCallee("+8613800000001", since: Self.now).count == 0)
            var calling = n1
            calling.state = .inCall
            calling.sessionId = "S-n1"
            try rows.write(calling)
            let n1Row = try #require(n1.rowId)
            #expect(try rows.callsHoldingPorts(app: "reminders") == [n1Row])
        }
        #expect(try store.halt(app: "reminders")?.code == "1010001")
        try Self.writing(store) { rows in try rows.clearHalt(app: "reminders") }
        #expect(try store.halts().isEmpty)
    }

    @Test(arguments: StoreBackend.all)
    func aTransactionIsolatesWhatFailsAndSurvivesIt(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try Self.writing(store) { rows in
            try rows.checkLease()  // one instance: no lease to lose
            do {
                try rows.isolated { () throws -> Void in
                    _ = try rows.insertNewJobs([Self.newJob("undone")])
                    throw Planned()
                }
                Issue.record("isolated did not rethrow")
            } catch is Planned {
                #expect(rows.survives(Planned()))
            }
            #expect(try rows.isolated { try rows.insertNewJobs([Self.newJob("kept")]) } == [.inserted])
        }
        #expect(try store.jobs().map(\.jobId) == ["kept"])
    }

    @Test(arguments: StoreBackend.all)
    func theDriverOpensTransactionsAndRecordsIntents(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        let id = try store.request(.pause(campaign: nil), now: Self.now)
        try Self.withDriver(store) { driver in
            func check<D: StoreDriver>(_ driver: D) throws {
                #expect(try driver.pendingIntents().map(\.id) == [id])
                try driver.writing { try driver.markIntentApplied(id, result: "done by hand", now: Self.now, in: $0) }
                #expect(try driver.pendingIntents().isEmpty)
                #expect(!driver.isStoreFailure(Planned()))
            }
            try check(driver)
        }
        #expect(try store.intent(id: id)?.result == "done by hand")
    }
}
