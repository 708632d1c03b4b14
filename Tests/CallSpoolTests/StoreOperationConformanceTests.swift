@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Synchronization
import Testing
import VoiceCallAPI

/// The operations of ``CallStore`` and ``DispatchTransaction`` that the
/// scenarios of ``StoreConformanceTests`` do not reach, each with what its
/// documentation promises, on every backend of ``StoreBackend/all``. Which
/// test covers which operation is listed in ``StoreConformanceCoverage``
/// (checked by ``StoreConformanceCoverageTests``). Time is only ever the
/// injected `now:`; nothing here sleeps.
@Suite struct StoreOperationConformanceTests {
    typealias Fixture = StoreConformanceTests
    static let now = Fixture.now

    static func notify(_ id: String, callee: String = "+8613800000001", campaign: String? = nil, ttl: Duration? = nil) -> JobSpec {
        var spec = Fixture.notify(id, callee: callee, campaign: campaign)
        spec.ttl = ttl
        return spec
    }

    static func verify(_ id: String, callee: String = "+8613900000001", ttl: Duration? = nil) -> JobSpec {
        var spec = Fixture.verify(id, callee: callee)
        spec.ttl = ttl
        return spec
    }

    static func queue(_ specs: [JobSpec], in store: any CallStore, at date: Date = now, policy: IntakePolicy = Fixture.policy) throws {
        _ = try store.insertJobs(specs, intakeKey: UUID().uuidString, sourceFile: "t.jsonl", policy: policy, now: date)
    }

    /// Sends the runnable jobs of `app` named in `ids` (all when nil) at `date`.
    static func send(_ ids: Set<String>? = nil, app: String = "reminders", at date: Date = now, in store: any CallStore) throws -> [String: DispatchTicket] {
        try store.dispatchTransaction { tx in
            var tickets: [String: DispatchTicket] = [:]
            for var job in try tx.runnableJobs(app: app, now: date, limit: 100, verifyOnly: false) where ids?.contains(job.jobId) ?? true {
                if let ticket = try tx.beginAttempt(&job, displayNbr: "+8675528000001", fromPool: true, now: date) { tickets[job.jobId] = ticket }
            }
            return tickets
        }
    }

    static func accept(_ ticket: DispatchTicket, session: String, at date: Date = now, in store: any CallStore) throws {
        _ = try store.dispatchTransaction { tx in
            try tx.recordAcceptance(ticket, acceptance: CallAcceptance(sessionId: session, idlePort: nil), now: date)
        }
    }

    static func lose(_ ticket: DispatchTicket, at date: Date = now, in store: any CallStore) throws {
        try store.dispatchTransaction { tx in
            try tx.recordFailure(
                ticket, httpStatus: nil, resultcode: nil, resultDesc: "reset", resultClass: "uncertain", disposition: .unknown(reason: "reset"), now: date)
        }
    }

    static func push(_ type: CallbackEventType, _ info: CallStatusInfo, at date: Date = now, in store: any CallStore) async throws -> CallbackCommit {
        let results = await store.recordCallbacks([.init(event: .status(type, info), body: "{\"\(info.sessionId)\":\"\(type.rawValue)\"}", now: date, app: "reminders")])
        return try #require(results.first).get()
    }

    static func cancel(_ ids: [String], at date: Date = now, in store: any CallStore) throws {
        _ = try store.request(.cancel(ids: ids, campaign: nil), now: date)
        _ = try store.applyPendingIntents(now: date) { _ in .seconds(300) }
    }

    static func rowId(_ id: String, in store: any CallStore) throws -> Int64 {
        try #require(try store.jobDetail(id: id)?.job.rowId)
    }

    // MARK: Intake

    @Test(arguments: StoreBackend.all)
    func filesCommittedTogetherKeepEachFilesJobsAndReportAndAreNotTakenInTwice(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            #expect(try store.lastJobRowID() == 0, "an empty store's highest row id")
            let a = IntakeFileJobs(
                intakeKey: "key-a", name: "a.jsonl", specs: [Self.notify("a1"), Self.notify("a2", callee: "+8613800000002")],
                report: FileReport(file: "a.jsonl", campaign: "ca"))
            let b = IntakeFileJobs(intakeKey: "key-b", name: "b.jsonl", specs: [Self.notify("a1"), Self.verify("b1")], report: FileReport(file: "b.jsonl"))
            let results = try store.commitFiles([a, b], policy: Fixture.policy, now: Self.now)
            #expect(results.count == 2)
            let reportA = FileReport(file: "a.jsonl", accepted: 2, duplicates: 0, campaign: "ca")
            let reportB = FileReport(file: "b.jsonl", accepted: 1, duplicates: 1)
            #expect(try results[0].get() == .committed(reportA))
            #expect(try results[1].get() == .committed(reportB), "a1, queued by the first file of the same group, is a duplicate")
            #expect(try store.completedIntake(key: "key-a") == reportA)
            #expect(try store.completedIntake(key: "key-b") == reportB)
            #expect(try store.stateCounts()[.queued] == 3)
            #expect(try store.jobDetail(id: "b1")?.job.app == "otp")
            let rows = try ["a1", "a2", "b1"].map { try Self.rowId($0, in: store) }
            #expect(try store.lastJobRowID() == rows.max())

            // The same file again (intake resumed after a crash): its report, nothing inserted.
            let again = try store.commitFiles([a], policy: Fixture.policy, now: Self.now.addingTimeInterval(60))
            #expect(try again.map { try $0.get() } == [.alreadyCommitted(reportA)])
            #expect(try store.lastJobRowID() == rows.max())
            #expect(try store.stateCounts()[.queued] == 3)

            // A file whose jobs went in batch by batch is completed on its own.
            let reportC = FileReport(file: "c.jsonl", accepted: 7, duplicates: 2, campaign: "cc")
            #expect(try store.completedIntake(key: "key-c") == nil)
            try store.completeIntake(key: "key-c", name: "c.jsonl", report: reportC, now: Self.now)
            #expect(try store.completedIntake(key: "key-c") == reportC)
        }
    }

    // MARK: Reading

    @Test(arguments: StoreBackend.all)
    func jobsAreListedNewestFirstAndACampaignIsPagedByRowId(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            try Self.queue(
                [
                    Self.notify("p1", campaign: "c1"), Self.notify("p2", callee: "+8613800000002", campaign: "c2"),
                    Self.notify("p3", callee: "+8613800000003", campaign: "c1"), Self.notify("p4", callee: "+8613800000004", campaign: "c1"),
                    Self.verify("p5"),
                ], in: store)
            #expect(try store.jobs(state: nil, campaign: nil, limit: 10).map(\.jobId) == ["p5", "p4", "p3", "p2", "p1"])
            #expect(try store.jobs(state: nil, campaign: "c1", limit: 2).map(\.jobId) == ["p4", "p3"])
            try Self.cancel(["p3"], in: store)
            #expect(try store.jobs(state: .canceled, campaign: nil, limit: 10).map(\.jobId) == ["p3"])
            #expect(try store.jobs(state: .queued, campaign: "c1", limit: 10).map(\.jobId) == ["p4", "p1"])
            #expect(try store.jobs(state: .failed, campaign: nil, limit: 10).isEmpty)

            #expect(try store.campaignExists("c1"))
            #expect(try store.campaignExists("c2"))
            #expect(try !store.campaignExists("c3"))
            #expect(try !store.campaignExists("C1"), "campaign names are compared byte for byte")

            let first = try store.campaignJobsPage(campaign: "c1", afterRowID: 0, limit: 2)
            #expect(first.map(\.jobId) == ["p1", "p3"])
            let after = try #require(first.last?.rowId)
            let second = try store.campaignJobsPage(campaign: "c1", afterRowID: after, limit: 2)
            #expect(second.map(\.jobId) == ["p4"])
            let end = try #require(second.last?.rowId)
            #expect(try store.campaignJobsPage(campaign: "c1", afterRowID: end, limit: 2).isEmpty)
            #expect(try store.campaignJobsPage(campaign: "c3", afterRowID: 0, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aCampaignsSummaryAloneIsItsEntryAmongAll(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            try Self.queue(
                [
                    Self.notify("s1", campaign: "c1"), Self.notify("s2", callee: "+8613800000002", campaign: "c1"),
                    Self.notify("s3", callee: "+8613800000003", campaign: "c2"),
                ], in: store)
            try Self.cancel(["s2"], in: store)
            _ = try store.request(.pause(campaign: "c1"), now: Self.now)
            _ = try store.applyPendingIntents(now: Self.now, retryTTL: { _ in .seconds(60) })
            let one = try #require(try store.campaignSummary("c1"))
            let all = try store.campaignSummaries()
            #expect(one == all.first { $0.campaign == "c1" })
            #expect(one.paused && one.total == 2 && one.states == ["queued": 1, "canceled": 1])
            #expect(try store.campaignSummary("c2")?.total == 1)
            #expect(try store.campaignSummary("c2")?.paused == false)
            #expect(try store.campaignSummary("c3") == nil)
            #expect(try store.campaignSummary("C1") == nil, "names are compared byte for byte")
        }
    }

    @Test(arguments: StoreBackend.all)
    func jobsArePagedInRowOrderByStateAndCampaign(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            try Self.queue(
                [
                    Self.notify("q1", campaign: "c1"), Self.notify("q2", callee: "+8613800000002", campaign: "c2"),
                    Self.notify("q3", callee: "+8613800000003", campaign: "c1"), Self.notify("q4", callee: "+8613800000004", campaign: "c1"),
                    Self.verify("q5"),
                ], in: store)
            let first = try store.jobsPage(state: nil, campaign: nil, afterRowID: 0, limit: 2)
            #expect(first.map(\.jobId) == ["q1", "q2"], "oldest first")
            let after = try #require(first.last?.rowId)
            #expect(try store.jobsPage(state: nil, campaign: nil, afterRowID: after, limit: 10).map(\.jobId) == ["q3", "q4", "q5"])
            #expect(try store.jobsPage(state: nil, campaign: "c1", afterRowID: after, limit: 10).map(\.jobId) == ["q3", "q4"])
            try Self.cancel(["q3"], in: store)
            #expect(try store.jobsPage(state: .queued, campaign: "c1", afterRowID: 0, limit: 10).map(\.jobId) == ["q1", "q4"])
            #expect(try store.jobsPage(state: .canceled, campaign: nil, afterRowID: 0, limit: 10).map(\.jobId) == ["q3"])
            #expect(try store.jobsPage(state: .failed, campaign: nil, afterRowID: 0, limit: 10).isEmpty)
            let last = try #require(try store.jobsPage(state: nil, campaign: nil, afterRowID: 0, limit: 10).last?.rowId)
            #expect(try store.jobsPage(state: nil, campaign: nil, afterRowID: last, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func verifyArrivalsAndTheOldestDueQueuedJobOfEachType(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let now = Self.now
            var later = Self.notify("n2", callee: "+8613800000002")
            later.notBefore = now.addingTimeInterval(100)
            try Self.queue([Self.notify("n1"), later], in: store)
            try Self.queue([Self.verify("v0")], in: store, at: now.addingTimeInterval(5))
            try Self.queue([Self.verify("v1", callee: "+8613900000002")], in: store, at: now.addingTimeInterval(10))
            let (v0, v1) = (try Self.rowId("v0", in: store), try Self.rowId("v1", in: store))

            // Verify jobs that arrived after `since`, newest first, at most `limit`.
            let all = try store.verifyArrivals(app: "otp", since: now.addingTimeInterval(-1), limit: 10)
            #expect(all.map(\.0) == [v1, v0])
            #expect(all.map(\.1) == [now.addingTimeInterval(10), now.addingTimeInterval(5)])
            #expect(try store.verifyArrivals(app: "otp", since: now.addingTimeInterval(5), limit: 10).map(\.0) == [v1], "an arrival at `since` is not after it")
            #expect(try store.verifyArrivals(app: "otp", since: now.addingTimeInterval(-1), limit: 1).map(\.0) == [v1])
            #expect(try store.verifyArrivals(app: "reminders", since: now.addingTimeInterval(-1), limit: 10).isEmpty, "notify jobs are not verify arrivals")

            #expect(try store.oldestDueQueued(now: now.addingTimeInterval(-1)).isEmpty, "nothing is due yet")
            #expect(try store.oldestDueQueued(now: now.addingTimeInterval(20)) == [.notify: now, .verify: now.addingTimeInterval(5)])
            // A postponed job waits from its new time; a sent one is no longer queued.
            try store.dispatchTransaction { tx in
                var n1 = try #require(try tx.runnableJobs(app: "reminders", now: now.addingTimeInterval(20), limit: 10, verifyOnly: false).first)
                #expect(n1.jobId == "n1")
                try tx.postpone(&n1, until: now.addingTimeInterval(50), reason: "window", now: now.addingTimeInterval(20))
                var code = try #require(try tx.runnableJobs(app: "otp", now: now.addingTimeInterval(20), limit: 1, verifyOnly: true).first)
                #expect(code.jobId == "v0")
                #expect(try tx.beginAttempt(&code, displayNbr: "+8675528000001", fromPool: true, now: now.addingTimeInterval(20)) != nil)
            }
            #expect(try store.oldestDueQueued(now: now.addingTimeInterval(40)) == [.verify: now.addingTimeInterval(10)])
            #expect(try store.oldestDueQueued(now: now.addingTimeInterval(60)) == [.notify: now.addingTimeInterval(50), .verify: now.addingTimeInterval(10)])
            #expect(try store.oldestDueQueued(now: now.addingTimeInterval(150)) == [.notify: now.addingTimeInterval(50), .verify: now.addingTimeInterval(10)])
        }
    }

    /// `callspool status` and the report's figures: errors newest first
    /// (operator cancels left out), attempts with when their call ended,
    /// and the whole run in numbers.
    @Test(arguments: StoreBackend.all)
    func recentErrorsReportAttemptsAndRunFiguresTellWhatHappened(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let now = Self.now
            func at(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(seconds) }
            try Self.queue(
                [
                    Self.notify("a", campaign: "r"), Self.notify("b", callee: "+8613800000002", campaign: "r"),
                    Self.notify("c", callee: "+8613800000003", campaign: "other"), Self.notify("d", callee: "+8613800000004", ttl: .seconds(60)),
                ], in: store)
            #expect(try store.recentErrors(limit: 10).isEmpty)
            // a: refused for want of ports, sent again, answered, "1", hung up.
            let a1 = try #require(try Self.send(["a"], at: now, in: store)["a"])
            try store.dispatchTransaction { tx in
                try tx.recordFailure(
                    a1, httpStatus: 500, resultcode: "1020154", resultDesc: "no idle port", resultClass: "ports", disposition: .requeue(at: at(10)), now: now)
            }
            // b: refused for good.
            let b1 = try #require(try Self.send(["b"], at: at(5), in: store)["b"])
            try store.dispatchTransaction { tx in
                try tx.recordFailure(
                    b1, httpStatus: 403, resultcode: "1013004", resultDesc: "blacklisted", resultClass: "job",
                    disposition: .fail(code: "1013004", description: "blacklisted"), now: at(5))
            }
            let a2 = try #require(try Self.send(["a"], at: at(10), in: store)["a"])
            #expect(a2.attempt == 2)
            try Self.accept(a2, session: "S-a", at: at(10), in: store)
            _ = try await Self.push(.collectInfo, CallStatusInfo(sessionId: "S-a", timestamp: "2026-11-30 10:00:15", digitInfo: "1"), at: at(15), in: store)
            let ended = try await Self.push(.disconnect, CallStatusInfo(sessionId: "S-a", stateCode: 0, stateDesc: "ok"), at: at(20), in: store)
            #expect(ended.signals.map(\.jobRowId) == [a2.jobRowId])
            // c: canceled by the operator; d: expired unsent.
            try Self.cancel(["c"], at: at(30), in: store)
            #expect(try store.expireQueuedJobs(now: at(100), limit: 10) == [try Self.rowId("d", in: store)])

            let attempts = try store.reportAttempts(campaign: "r")
            #expect(
                attempts == [
                    ReportAttempt(at: now, n: 1, resultClass: "ports", resultcode: "1020154", accepted: false, endedAt: nil),
                    ReportAttempt(at: at(5), n: 1, resultClass: "job", resultcode: "1013004", accepted: false, endedAt: at(5)),
                    ReportAttempt(at: at(10), n: 2, resultClass: "ok", resultcode: "0", accepted: true, endedAt: at(20)),
                ])
            #expect(try store.reportAttempts(campaign: "none").isEmpty)

            let expired = RecentError(id: "d", state: "expired", code: "expired", description: "expired before it could be sent", at: Timestamp.format(at(100)))
            let refused = RecentError(id: "b", state: "failed", code: "1013004", description: "blacklisted", at: Timestamp.format(at(5)))
            #expect(try store.recentErrors(limit: 10) == [expired, refused], "newest first, the canceled job and the completed one left out")
            #expect(try store.recentErrors(limit: 1) == [expired])

            var outcomes: [String: Int] = [:]
            for id in ["a", "b", "c", "d"] {
                if let outcome = try store.jobDetail(id: id)?.job.outcome { outcomes[outcome.rawValue, default: 0] += 1 }
            }
            #expect(outcomes["answered"] == 1, "the call of a ended with stateCode 0")
            var figures = RunFigures()
            figures.states = ["completed": 1, "failed": 1, "canceled": 1, "expired": 1]
            figures.outcomes = outcomes
            figures.digits = ["1": 1]
            figures.requests = 3
            figures.calls = 1
            figures.jobsRetried = 1
            figures.jobsRedialled = 0
            figures.pushBacks = ["ports 1020154": 1, "job 1013004": 1]
            #expect(try store.runFigures() == figures)
        }
    }

    // MARK: Dispatch

    @Test(arguments: StoreBackend.all)
    func runnableJobsComeVerifyFirstThenByPriorityThenAgeAndOnlyWhenDue(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let both = IntakePolicy(applications: [ApplicationRoute(name: "both", types: [.notify, .verify])])
            var high = Self.notify("n-high", callee: "+8613800000002")
            high.priority = 5
            var high2 = Self.notify("n-high2", callee: "+8613800000003")
            high2.priority = 5
            var notYet = Self.notify("n-later", callee: "+8613800000004")
            notYet.notBefore = Self.now.addingTimeInterval(100)
            let short = Self.notify("n-short", callee: "+8613800000005", ttl: .seconds(10))
            try Self.queue([Self.notify("n-low"), high, Self.verify("v1"), high2, Self.verify("v2", callee: "+8613900000002"), notYet, short], in: store, policy: both)
            let later = Self.now.addingTimeInterval(20)
            let (all, codes, two, early) = try store.dispatchTransaction { tx in
                (
                    try tx.runnableJobs(app: "both", now: later, limit: 10, verifyOnly: false).map(\.jobId),
                    try tx.runnableJobs(app: "both", now: later, limit: 10, verifyOnly: true).map(\.jobId),
                    try tx.runnableJobs(app: "both", now: later, limit: 2, verifyOnly: false).map(\.jobId),
                    try tx.runnableJobs(app: "both", now: Self.now, limit: 10, verifyOnly: false).map(\.jobId)
                )
            }
            #expect(all == ["v1", "v2", "n-high", "n-high2", "n-low"], "not due (n-later) and past expiry (n-short) are not runnable")
            #expect(codes == ["v1", "v2"])
            #expect(two == ["v1", "v2"])
            #expect(early == ["v1", "v2", "n-high", "n-high2", "n-low", "n-short"])
            #expect(try store.dispatchTransaction { tx in try tx.runnableJobs(app: "reminders", now: later, limit: 10, verifyOnly: false) }.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func callsHoldPortsUntilTheirDisconnectAndCountAsInProgressUntilTheyEnd(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let callee = "+8613800000061"
            try Self.queue([Self.notify("h1", callee: callee)], in: store)
            try Self.queue([Self.notify("h2", callee: callee)], in: store)
            let h1 = try #require(try Self.send(["h1"], at: Self.now, in: store)["h1"])
            let h2 = try #require(try Self.send(["h2"], at: Self.now.addingTimeInterval(5), in: store)["h2"])
            #expect(try store.callsInProgressByApplication().isEmpty, "dispatching is not yet a call")
            let (calls, oldest) = try store.dispatchTransaction { tx in try tx.notifyCallsToCallee(callee, since: Self.now.addingTimeInterval(-1)) }
            #expect(calls == 2 && oldest == Self.now)
            let sinceFirst = try store.dispatchTransaction { tx in try tx.notifyCallsToCallee(callee, since: Self.now) }
            #expect(sinceFirst.count == 1 && sinceFirst.oldest == Self.now.addingTimeInterval(5))

            try Self.accept(h1, session: "S-h1", in: store)
            try Self.accept(h2, session: "S-h2", in: store)
            #expect(try store.dispatchTransaction { tx in try tx.callsHoldingPorts(app: "reminders") } == [h1.jobRowId, h2.jobRowId])
            #expect(try store.dispatchTransaction { tx in try tx.callsHoldingPorts(app: "otp") }.isEmpty)
            #expect(try store.callsInProgressByApplication() == ["reminders": 2])

            // A disconnect without stateCode frees the port; the job waits in_call for its CDR.
            let freed = try await Self.push(.disconnect, CallStatusInfo(sessionId: "S-h1"), in: store)
            #expect(freed.signals.map(\.jobRowId) == [h1.jobRowId])
            #expect(try store.jobDetail(id: "h1")?.job.state == .inCall)
            #expect(try store.dispatchTransaction { tx in try tx.callsHoldingPorts(app: "reminders") } == [h2.jobRowId])
            #expect(try store.portHoldingJobRowIds(app: "reminders") == [h2.jobRowId])
            #expect(try store.callsInProgressByApplication() == ["reminders": 2])

            _ = try await Self.push(.disconnect, CallStatusInfo(sessionId: "S-h2", stateCode: 0, stateDesc: "ok"), in: store)
            #expect(try store.dispatchTransaction { tx in try tx.callsHoldingPorts(app: "reminders") }.isEmpty)
            #expect(try store.callsInProgressByApplication() == ["reminders": 1])
        }
    }

    @Test(arguments: StoreBackend.all)
    func aTransactionSeesAndChangesPausesAndPausedCampaigns(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let now = Self.now
            try Self.queue([Self.notify("n1", campaign: "c1"), Self.notify("n2", callee: "+8613800000002", campaign: "c2")], in: store)
            #expect(try store.dispatchTransaction { tx in try tx.pausedCampaigns() }.isEmpty)
            _ = try store.request(.pause(campaign: "c1"), now: now)
            _ = try store.applyPendingIntents(now: now) { _ in .seconds(300) }
            let flow = PauseScope.application("reminders", .flow)
            try store.dispatchTransaction { tx in
                #expect(try tx.pausedCampaigns() == ["c1"])
                #expect(try tx.activePauses(now: now).isEmpty)
                try tx.setPause(.campaign("c2"), reason: "operator", code: "x", until: now.addingTimeInterval(60), now: now)
                try tx.setPause(flow, reason: "flow control", code: "1020166", until: nil, now: now)
                // The transaction reads its own writes.
                #expect(Set(try tx.activePauses(now: now).keys) == [.campaign("c2"), flow])
                #expect(Set(try tx.activePauses(now: now.addingTimeInterval(60)).keys) == [flow], "a pause ends at its `until`")
                try tx.clearPause(flow)
                #expect(Set(try tx.activePauses(now: now).keys) == [.campaign("c2")])
            }
            let active = try store.activePauses(now: now)
            #expect(Set(active.keys) == [.campaign("c2")])
            #expect(active[.campaign("c2")]?.reason == "operator" && active[.campaign("c2")]?.code == "x")
            #expect(active[.campaign("c2")]?.until == now.addingTimeInterval(60))

            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try store.dispatchTransaction { tx in
                    try tx.setPause(.global, reason: "never", code: nil, until: nil, now: now)
                    try tx.clearPause(.campaign("c2"))
                    throw Boom()
                }
            }
            #expect(try store.pauses().map(\.scope) == ["campaign:c2"], "a failed transaction's pauses were kept")

            _ = try store.request(.resume(campaign: "c1"), now: now)
            _ = try store.applyPendingIntents(now: now) { _ in .seconds(300) }
            #expect(try store.dispatchTransaction { tx in try tx.pausedCampaigns() }.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func callsWhoseLeaseRanOutBecomeUnknownAndUnknownJobsExpire(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let now = Self.now
            try Self.queue([Self.notify("c1", ttl: .seconds(3600)), Self.notify("c2", callee: "+8613800000002", ttl: .seconds(3600))], in: store)
            let tickets = try Self.send(in: store)
            let (c1, c2) = (try #require(tickets["c1"]), try #require(tickets["c2"]))
            try Self.accept(c1, session: "S-c1", in: store)
            try Self.lose(c2, in: store)
            #expect(try store.callsInProgressByApplication() == ["reminders": 1])

            #expect(try store.expireCallLeases(now: now.addingTimeInterval(60), lease: .seconds(60)).isEmpty, "the lease has not run out")
            #expect(try store.expireCallLeases(now: now.addingTimeInterval(61), lease: .seconds(60)) == [c1.jobRowId])
            let leased = try #require(try store.jobDetail(id: "c1")?.job)
            #expect(leased.state == .unknown)
            #expect(leased.errorDesc?.hasPrefix("no disconnect or CDR within the call lease") == true)
            #expect(try store.callsInProgressByApplication().isEmpty)
            #expect(try store.expireCallLeases(now: now.addingTimeInterval(600), lease: .seconds(60)).isEmpty)

            #expect(try store.expireUnknownJobs(now: now.addingTimeInterval(3599), limit: 10).isEmpty, "not expired yet")
            let first = try store.expireUnknownJobs(now: now.addingTimeInterval(3600), limit: 1)
            #expect(first.count == 1, "at most `limit`")
            let second = try store.expireUnknownJobs(now: now.addingTimeInterval(3600), limit: 10)
            #expect(Set(first + second) == [c1.jobRowId, c2.jobRowId])
            #expect(try store.expireUnknownJobs(now: now.addingTimeInterval(3600), limit: 10).isEmpty)
            for id in ["c1", "c2"] {
                let job = try #require(try store.jobDetail(id: id)?.job)
                #expect(job.state == .expired)
                #expect(job.errorCode == "expired")
                #expect(job.errorDesc == "expired while its outcome was unknown (no answer or callback matched it)")
            }
        }
    }

    /// An `unknown` notify job nothing was heard of for `after`, while the
    /// receiver listened since before its request, is queued again; one
    /// with an event, a verify job, or one sent before the receiver came
    /// up is left alone.
    @Test(arguments: StoreBackend.all)
    func unknownNotifyJobsNothingWasHeardOfAreQueuedAgain(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let now = Self.now
            let day = Duration.seconds(86_400)
            try Self.queue([Self.notify("quiet", ttl: day), Self.notify("heard", callee: "+8613800000002", ttl: day), Self.verify("code", ttl: day)], in: store)
            let tickets = try Self.send(in: store).merging(try Self.send(app: "otp", in: store)) { first, _ in first }
            for id in ["quiet", "heard", "code"] { try Self.lose(try #require(tickets[id]), in: store) }
            // "heard": a push reconciles it (in_call), then its lease runs out: unknown, but with an event.
            let heard = try #require(tickets["heard"])
            _ = try await Self.push(.callout, CallStatusInfo(sessionId: "S-heard", userData: heard.userData), in: store)
            #expect(try store.jobDetail(id: "heard")?.job.state == .inCall)
            #expect(try store.expireCallLeases(now: now.addingTimeInterval(61), lease: .seconds(60)) == [heard.jobRowId])

            let seven = Duration.seconds(7 * 3600)
            let upBefore = now.addingTimeInterval(-60)
            #expect(try store.requeueUnheardUnknownJobs(now: now.addingTimeInterval(3600), after: seven, receiverUpSince: upBefore, limit: 10).isEmpty)
            let late = now.addingTimeInterval(7 * 3600 + 100)
            #expect(
                try store.requeueUnheardUnknownJobs(now: late, after: seven, receiverUpSince: now.addingTimeInterval(1), limit: 10).isEmpty,
                "the receiver came up after the request: a push may have been missed")
            #expect(try store.requeueUnheardUnknownJobs(now: late, after: .zero, receiverUpSince: upBefore, limit: 10).isEmpty, "`after` of zero is off")
            #expect(try store.requeueUnheardUnknownJobs(now: late, after: seven, receiverUpSince: upBefore, limit: 10) == ["quiet"])
            let quiet = try #require(try store.jobDetail(id: "quiet"))
            #expect(quiet.job.state == .queued)
            #expect(quiet.job.nextAttemptAt == late)
            #expect(quiet.job.errorCode == nil)
            #expect(quiet.job.errorDesc?.hasPrefix("requeued: no status event or CDR") == true)
            #expect(quiet.attempts.count == 1, "attempts are kept")
            #expect(try store.jobDetail(id: "heard")?.job.state == .unknown)
            #expect(try store.jobDetail(id: "code")?.job.state == .unknown)
            #expect(try store.requeueUnheardUnknownJobs(now: late, after: seven, receiverUpSince: upBefore, limit: 10).isEmpty)
        }
    }

    // MARK: Callbacks

    /// Events that came while their job was `dispatching` and whose answer
    /// was lost are attached by the sweep once the job is `unknown`; only
    /// events received within `horizon` are looked at.
    @Test(arguments: StoreBackend.all)
    func theSweepAttachesPendingEventsWithinItsHorizon(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let now = Self.now
            try Self.queue([Self.notify("lost")], in: store)
            let ticket = try #require(try Self.send(in: store)["lost"])
            let early = try await Self.push(.disconnect, CallStatusInfo(sessionId: "S-lost", userData: ticket.userData, stateCode: 0, stateDesc: "ok"), in: store)
            #expect(early.pending == 1 && early.signals.isEmpty, "a dispatching job is left to its answer")
            let stray = try await Self.push(.collectInfo, CallStatusInfo(sessionId: "S-stray", timestamp: "t", digitInfo: "9"), in: store)
            #expect(stray.pending == 1)
            try Self.lose(ticket, in: store)
            #expect(try store.reconcilePendingEvents(now: now.addingTimeInterval(100), horizon: 50) == CallbackCommit(), "events older than the horizon are not looked at")
            #expect(try store.jobDetail(id: "lost")?.job.state == .unknown)

            let swept = try store.reconcilePendingEvents(now: now.addingTimeInterval(100), horizon: 200)
            #expect(swept.signals.map(\.jobRowId) == [ticket.jobRowId])
            #expect(swept.pending == 1, "the stray event stays pending")
            let job = try #require(try store.jobDetail(id: "lost")?.job)
            #expect(job.state == .completed && job.sessionId == "S-lost")
            let again = try store.reconcilePendingEvents(now: now.addingTimeInterval(100), horizon: 200)
            #expect(again.signals.isEmpty && again.pending == 1, "an event is applied once")
        }
    }

    @Test(arguments: StoreBackend.all)
    func noncesAreRememberedUntilTheyExpireAndThenForgotten(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let t0: Int64 = 1_800_000_000
            func push(_ nonce: String, expires: Int64, now: Int64) -> CallbackPush {
                let info = CallStatusInfo(sessionId: "S-\(nonce)", timestamp: "t", digitInfo: "1")
                return .init(
                    event: .status(.collectInfo, info), body: "{\"\(nonce)\":1}", now: Self.now,
                    nonce: CallbackNonce(nonce: nonce, created: now, expiresAt: expires, now: now), app: "reminders")
            }
            #expect(try await store.latestCallbackNonceExpiry() == nil)
            #expect(try store.callbackNonceCount() == 0)
            for result in await store.recordCallbacks([push("N1", expires: t0 + 300, now: t0), push("N2", expires: t0 + 900, now: t0)]) {
                _ = try result.get()
            }
            #expect(try store.callbackNonceCount() == 2)
            #expect(try await store.latestCallbackNonceExpiry() == t0 + 900)
            #expect(try await store.isCallbackNonceLive("N1", now: t0 + 300), "live up to and including its expiry")
            #expect(try await !store.isCallbackNonceLive("N1", now: t0 + 301))
            #expect(try await !store.isCallbackNonceLive("N9", now: t0))

            // A later batch forgets the nonces that expired before its time.
            _ = try #require(await store.recordCallbacks([push("N3", expires: t0 + 1_500, now: t0 + 600)]).first).get()
            #expect(try store.callbackNonceCount() == 2)
            #expect(try await store.latestCallbackNonceExpiry() == t0 + 1_500)
            #expect(try await !store.isCallbackNonceLive("N1", now: t0))
            #expect(try await store.isCallbackNonceLive("N2", now: t0 + 600))
        }
    }

    // MARK: Results outbox

    final class Signals: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test(arguments: StoreBackend.all)
    func finishedJobsQueueResultsThatAreCountedSignalledAndCanBeDiscarded(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let signals = Signals()
            let token = store.observeQueuedResults { signals.add() }
            try Self.queue([Self.notify("r1"), Self.notify("r2", callee: "+8613800000002"), Self.notify("r3", callee: "+8613800000003")], in: store)
            #expect(try store.pendingResultCount() == 0)
            #expect(signals.value == 0, "queuing jobs queues no results file")
            try Self.cancel(["r1", "r2"], in: store)
            #expect(try store.pendingResultCount() == 2)
            #expect(try store.pendingResults(limit: 1).count == 1, "at most `limit`")
            // SQLite calls back on commit; PostgreSQL through a notification that arrives a moment later.
            #expect(try await eventually { signals.value >= 1 }, "no signal after a commit that queued results files")
            try store.discardPendingResults()
            #expect(try store.pendingResultCount() == 0)
            #expect(try store.pendingResults(limit: 10).isEmpty)
            #expect(try store.jobDetail(id: "r1")?.job.state == .canceled, "discarding the files leaves the jobs alone")
            withExtendedLifetime(token) {}
        }
    }

    // MARK: Storage

    @Test(arguments: StoreBackend.all)
    func aCheckpointWithoutReadersGivesTheLogBackAndKeepsEveryCommit(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            try Self.queue([Self.notify("w1"), Self.notify("w2", callee: "+8613800000002")], in: store)
            try Self.cancel(["w1"], in: store)
            #expect(try store.checkpointTruncatingWAL())
            #expect(try store.jobDetail(id: "w1")?.job.state == .canceled)
            #expect(try store.stateCounts()[.queued] == 1)
            try Self.cancel(["w2"], in: store)
            #expect(try store.checkpointTruncatingWAL())
            #expect(try store.stateCounts()[.canceled] == 2)
        }
    }
}
