@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// A request's jobs on every store (``StoreBackend/all``): what the store
/// reads back must compare equal to what was submitted (a retried request is
/// answered with the existing job on PostgreSQL too, timestamps and
/// payloads round-tripped), and the store's own intake checks (the
/// suppression list) reach the answer.
@Suite struct APISubmissionStoreTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let policy = IntakePolicy(applications: [ApplicationRoute(name: "reminders", types: [.notify]), ApplicationRoute(name: "otp", types: [.verify])])

    static func notify(_ id: String, callee: String = "+8613800000001", voice: String = "a.wav") -> [UInt8] {
        Array(#"{"type":"notify","id":"\#(id)","calleeNbr":"\#(callee)","notBefore":"2027-01-15T09:00:00.123+08:00","playInfoList":[{"notifyVoice":"\#(voice)"}]}"#.utf8)
    }

    static func submit(_ bytes: [UInt8], on store: any CallStore, format: APISubmission.Format = .json) throws -> APISubmission.Outcome {
        try APISubmission.submit(bytes, format: format, client: "shop", policy: policy, database: store, now: now)
    }

    @Test(arguments: StoreBackend.all)
    func aRetryIsTheExistingJobAndAnotherCallUnderItsIdAConflict(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        let first = try Self.submit(Self.notify("r1"), on: store)
        #expect(first.created == [.init(id: "r1", state: "queued")])
        let again = try Self.submit(Self.notify("r1"), on: store)
        #expect(again.created.isEmpty)
        #expect(again.existing == [.init(id: "r1", state: "queued")])
        let other = try Self.submit(Self.notify("r1", voice: "b.wav"), on: store)
        #expect(other.existing.isEmpty)
        #expect(other.conflicts.map(\.field) == ["id"])
        #expect(try store.stateCounts()[.queued] == 1)
    }

    @Test(arguments: StoreBackend.all)
    func aSuppressedCalleeIsRejectedNamingTheField(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        _ = try store.suppress([SuppressionRecord(number: "+8613800000009", scope: "", reason: "asked", source: .operator, createdAt: Self.now, createdBy: "alice")])
        let lines = [Self.notify("s1"), Self.notify("s2", callee: "+8613800000009")].map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        let outcome = try Self.submit(Array(lines.utf8), on: store, format: .ndjson)
        #expect(outcome.created.map(\.id) == ["s1"])
        #expect(outcome.rejected.map(\.field) == ["calleeNbr"])
        #expect(outcome.rejected.map(\.index) == [1])
        #expect(try store.jobDetail(id: "s2") == nil)
    }

    /// A job without an id, sent with an Idempotency-Key.
    static let anonymous = Array(#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}]}"#.utf8)

    @Test(arguments: StoreBackend.all)
    func aKeyedRequestRunsOnceAndAnotherBodyUnderItsKeyIsRefused(_ backend: StoreBackend) throws {
        let (store, cleanup) = try backend.make()
        defer { cleanup() }
        func submit(_ bytes: [UInt8], key: String, client: String = "shop") throws -> APISubmission.KeyedSubmission {
            try APISubmission.submitOnce(bytes, format: .json, key: key, client: client, policy: Self.policy, database: store, now: Self.now)
        }
        guard case .ran(let first) = try submit(Self.anonymous, key: "k1") else { Issue.record("the first request runs"); return }
        #expect(first.created.count == 1 && first.status == 201)
        #expect(try submit(Self.anonymous, key: "k1") == .repeated(first), "the first outcome again, 201 and all")
        #expect(try submit(Self.notify("other"), key: "k1") == .keyReused)
        #expect(try store.jobDetail(id: "other") == nil)
        guard case .ran(let crm) = try submit(Self.anonymous, key: "k1", client: "crm") else { Issue.record("keys are per client"); return }
        #expect(crm.existing.map(\.id) == first.created.map(\.id), "the same generated id: already there")
        #expect(try store.stateCounts()[.queued] == 1)
    }

    @Test func aDocumentThatIsNoJobFileIsRefusedWhole() throws {
        let store = try AppDatabase.inMemory()
        let outcome = try Self.submit(Array("[1, 2]".utf8), on: store)
        #expect(outcome.documentError?.contains("expected a JSON object") == true, "\(outcome)")
        #expect(outcome.created.isEmpty)
    }
}
