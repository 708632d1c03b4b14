@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Testing
import VoiceCallAPI

/// Verification codes exist only while their job can still be dispatched
/// (issue 12, item 3).
@Suite struct SecretErasureTests {
    static let code = "73519864"

    /// GRDB resets some pragmas on the WAL writer after `prepareDatabase`:
    /// read `secure_delete` back on both kinds of connection.
    @Test func secureDeleteIsOnForWriterAndReaders() throws {
        let dir = try TemporaryDirectory()
        let database = try AppDatabase.open(path: dir.path + "/store.sqlite")
        // A WAL pool: reads run on reader connections, writes on the writer's.
        try #require(database.readsApartFromWriter)
        #expect(try database.write { try $0.scalar(Int.self, "PRAGMA secure_delete") } == 1)
        #expect(try database.read { try $0.scalar(Int.self, "PRAGMA secure_delete") } == 1)
        #expect(try database.read { try $0.scalar(Int.self, "PRAGMA synchronous") } == 2)
        #expect(try database.write { try $0.scalar(Int.self, "PRAGMA synchronous") } == 2)
    }

    /// Before the fix `unknown` jobs had no way to expire: their code stayed
    /// in the store for good.
    @Test func unknownVerifyJobPastItsExpiryExpiresAndLosesItsCode() throws {
        let spool = try SpoolFixture()
        try spool.drop("otp.json", JobText.verify("lost-otp"))
        _ = try spool.intake.process(name: "otp.json", settled: true)
        try Self.move("lost-otp", through: [.dispatching, .unknown], in: spool.database)
        let expiresAt = try #require(spool.database.read { try $0.record(JobRecord.self, "SELECT * FROM job WHERE jobId = ?", ["lost-otp"]) }).expiresAt
        #expect(try spool.database.expireUnknownJobs(now: expiresAt.addingTimeInterval(-1)).isEmpty)
        #expect(try spool.database.expireUnknownJobs(now: expiresAt.addingTimeInterval(1)).count == 1)
        let job = try #require(spool.database.read { try $0.record(JobRecord.self, "SELECT * FROM job WHERE jobId = ?", ["lost-otp"]) })
        #expect(job.state == .expired)
        guard case .verify(let payload)? = job.payload.decoded else {
            Issue.record("payload unreadable")
            return
        }
        #expect(payload.verifyCode.isEmpty)
    }

    /// Before the fix processed/ kept the original file (code in clear, group
    /// readable) and the WAL kept the code until some later checkpoint.
    @Test func afterAVerifyJobCompletesNoCodeInStoreWALOrProcessed() throws {
        let dir = try TemporaryDirectory()
        let storePath = dir.path + "/store.sqlite"
        let database = try AppDatabase.open(path: storePath)
        let layout = SpoolLayout(root: dir.path + "/spool")
        try layout.ensureExists()
        let intake = SpoolIntake(database: database, layout: layout, clock: FixedClock(Date(timeIntervalSince1970: 1_800_000_000)))
        let staging = layout.tmp + "/otp.jsonl"
        try Data((#"{"type":"verify","id":"otp-1","calleeNbr":"+8613800000001","verifyCode":"\#(Self.code)","preTone":"p.wav"}"# + "\n").utf8)
            .write(to: URL(fileURLWithPath: staging))
        #expect(chmod(staging, 0o640) == 0)
        #expect(rename(staging, layout.incoming + "/otp.jsonl") == 0)
        guard case .processed(let report) = try intake.process(name: "otp.jsonl", settled: true) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 1)
        // The kept copy: code replaced, owner-only.
        let kept = layout.processed + "/otp.jsonl"
        let text = try String(contentsOfFile: kept, encoding: .utf8)
        #expect(text.contains(#""verifyCode":"[erased]""#))
        var info = stat()
        #expect(stat(kept, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        try Self.move("otp-1", through: [.dispatching, .inCall, .completed], in: database)
        let service = SecretErasureService(database: database, clock: FixedClock(Date(timeIntervalSince1970: 1_800_000_000)), logger: Logger(label: "test"))
        #expect(try service.runOnce(checkpointed: nil) != nil)
        for path in [storePath, storePath + "-wal", kept, layout.processed + "/otp.jsonl.report.json"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
            #expect(bytes.range(of: Data(Self.code.utf8)) == nil, "\(path) holds the code")
        }
        let walSize = (try? FileManager.default.attributesOfItem(atPath: storePath + "-wal")[.size] as? Int) ?? 0
        #expect(walSize == 0, "the WAL was not truncated")
    }

    @Test func redactorReplacesEveryVerifyCodeValueAndNothingElse() {
        let input = #"{"verifyCode":"1234","x":"verifyCode","verify\u0043ode" : 5678,"n":{"verifyCode":"9"}}"# + "\n" + #"{"verifyCode":"12"#
            + "\n" + #"{"a":"verifyCode","verifyCode":"4321"}"#
        var redactor = VerifyCodeRedactor()
        var output: [UInt8] = []
        redactor.feed(Array(input.utf8), into: &output)
        let text = String(decoding: output, as: UTF8.self)
        for secret in ["1234", "5678", "\"9\"", "4321", "\"12"] { #expect(!text.contains(secret), "\(secret) left in \(text)") }
        #expect(text.contains(#""x":"verifyCode""#))
        #expect(redactor.redactions == 5)
    }

    static func move(_ id: String, through states: [JobState], in database: AppDatabase) throws {
        try database.write { db in
            var job = try #require(try db.record(JobRecord.self, "SELECT * FROM job WHERE jobId = ?", [id]))
            for state in states { try db.store.transition(&job, to: state, now: Date(timeIntervalSince1970: 1_800_000_100)) }
        }
    }
}
