@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

@Suite struct TransitionTests {
    /// docs/states.md's graph, written out independently of the implementation.
    static let allowed: Set<String> = [
        "queued>dispatching", "queued>expired", "queued>canceled",
        "dispatching>in_call", "dispatching>queued", "dispatching>failed", "dispatching>unknown", "dispatching>expired",
        "in_call>completed", "in_call>unknown", "in_call>queued",
        "unknown>in_call", "unknown>completed", "unknown>queued", "unknown>expired",
        "completed>queued", "failed>queued", "expired>queued",
    ]

    static let pairs: [(JobState, JobState)] = JobState.allCases.flatMap { from in JobState.allCases.map { (from, $0) } }

    @Test(arguments: pairs)
    func graphMatchesDesign(from: JobState, to: JobState) {
        #expect(from.canTransition(to: to) == Self.allowed.contains("\(from.rawValue)>\(to.rawValue)"))
    }

    @Test func storeRefusesIllegalTransitionAndKeepsRow() throws {
        let database = try AppDatabase.inMemory()
        var job = try StoreFixtures.insertJob(database, id: "a")
        #expect(throws: IllegalTransition(from: .queued, to: .completed)) {
            try database.write { db in try db.store.transition(&job, to: .completed, now: Date()) }
        }
        let stored = try database.jobs().first
        #expect(stored?.state == .queued)
    }

    @Test func verifyCodeIsErasedOnlyWhenTerminal() throws {
        let database = try AppDatabase.inMemory()
        var job = try StoreFixtures.insertJob(database, id: "v", verifyCode: "482913")
        try database.write { db in try db.store.transition(&job, to: .dispatching, now: Date()) }
        #expect(try database.jobs().first?.payload.storedText.contains("482913") == true)
        try database.write { db in try db.store.transition(&job, to: .failed, now: Date()) }
        let stored = try #require(try database.jobs().first)
        #expect(!stored.payload.storedText.contains("482913"))
        #expect(stored.finishedAt != nil)
        guard case .verify(let payload) = stored.payload.decoded else { Issue.record("payload lost"); return }
        #expect(payload.verifyCode == "")
        #expect(payload.preTone == "p.wav")
    }
}

enum StoreFixtures {
    static func spec(id: String, verifyCode: String? = nil, campaign: String? = nil, callee: String = "+8613800000001") -> JobSpec {
        if let verifyCode {
            return JobSpec(id: id, type: .verify, campaign: campaign, calleeNbr: callee, payload: .verify(.init(preTone: "p.wav", verifyCode: verifyCode)))
        }
        return JobSpec(id: id, type: .notify, campaign: campaign, calleeNbr: callee, payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]))
    }

    @discardableResult
    static func insertJob(_ database: AppDatabase, id: String, verifyCode: String? = nil) throws -> JobRecord {
        _ = try database.insertJobs([spec(id: id, verifyCode: verifyCode)], intakeKey: "k", sourceFile: "f.json", policy: IntakePolicy(), now: Date())
        return try #require(try database.jobs().first { $0.jobId == id })
    }
}
