@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// Job files that `validate` accepts must not wedge intake on any store, and
/// a file a store refuses for good is rejected with a report, never retried
/// forever. Every backend.
@Suite struct IntakeRefusalTests {
    struct Spool {
        let dir: TemporaryDirectory
        let layout: SpoolLayout
        let intake: SpoolIntake

        init(store: any CallStore, batchSize: Int = 5000) throws {
            dir = try TemporaryDirectory()
            layout = SpoolLayout(root: dir.path + "/spool")
            try layout.ensureExists()
            intake = SpoolIntake(
                database: store, layout: layout, policy: StoreConformanceTests.policy, batchSize: batchSize,
                clock: FixedClock(StoreConformanceTests.now))
        }

        func drop(_ name: String, _ lines: [String]) throws {
            let staging = layout.tmp + "/" + name
            try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: staging))
            guard rename(staging, layout.incoming + "/" + name) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }

        func listing(_ directory: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        }
    }

    static let play = #""playInfoList":[{"notifyVoice":"a.wav"}]"#

    static func notify(_ fields: String, callee: String) -> String {
        #"{"type":"notify","calleeNbr":"\#(callee)",\#(play),\#(fields)}"#
    }

    /// One letter and 20,000 combining marks (one `Character`, 40,001 bytes:
    /// PostgreSQL's index refused it), NUL in a campaign name (PostgreSQL
    /// refuses NUL), ESC in `meta`: each is refused for its job, in the
    /// report, and the good job is queued, on every store.
    @Test(arguments: StoreBackend.all)
    func textsAStoreCannotHoldAreRefusedByTheValidator(backend: StoreBackend) async throws {
        try await StoreConformanceTests.withStore(backend) { store in
            let spool = try Spool(store: store)
            let marks = String(repeating: "\u{301}", count: 20_000)
            try spool.drop("t.jsonl", [
                Self.notify(#""id":"e\#(marks)""#, callee: "+8613800000051"),
                Self.notify(#""id":"nul-campaign","campaign":"flu\u0000x""#, callee: "+8613800000052"),
                Self.notify(#""id":"esc-meta","meta":{"note":"\u001b]0;pwned\u0007"}"#, callee: "+8613800000053"),
                Self.notify(#""id":"good""#, callee: "+8613800000054"),
            ])
            guard case .processed(let report) = try spool.intake.process(name: "t.jsonl", settled: true) else {
                Issue.record("not processed")
                return
            }
            #expect(report.accepted == 1)
            try #require(report.rejected.map(\.line) == [1, 2, 3])
            #expect(report.rejected[0].error.contains("id: must be 1–200 bytes in UTF-8"), "\(report.rejected[0].error)")
            #expect(report.rejected[1].error.contains("campaign: must not contain control characters"), "\(report.rejected[1].error)")
            #expect(report.rejected[2].error.contains("meta.note: must not contain control characters"), "\(report.rejected[2].error)")
            #expect(!report.rejected.contains { TextRules.hasControl($0.error) || TextRules.hasControl($0.id ?? "") })
            #expect(try store.jobDetail(id: "good")?.job.state == .queued)
            #expect(spool.listing(spool.layout.incoming).isEmpty)
        }
    }

    /// The store refuses a file's jobs for a reason that will not change (a
    /// trigger stands in for a limit the validator does not know): the file
    /// goes to `rejected/` with the reason, small or streamed.
    @Test(arguments: StoreBackend.all)
    func aFileTheStoreRefusesForGoodIsRejectedWithAReport(backend: StoreBackend) async throws {
        try await StoreConformanceTests.withStore(backend) { store in
            try Self.refuseJob(named: "poison", in: store)
            for batchSize in [5000, 1] {
                let spool = try Spool(store: store, batchSize: batchSize)
                let name = "p\(batchSize).jsonl"
                try spool.drop(name, [
                    Self.notify(#""id":"poison""#, callee: "+8613800000061"),
                    Self.notify(#""id":"fine-\#(batchSize)""#, callee: "+8613800000062"),
                ])
                let result = try spool.intake.process(name: name, settled: true)
                guard case .rejected(let report) = result else {
                    Issue.record("not rejected (batch size \(batchSize)): \(result)")
                    continue
                }
                #expect(report.error?.contains("the store refused it") == true, "\(report.error ?? "")")
                #expect(spool.listing(spool.layout.incoming).isEmpty)
                #expect(spool.listing(spool.layout.rejected).contains(name))
            }
        }
    }

    /// Makes the store refuse, for good, a job with id `id`.
    static func refuseJob(named id: String, in store: any CallStore) throws {
        if let sqlite = store as? AppDatabase {
            try sqlite.write { db in
                try db.execute("CREATE TRIGGER refuse_\(id) BEFORE INSERT ON job WHEN NEW.jobId = '\(id)' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END")
            }
        } else if let postgres = store as? PostgresStore {
            try postgres.write { session in
                try session.execute("""
                    CREATE FUNCTION refuse_\(id)() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN IF NEW.jobId = '\(id)' THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '54000'; END IF; RETURN NEW; END $$
                    """)
                try session.execute("CREATE TRIGGER refuse_\(id) BEFORE INSERT ON job FOR EACH ROW EXECUTE FUNCTION refuse_\(id)()")
            }
        } else {
            Issue.record("no way to make \(type(of: store)) refuse a job")
        }
    }

    /// NFC `é` and NFD `e` + U+0301 are two ids to the store: `validate` and
    /// intake count them as two, on every store (and two campaign names).
    @Test(arguments: StoreBackend.all)
    func idsAreComparedByteForByteAsTheStoreDoes(backend: StoreBackend) async throws {
        try await StoreConformanceTests.withStore(backend) { store in
            let spool = try Spool(store: store)
            let lines = [
                Self.notify(#""id":"caf\u00e9","campaign":"caf\u00e9""#, callee: "+8613800000071"),
                Self.notify(#""id":"cafe\u0301","campaign":"cafe\u0301""#, callee: "+8613800000072"),
                Self.notify(#""id":"caf\u00e9""#, callee: "+8613800000073"),
            ]
            try spool.drop("nf.jsonl", lines)
            let lintPath = spool.dir.path + "/nf.jsonl"
            try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: lintPath))
            let linted = JobFileLinter.lint(path: lintPath)
            #expect(linted.accepted == 2 && linted.duplicates == 1, "validate: \(linted.accepted) accepted, \(linted.duplicates) duplicates")
            guard case .processed(let report) = try spool.intake.process(name: "nf.jsonl", settled: true) else {
                Issue.record("not processed")
                return
            }
            #expect(report.accepted == 2 && report.duplicates == 1, "intake: \(report.accepted) accepted, \(report.duplicates) duplicates")
            #expect(try store.jobDetail(id: "caf\u{E9}")?.job.calleeNbr == "+8613800000071")
            #expect(try store.jobDetail(id: "cafe\u{301}")?.job.calleeNbr == "+8613800000072")
        }
    }
}
