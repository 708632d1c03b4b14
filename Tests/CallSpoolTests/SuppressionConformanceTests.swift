@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// The suppression list, DTMF opt-out and the guard's counts on every
/// backend of ``StoreBackend/all``: the driver rows (``StoreTransaction``),
/// the store's operations (``CallStore``) and the scheduler's reads
/// (``DispatchTransaction``). Time is only the injected `now:`.
@Suite struct SuppressionConformanceTests {
    typealias Fixture = StoreConformanceTests
    typealias Operations = StoreOperationConformanceTests
    typealias Driver = StoreDriverConformanceTests
    static let now = Fixture.now

    /// A collectInfo push with a body of its own (identical bodies are one push).
    static func press(_ digits: String, session: String, in store: any CallStore) async throws {
        let info = CallStatusInfo(sessionId: session, digitInfo: digits)
        let body = "{\"sessionId\":\"\(session)\",\"digitInfo\":\"\(digits)\",\"n\":\"\(UUID().uuidString)\"}"
        let results = await store.recordCallbacks([.init(event: .status(.collectInfo, info), body: body, now: now, app: "reminders")])
        _ = try #require(results.first).get()
    }

    static func entry(_ number: String, scope: String = "", reason: String = "asked", source: SuppressionSource = .operator, at: Date = now) -> SuppressionRecord {
        SuppressionRecord(number: number, scope: scope, reason: reason, source: source, createdAt: at, createdBy: "alice")
    }

    @Test(arguments: StoreBackend.all)
    func suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        let inserted = try Driver.writing(store) { rows in
            try rows.insertSuppressions([
                Self.entry("+8613800000002"), Self.entry("+8613800000001"), Self.entry("+8613800000001", scope: "flu-*"),
                Self.entry("+8613800000001", reason: "again"),  // the same key twice: once
            ])
        }
        #expect(inserted.map(\.key) == [
            SuppressionKey(number: "+8613800000002", scope: ""), SuppressionKey(number: "+8613800000001", scope: ""),
            SuppressionKey(number: "+8613800000001", scope: "flu-*"),
        ])
        let again = try Driver.writing(store) { rows in try rows.insertSuppressions([Self.entry("+8613800000002", reason: "other")]) }
        #expect(again.isEmpty, "a listed key is left as it is")
        try Driver.writing(store) { (rows) throws in
            #expect(try rows.suppressionCount() == 3)
            let found = try rows.suppressions(of: ["+8613800000001", "+8613900000000"])
            #expect(found.map(\.scope) == ["", "flu-*"], "every scope of the number, in key order")
            #expect(found.first?.reason == "asked" && found.first?.createdBy == "alice" && found.first?.createdAt == Self.now)
            let first = try rows.suppressionPage(after: nil, limit: 2)
            #expect(first.map(\.key) == [SuppressionKey(number: "+8613800000001", scope: ""), SuppressionKey(number: "+8613800000001", scope: "flu-*")])
            let rest = try rows.suppressionPage(after: first.last?.key, limit: 2)
            #expect(rest.map(\.number) == ["+8613800000002"])
            let removed = try rows.deleteSuppressions([SuppressionKey(number: "+8613800000001", scope: "flu-*"), SuppressionKey(number: "+8613700000000", scope: "")])
            #expect(removed.map(\.key) == [SuppressionKey(number: "+8613800000001", scope: "flu-*")], "only what was listed")
            try rows.appendSuppressionAudit([
                SuppressionAuditRecord(action: .add, number: "+8613800000001", scope: "", reason: "asked", source: .operator, actor: "alice", at: Self.now),
                SuppressionAuditRecord(
                    action: .remove, number: "+8613800000001", scope: "flu-*", reason: "mistake", source: .operator, actor: "bob", jobId: "j1", campaign: "c",
                    at: Self.now.addingTimeInterval(1)),
            ])
            let audit = try rows.suppressionAudit(number: "+8613800000001", limit: 10)
            #expect(audit.map(\.action) == [.remove, .add], "newest first")
            #expect(audit.first?.actor == "bob" && audit.first?.jobId == "j1" && audit.first?.campaign == "c" && audit.first?.reason == "mistake")
        }
        try Driver.withDriver(store) { (driver) throws in
            func read<D: StoreDriver>(_ driver: D) throws -> Int { try driver.reading { try $0.suppressionCount() } }
            #expect(try read(driver) == 2, "a read-only transaction reads the rows")
        }
    }

    @Test(arguments: StoreBackend.all)
    func theListIsChangedInBatchesAndEveryChangeIsAudited(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        let numbers = (0..<12_000).map { String(format: "+86138%08d", $0) }
        #expect(try store.suppress(numbers.map { Self.entry($0, source: .import) }) == 12_000, "more than one batch")
        #expect(try store.suppress([Self.entry(numbers[0]), Self.entry(numbers[0], scope: "flu")]) == 1, "only the new key")
        #expect(try store.suppressionCount() == 12_001)
        #expect(try store.suppressions(of: [numbers[0]]).map(\.scope) == ["", "flu"])
        #expect(try store.suppressionPage(after: nil, limit: 1).first?.number == numbers[0])
        let removed = try store.unsuppress(
            [SuppressionKey(number: numbers[0], scope: "flu"), SuppressionKey(number: "+8613700000000", scope: "")], reason: "mistake", source: .operator,
            actor: "bob", now: Self.now.addingTimeInterval(5))
        #expect(removed == 1)
        let audit = try store.suppressionAudit(number: numbers[0], limit: 10)
        #expect(audit.map(\.action) == [.remove, .add, .add])
        #expect(audit.first?.actor == "bob" && audit.first?.reason == "mistake" && audit.first?.at == Self.now.addingTimeInterval(5))
        #expect(audit.last?.source == .import)
    }

    /// A suppressed callee is kept out at intake (notify jobs; verify jobs only
    /// with `suppress_verify`), named in the report with its position.
    @Test(arguments: StoreBackend.all)
    func intakeRejectsSuppressedCalleesWithTheirPosition(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        _ = try store.suppress([Self.entry("+8613800000001", reason: "do not call"), Self.entry("+8613800000002", scope: "flu-*")])
        var a = Fixture.notify("a", callee: "+8613800000001", campaign: "flu-2026")
        a.position = .line(1)
        var b = Fixture.notify("b", callee: "+8613800000002", campaign: "flu-2026")
        b.position = .line(2)
        var c = Fixture.notify("c", callee: "+8613800000002", campaign: "dental")
        c.position = .line(3)
        let code = Fixture.verify("v", callee: "+8613800000001")
        let result = try store.insertJobs(
            [a, b, c, code], intakeKey: "k", sourceFile: "f.jsonl", policy: Fixture.policy, now: Self.now, resumedUpTo: 0, completing: FileReport(file: "f.jsonl"))
        #expect(result.accepted == 2, "c (another campaign) and the verify job (exempt)")
        #expect(result.rejections.map(\.id) == ["a", "b"])
        #expect(result.rejections.map(\.line) == [1, 2])
        #expect(result.rejections.allSatisfy { $0.reason == .suppressed })
        #expect(result.rejections.first?.error.contains("suppression list for every campaign") == true, "\(result.rejections.first?.error ?? "")")
        #expect(result.rejections.first?.error.contains("do not call") == true)
        #expect(result.rejections.contains { $0.error.contains("+8613800000001") } == false, "never the number")
        let report = try #require(try store.completedIntake(key: "k"))
        #expect(report.rejectedByReason == ["suppressed": 2], "the committed report groups them")
        #expect(try store.jobDetail(id: "a") == nil && store.jobDetail(id: "c") != nil)

        var strict = Fixture.policy
        strict.callGuard.suppressVerify = true
        let second = try store.insertJobs([Fixture.verify("v2", callee: "+8613800000001")], intakeKey: "k2", sourceFile: "g.jsonl", policy: strict, now: Self.now)
        #expect(second.accepted == 0 && second.rejections.count == 1, "suppress_verify covers verify jobs")
    }

    /// The scheduler's reads: a number suppressed after its job was queued,
    /// and the verify counts per callee, per prefix and per application.
    @Test(arguments: StoreBackend.all)
    func theDispatchTransactionReadsSuppressionsAndCountsCallsAndRefusesJobs(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        try Operations.queue(
            [Operations.verify("v1", callee: "+8613900000001"), Operations.verify("v2", callee: "+8613900000002"), Operations.notify("n1", callee: "+8613900000001")],
            in: store)
        let sent = try Operations.send(app: "otp", in: store)
        #expect(sent.count == 2)
        _ = try Operations.send(app: "reminders", in: store)
        let later = Self.now.addingTimeInterval(30)
        try Operations.queue([Operations.notify("n2", callee: "+8613800000009", campaign: "flu"), Operations.notify("n3", callee: "+8613800000008", campaign: "flu")], in: store)
        _ = try store.suppress([Self.entry("+8613800000009", scope: "flu")])  // after n2 was queued
        try store.dispatchTransaction { tx in
            #expect(try tx.verifyCalls(toCallee: "+8613900000001", since: Self.now.addingTimeInterval(-1)) == 1, "the notify call is not a verify call")
            #expect(try tx.verifyCalls(toCallee: "+8613900000001", since: Self.now) == 0, "after `since` only")
            #expect(try tx.verifyCalls(toPrefix: "+86139000", since: Self.now.addingTimeInterval(-1)) == 2)
            #expect(try tx.verifyCalls(toPrefix: "+86138", since: Self.now.addingTimeInterval(-1)) == 0)
            #expect(try tx.calls(ofApplication: "otp", since: Self.now.addingTimeInterval(-1)) == 2)
            #expect(try tx.calls(ofApplication: "reminders", since: Self.now.addingTimeInterval(-1)) == 1)
            #expect(try tx.suppressions(of: ["+8613800000009", "+8613800000008"]).map(\.scope) == ["flu"], "the listed number only, with its scope")
            var jobs = try tx.runnableJobs(app: "reminders", now: later, limit: 10, verifyOnly: false)
            try #require(jobs.map(\.jobId) == ["n2", "n3"])
            try tx.refuse(&jobs[0], ending: .canceled, errorCode: "suppressed", errorDesc: "not called: listed", now: later)
            try tx.refuse(&jobs[1], ending: .failed, errorCode: "rate_limited", errorDesc: "not called: too many", now: later)
        }
        try Driver.writing(store) { (rows) throws in
            #expect(try rows.verifyCalls(toCallee: "+8613900000002", since: Self.now.addingTimeInterval(-1)) == 1)
            #expect(try rows.verifyCalls(toPrefix: "+861390000", since: Self.now.addingTimeInterval(-1)) == 2)
            #expect(try rows.verifyCalls(toPrefix: "+861390000", since: Self.now.addingTimeInterval(1)) == 0)
            #expect(try rows.calls(ofApplication: "otp", since: Self.now.addingTimeInterval(-1)) == 2)
        }
        let canceled = try #require(try store.jobDetail(id: "n2"))
        #expect(canceled.job.state == .canceled && canceled.job.errorCode == "suppressed" && canceled.attempts.isEmpty)
        let failed = try #require(try store.jobDetail(id: "n3"))
        #expect(failed.job.state == .failed && failed.job.errorCode == "rate_limited" && failed.attempts.isEmpty, "nothing sent")
        #expect(try store.pendingResults().count >= 2, "both have results files")
    }

    /// A press of the job's opt-out keys suppresses its callee (source
    /// `dtmf-opt-out`) in the transaction that records the digits.
    @Test(arguments: StoreBackend.all)
    func anOptOutPressSuppressesTheCalleeOnce(_ backend: StoreBackend) async throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        var spec = Operations.notify("o1", callee: "+8613800000005", campaign: "flu")
        spec.optOutDigits = "9"
        var scoped = Fixture.policy
        scoped.callGuard.optOutScope = .campaign
        try Operations.queue([spec, Operations.notify("o2", callee: "+8613800000006")], in: store, policy: scoped)
        let tickets = try Operations.send(in: store)
        let ticket = try #require(tickets["o1"])
        try Operations.accept(ticket, session: "s-o1", in: store)
        try Operations.accept(try #require(tickets["o2"]), session: "s-o2", in: store)
        try await Self.press("1", session: "s-o1", in: store)
        #expect(try store.suppressions(of: ["+8613800000005"]).isEmpty, "other keys are answers, not an opt-out")
        try await Self.press("9", session: "s-o1", in: store)
        try await Self.press("9", session: "s-o2", in: store)
        let entries = try store.suppressions(of: ["+8613800000005", "+8613800000006"])
        #expect(entries.count == 1, "only the job that asked for opt-out keys")
        let entry = try #require(entries.first)
        #expect(entry.source == .dtmfOptOut && entry.scope == "flu" && entry.jobId == "o1" && entry.campaign == "flu" && entry.createdBy == "callspool")
        #expect(try store.jobDetail(id: "o1")?.job.optedOut == true)
        #expect(try store.jobDetail(id: "o2")?.job.optedOut == false)
        try await Self.press("9", session: "s-o1", in: store)
        #expect(try store.suppressionAudit(number: "+8613800000005", limit: 10).count == 1, "a second press adds nothing")
    }
}
