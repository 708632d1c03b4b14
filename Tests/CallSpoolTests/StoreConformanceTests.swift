@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// A store backend under test: how to make a fresh, empty one.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () throws -> (store: any CallStore, cleanup: @Sendable () -> Void)

    var testDescription: String { name }

    /// Every backend callspool ships. A new one is added here and must pass the suite.
    static let all: [StoreBackend] = [
        StoreBackend(name: "SQLite in memory") { (try AppDatabase.inMemory(), {}) },
        StoreBackend(name: "SQLite file (WAL)") {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-conformance-\(UUID().uuidString)").path
            let store = try AppDatabase.open(path: directory + "/store.sqlite")
            return (store, { try? FileManager.default.removeItem(atPath: directory) })
        },
    ] + (PostgresCluster.isAvailable ? [postgres] : [])

    /// A fresh database on the test process's PostgreSQL cluster
    /// (``PostgresCluster``): present when initdb and pg_ctl are installed.
    static let postgres = StoreBackend(name: "PostgreSQL") {
        guard let cluster = PostgresCluster.shared else { throw PostgresCluster.Unavailable(description: PostgresCluster.unavailableReason ?? "no cluster") }
        let store = try PostgresStore.open(PostgresStore.Settings(url: try cluster.makeDatabase(), instance: "test"))
        return (store, { store.close() })
    }
}

/// Reported as skipped, with the reason, where PostgreSQL is not installed:
/// the suites above then run on SQLite only.
@Suite struct PostgresAvailability {
    @Test(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
    func theStoreSuitesRunOnPostgreSQL() {
        #expect(StoreBackend.all.contains { $0.name == "PostgreSQL" })
    }

    /// CI sets `CALLSPOOL_REQUIRE_POSTGRES`: there a missing server is a failure, not a skip.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CALLSPOOL_REQUIRE_POSTGRES"] != nil))
    func postgreSQLIsThereWhereRequired() {
        #expect(PostgresCluster.isAvailable, "PostgreSQL tests cannot run: \(PostgresCluster.unavailableReason ?? "?")")
    }
}

/// The store's contract, through ``CallStore`` only (no SQL, no GRDB): what
/// every operation must do whatever the backend. Each test runs on every
/// backend in ``StoreBackend/all``.
@Suite struct StoreConformanceTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let policy = IntakePolicy(applications: [ApplicationRoute(name: "reminders", types: [.notify]), ApplicationRoute(name: "otp", types: [.verify])])

    static func notify(_ id: String, callee: String = "+8613800000001", campaign: String? = nil) -> JobSpec {
        StoreFixtures.spec(id: id, campaign: campaign, callee: callee)
    }

    static func verify(_ id: String, callee: String = "+8613900000001") -> JobSpec {
        StoreFixtures.spec(id: id, verifyCode: "4829", callee: callee)
    }

    static func queue(_ specs: [JobSpec], in store: any CallStore, key: String = UUID().uuidString) throws -> IntakeBatchResult {
        try store.insertJobs(specs, intakeKey: key, sourceFile: "t.jsonl", policy: policy, now: now)
    }

    /// Sends `id` through a dispatch transaction; returns its ticket.
    static func dispatch(_ app: String, in store: any CallStore, display: String = "+8675528000001") throws -> [DispatchTicket] {
        try store.dispatchTransaction { tx in
            var tickets: [DispatchTicket] = []
            for var job in try tx.runnableJobs(app: app, now: now, limit: 10, verifyOnly: false) {
                if let ticket = try tx.beginAttempt(&job, displayNbr: display, fromPool: true, now: now) { tickets.append(ticket) }
            }
            return tickets
        }
    }

    static func withStore(_ backend: StoreBackend, _ body: (any CallStore) async throws -> Void) async throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try await body(store)
    }

    @Test(arguments: StoreBackend.all)
    func idsAreIdempotencyKeysAndEachJobGetsItsApplication(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            let first = try Self.queue([Self.notify("a"), Self.verify("b")], in: store)
            #expect(first.accepted == 2)
            let again = try Self.queue([Self.notify("a"), Self.notify("c")], in: store)
            #expect(again.accepted == 1 && again.duplicates == 1 && again.duplicateIDs == ["a"])
            #expect(try store.stateCounts()[.queued] == 3)
            #expect(try store.jobDetail(id: "a")?.job.app == "reminders")
            #expect(try store.jobDetail(id: "b")?.job.app == "otp")
            #expect(try store.lastJobRowID() >= 3)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aFilesReportIsRememberedWithItsJobs(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            let report = FileReport(file: "f.jsonl")  // the counts before this batch
            _ = try store.insertJobs([Self.notify("a")], intakeKey: "key-1", sourceFile: "f.jsonl", policy: Self.policy, now: Self.now, resumedUpTo: 0, completing: report)
            #expect(try store.completedIntake(key: "key-1")?.accepted == 1)
            #expect(try store.completedIntake(key: "key-2") == nil)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aDispatchTransactionMovesQueuedJobsOfOneApplicationToDispatchingWithTheirAttempt(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("n1"), Self.notify("n2", callee: "+8613800000002"), Self.verify("v1")], in: store)
            let tickets = try Self.dispatch("reminders", in: store)
            #expect(tickets.map(\.jobId).sorted() == ["n1", "n2"])
            #expect(tickets.allSatisfy { $0.attempt == 1 && $0.userData == "cs1.\($0.jobRowId).1" })
            #expect(try store.jobDetail(id: "n1")?.job.state == .dispatching)
            #expect(try store.jobDetail(id: "n1")?.attempts.count == 1)
            #expect(try store.jobDetail(id: "v1")?.job.state == .queued, "another application's job was taken")
            // A previous run's requests in flight become unknown, never re-sent.
            #expect(try store.recoverInterruptedDispatches(app: "reminders", now: Self.now) == 2)
            #expect(try store.jobDetail(id: "n1")?.job.state == .unknown)
            #expect(try store.jobDetail(id: "v1")?.job.state == .queued)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aThrowingDispatchTransactionCommitsNothing(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("n1")], in: store)
            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try store.dispatchTransaction { tx in
                    var job = try #require(try tx.runnableJobs(app: "reminders", now: Self.now, limit: 1, verifyOnly: false).first)
                    _ = try tx.beginAttempt(&job, displayNbr: "+8675528000001", fromPool: true, now: Self.now)
                    throw Boom()
                }
            }
            #expect(try store.jobDetail(id: "n1")?.job.state == .queued)
            #expect(try store.jobDetail(id: "n1")?.attempts.isEmpty == true)
        }
    }

    @Test(arguments: StoreBackend.all)
    func anIsolatedAnswerThatFailsLeavesTheOthersRecorded(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("n1"), Self.notify("n2", callee: "+8613800000002")], in: store)
            let tickets = try Self.dispatch("reminders", in: store)
            struct Boom: Error {}
            try store.dispatchTransaction { tx in
                _ = try tx.recordAcceptance(tickets[0], acceptance: CallAcceptance(sessionId: "S1", idlePort: nil), now: Self.now)
                try? tx.isolated {
                    _ = try tx.recordAcceptance(tickets[1], acceptance: CallAcceptance(sessionId: "S2", idlePort: nil), now: Self.now)
                    throw Boom()
                }
            }
            #expect(try store.jobDetail(id: tickets[0].jobId)?.job.state == .inCall)
            #expect(try store.jobDetail(id: tickets[1].jobId)?.job.state == .dispatching)
            #expect(try store.portHoldingJobRowIds(app: "reminders") == [tickets[0].jobRowId])
        }
    }

    @Test(arguments: StoreBackend.all)
    func failuresRequeueFailOrMakeTheJobUnknown(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("a"), Self.notify("b", callee: "+8613800000002"), Self.notify("c", callee: "+8613800000003")], in: store)
            let tickets = Dictionary(uniqueKeysWithValues: try Self.dispatch("reminders", in: store).map { ($0.jobId, $0) })
            let later = Self.now.addingTimeInterval(60)
            try store.dispatchTransaction { tx in
                try tx.recordFailure(try #require(tickets["a"]), httpStatus: 500, resultcode: "1020154", resultDesc: "ports", resultClass: "ports", disposition: .requeue(at: later), now: Self.now)
                try tx.recordFailure(try #require(tickets["b"]), httpStatus: 403, resultcode: "1013004", resultDesc: "blacklisted", resultClass: "job", disposition: .fail(code: "1013004", description: "blacklisted"), now: Self.now)
                try tx.recordFailure(try #require(tickets["c"]), httpStatus: nil, resultcode: nil, resultDesc: "reset", resultClass: "uncertain", disposition: .unknown(reason: "reset"), now: Self.now)
            }
            #expect(try store.jobDetail(id: "a")?.job.state == .queued)
            #expect(try store.jobDetail(id: "a")?.job.nextAttemptAt == later)
            #expect(try store.jobDetail(id: "b")?.job.state == .failed)
            #expect(try store.jobDetail(id: "b")?.job.errorCode == "1013004")
            #expect(try store.jobDetail(id: "c")?.job.state == .unknown)
            // A refused request called nobody; one whose fate is unknown may have.
            let since = Self.now.addingTimeInterval(-1)
            #expect(try store.dispatchTransaction { tx in try tx.notifyCallsToCallee("+8613800000001", since: since).count } == 0)
            #expect(try store.dispatchTransaction { tx in try tx.notifyCallsToCallee("+8613800000003", since: since).count } == 1)
        }
    }

    /// `limits.per_callee_max` counts notify calls only: a login code to the
    /// same person is neither counted nor (by the planner) held back.
    @Test(arguments: StoreBackend.all)
    func onlyNotifyCallsCountTowardsThePerCalleeLimit(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            let callee = "+8613800000007"
            _ = try Self.queue([Self.notify("n1", callee: callee), Self.verify("v1", callee: callee), Self.verify("v2", callee: callee)], in: store)
            let since = Self.now.addingTimeInterval(-1)
            let counts = try store.dispatchTransaction { tx -> [Int] in
                var counts = [try tx.notifyCallsToCallee(callee, since: since).count]
                for var job in try tx.runnableJobs(app: "otp", now: Self.now, limit: 10, verifyOnly: false) {
                    _ = try tx.beginAttempt(&job, displayNbr: "+8675528000001", fromPool: true, now: Self.now)
                }
                counts.append(try tx.notifyCallsToCallee(callee, since: since).count)
                for var job in try tx.runnableJobs(app: "reminders", now: Self.now, limit: 10, verifyOnly: false) {
                    _ = try tx.beginAttempt(&job, displayNbr: "+8675528000001", fromPool: true, now: Self.now)
                }
                counts.append(try tx.notifyCallsToCallee(callee, since: since).count)
                return counts
            }
            #expect(counts == [0, 0, 1])
            #expect(try store.dispatchTransaction { tx in try tx.notifyCallsToCallee(callee, since: since).count } == 1)
        }
    }

    @Test(arguments: StoreBackend.all)
    func eventsBeforeTheAnswerAreKeptThenAppliedOnceAndACallEndsOnce(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("n1")], in: store)
            let ticket = try #require(try Self.dispatch("reminders", in: store).first)
            let digits = CallbackEvent.status(.collectInfo, CallStatusInfo(sessionId: "S1", timestamp: "2026-11-30 10:00:00", digitInfo: "7"))
            let early = await store.recordCallbacks([.init(event: digits, body: "{}", now: Self.now, app: "reminders")])
            #expect(try early[0].get().pending == 1)
            let ended = try store.dispatchTransaction { tx in
                try tx.recordAcceptance(ticket, acceptance: CallAcceptance(sessionId: "S1", idlePort: nil), now: Self.now)
            }
            #expect(ended.isEmpty)
            #expect(try store.jobDetail(id: "n1")?.job.digits == ["7"])
            let hangUp = CallbackEvent.status(.disconnect, CallStatusInfo(sessionId: "S1", stateCode: 0, stateDesc: "ok"))
            let first = await store.recordCallbacks([.init(event: hangUp, body: "{\"d\":1}", now: Self.now, app: "reminders")])
            #expect(try first[0].get().signals.map(\.jobRowId) == [ticket.jobRowId])
            #expect(try store.jobDetail(id: "n1")?.job.state == .completed)
            var cdr = FeeRecord(sessionId: "S1")
            cdr.dynIVRPath = "7"
            let fee = await store.recordCallbacks([.init(event: .fee([cdr]), body: "{}", now: Self.now, app: "reminders")])
            #expect(try fee[0].get().signals.isEmpty, "a second ending of the same call changes nothing")
            #expect(try store.jobDetail(id: "n1")?.job.digits == ["7"], "digits applied twice")
        }
    }

    @Test(arguments: StoreBackend.all)
    func aPushFromAnotherApplicationChangesNothingAndAPushStandsOrFallsWithItsNonce(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("n1")], in: store)
            let ticket = try #require(try Self.dispatch("reminders", in: store).first)
            _ = try store.dispatchTransaction { tx in try tx.recordAcceptance(ticket, acceptance: CallAcceptance(sessionId: "S1", idlePort: nil), now: Self.now) }
            let forged = CallbackEvent.status(.disconnect, CallStatusInfo(sessionId: "S1", stateCode: 0))
            let refused = await store.recordCallbacks([.init(event: forged, body: "{}", now: Self.now, app: "otp")])
            #expect(throws: CallbackApplicationMismatch.self) { try refused[0].get() }
            #expect(try store.jobDetail(id: "n1")?.job.state == .inCall)

            let nonce = CallbackNonce(nonce: "N1", created: 1_800_000_000, expiresAt: 1_800_000_900, now: 1_800_000_000)
            let digits = CallbackEvent.status(.collectInfo, CallStatusInfo(sessionId: "S1", timestamp: "t1", digitInfo: "3"))
            let stored = await store.recordCallbacks([.init(event: digits, body: "{}", now: Self.now, nonce: nonce, app: "reminders")])
            #expect(throws: Never.self) { try stored[0].get() }
            #expect(try await store.isCallbackNonceLive("N1", now: 1_800_000_100))
            let replay = CallbackEvent.status(.collectInfo, CallStatusInfo(sessionId: "S1", timestamp: "t2", digitInfo: "4"))
            let replayed = await store.recordCallbacks([.init(event: replay, body: "{}", now: Self.now, nonce: nonce, app: "reminders")])
            #expect(throws: CallbackReplayError.self) { try replayed[0].get() }
            #expect(try store.jobDetail(id: "n1")?.job.digits == ["3"])
        }
    }

    @Test(arguments: StoreBackend.all)
    func pausesExpireAndHaltsArePerApplication(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            try store.setPause(.of(.ports, app: "otp"), reason: "out of ports", code: "1020165", until: Self.now.addingTimeInterval(60), now: Self.now)
            try store.setPause(.global, reason: "operator", code: nil, until: nil, now: Self.now)
            #expect(Set(try store.activePauses(now: Self.now).keys) == [.of(.ports, app: "otp"), .global])
            #expect(Set(try store.activePauses(now: Self.now.addingTimeInterval(61)).keys) == [.global])
            try store.deleteEndedPauses(now: Self.now.addingTimeInterval(61))
            #expect(try store.pauses().map(\.scope) == ["global"])
            try store.clearPause(.global)
            #expect(try store.pauses().isEmpty)

            try store.dispatchTransaction { tx in
                try tx.setHalt(HaltRecord(app: "otp", code: "1010040", reason: "no permission", since: Self.now, probeAt: Self.now.addingTimeInterval(300)))
            }
            #expect(try store.halt(app: "otp")?.code == "1010040")
            #expect(try store.halt(app: "reminders") == nil)
            #expect(try store.halts().map(\.app) == ["otp"])
            try store.dispatchTransaction { tx in try tx.clearHalt(app: "otp") }
            #expect(try store.halts().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func operatorIntentsAreRecordedThenAppliedOnce(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("a", campaign: "c1"), Self.notify("b", callee: "+8613800000002", campaign: "c1")], in: store)
            let id = try store.request(.cancel(ids: ["a"], campaign: nil), now: Self.now)
            _ = try store.request(.pause(campaign: "c1"), now: Self.now)
            #expect(try store.pendingIntents().count == 2)
            let applied = try store.applyPendingIntents(now: Self.now) { _ in .seconds(300) }
            #expect(applied.count == 2)
            #expect(try store.pendingIntents().isEmpty)
            #expect(try store.intent(id: id)?.appliedAt != nil)
            #expect(try store.jobDetail(id: "a")?.job.state == .canceled)
            #expect(try store.campaignSummaries().first { $0.campaign == "c1" }?.paused == true)
            #expect(try store.applyPendingIntents(now: Self.now) { _ in .seconds(300) }.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func expiryTouchesOnlyWhatIsDue(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            var short = Self.notify("short")
            short.ttl = .seconds(60)
            _ = try Self.queue([short, Self.notify("long", callee: "+8613800000002")], in: store)
            #expect(try store.expireQueuedJobs(now: Self.now.addingTimeInterval(30)).isEmpty)
            #expect(try store.expireQueuedJobs(now: Self.now.addingTimeInterval(61)).count == 1)
            #expect(try store.jobDetail(id: "short")?.job.state == .expired)
            #expect(try store.jobDetail(id: "long")?.job.state == .queued)
        }
    }

    /// A job that ends `expired` without a call says why on the job itself:
    /// in `job`/`job --json` (error), its results file, and the report's errors.
    @Test(arguments: StoreBackend.all)
    func aJobThatExpiresWithoutACallSaysWhyOnTheJob(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            var short = Self.notify("short", campaign: "c9")
            short.ttl = .seconds(60)
            _ = try Self.queue([short, Self.notify("late", callee: "+8613800000002", campaign: "c9")], in: store)
            _ = try store.expireQueuedJobs(now: Self.now.addingTimeInterval(61))
            try store.dispatchTransaction { tx in
                for var job in try tx.runnableJobs(app: "reminders", now: Self.now, limit: 10, verifyOnly: false) where job.jobId == "late" {
                    try tx.postpone(&job, until: job.expiresAt.addingTimeInterval(1), reason: "outside its calling window 08:00–21:00 Asia/Shanghai", now: Self.now)
                }
            }
            let short1 = try #require(try store.jobDetail(id: "short")?.job)
            #expect(short1.state == .expired)
            #expect(short1.errorCode == "expired" && short1.errorDesc == "expired before it could be sent")
            let late = try #require(try store.jobDetail(id: "late")?.job)
            #expect(late.state == .expired)
            #expect(late.errorCode == "expired")
            #expect(late.errorDesc == "expired: outside its calling window 08:00–21:00 Asia/Shanghai")
            let result = JobResult(job: late, attempts: [])
            #expect(result.error == JobResult.ErrorInfo(code: "expired", description: "expired: outside its calling window 08:00–21:00 Asia/Shanghai"))
            let pending = try store.pendingResults().map(\.job)
            #expect(Set(pending.compactMap { $0.shownError?.code }) == ["expired"] && pending.count == 2)
            let reported = try store.reportErrors(campaign: "c9", limit: 10)
            #expect(Set(reported.map(\.jobId)) == ["short", "late"])
            #expect(reported.allSatisfy { $0.code == "expired" })
        }
    }

    @Test(arguments: StoreBackend.all)
    func terminalJobsQueueTheirResultsUntilCleared(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("a")], in: store)
            #expect(try store.pendingResults().isEmpty)
            _ = try store.request(.cancel(ids: ["a"], campaign: nil), now: Self.now)
            _ = try store.applyPendingIntents(now: Self.now) { _ in .seconds(300) }
            let pending = try store.pendingResults()
            #expect(pending.map(\.job.jobId) == ["a"])
            try store.clearResults(pending.map { ClearedResult(jobRowId: $0.job.rowId ?? 0, version: $0.version) })
            #expect(try store.pendingResults().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func heartbeatApplicationFiguresAndAssignmentRoundTrip(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            let beat = HeartbeatRecord(pid: 42, startedAt: Self.now, heartbeatAt: Self.now, version: "t", effectivePortLimit: 7)
            let figures = AppStatusRecord(
                app: "otp", appKey: "K…1", types: ["verify"], portsInUse: 1, portLimit: 4, effectivePortLimit: 3, verifyReserve: 0,
                verifyReserveReason: "-", createdClock: "utc", updatedAt: Self.now)
            try store.beat(beat, apps: [figures])
            #expect(try store.heartbeat()?.pid == 42)
            #expect(try store.appStatus(app: "otp")?.createdClock == "utc")
            #expect(try store.appStatuses().map(\.types) == [["verify"]])
            try store.probeWrite(now: Self.now)
            #expect(try store.pauses().isEmpty, "the probe leaves nothing behind")

            let legacy = IntakePolicy(applications: [])
            _ = try store.insertJobs([Self.notify("old")], intakeKey: "k", sourceFile: "f", policy: legacy, now: Self.now, resumedUpTo: 0, completing: nil)
            #expect(try store.jobDetail(id: "old")?.job.app == nil)
            #expect(try store.jobsWithoutConfiguredApplication(["reminders"]) == ["": 1])
            #expect(try store.assignApplications([.notify: "reminders"]) == 1)
            #expect(try store.jobDetail(id: "old")?.job.app == "reminders")
            #expect(try store.jobsWithoutConfiguredApplication(["reminders"]).isEmpty)
        }
    }
}
