import Foundation
import Testing
import VoiceCallAPI

@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite

/// ``JobRecord`` goes through GRDB's `Codable` support: every column reads
/// back what was written (nil and JSON values included), the stored
/// encodings are those raw-SQL queries and rows of earlier versions use, and
/// an undecodable payload reads back as such instead of failing the query.
@Suite struct JobRecordTests {
    static let base = Date(timeIntervalSince1970: 1_790_000_000.25)

    static func record(full: Bool) -> JobRecord {
        JobRecord(
            jobId: full ? "full" : "bare", type: full ? .verify : .notify, classRank: full ? 0 : 1,
            campaign: nil, priority: full ? 7 : 0, state: full ? .completed : .queued, outcome: full ? .noAnswer : nil,
            stateCode: full ? 8101 : nil, stateDesc: full ? "no answer" : nil, calleeNbr: "+8613800000001",
            displayNbr: full ? "+8675528000088" : nil,
            payload: full
                ? StoredJobPayload(.verify(.init(preTone: "pre.wav", posTone: "post.wav", times: 2, verifyCode: "4829")))
                : StoredJobPayload(.notify(playInfoList: [PlayContentInfo(notifyVoice: "a/b.wav", collectInd: 1, collectContentTriggerReplaying: "9")])),
            meta: full ? .object(["row": .number(1), "tags": .array([.string("a"), .null]), "nested": .object(["ok": .bool(true)]), "ratio": .number(0.25)]) : nil,
            window: full ? CallingWindow(startMinute: 9 * 60, endMinute: 20 * 60, timeZone: "Asia/Shanghai") : nil,
            redial: full ? RedialPolicy(maxAttempts: 2, interval: .seconds(600), on: [.noAnswer, .busy]) : nil,
            notBefore: full ? base.addingTimeInterval(-60) : nil, expiresAt: base.addingTimeInterval(300), nextAttemptAt: base,
            attempts: full ? 2 : 0, calls: full ? 1 : 0, digits: full ? ["1", "23"] : [], errorCode: full ? "1013004" : nil,
            errorDesc: full ? "blacklisted" : nil, sessionId: full ? "1200_1@sim" : nil, cancelRequested: full,
            sourceFile: full ? "a.json" : nil, intakeKey: full ? "key" : nil, createdAt: base.addingTimeInterval(-120),
            updatedAt: base, finishedAt: full ? base.addingTimeInterval(1) : nil, app: full ? "otp" : nil)
    }

    @Test(arguments: [true, false])
    func roundTripsEveryColumn(full: Bool) throws {
        let database = try AppDatabase.inMemory()
        var job = Self.record(full: full)
        try database.write { db in try db.insert(&job) }
        let rowID = try #require(job.rowId)
        let read = try database.read { db in try db.record(JobRecord.self, key: rowID) }
        #expect(read == job)
        // Columns in another order (and one twice) read the same.
        let projected = try database.read { db in try db.record(JobRecord.self, "SELECT updatedAt, * FROM job") }
        #expect(projected == job)
        // Through the query interface on `JobRecord.Columns.rowId` (the store's keyset pages).
        let filtered = try database.jobsPage(state: nil, campaign: nil, afterRowID: rowID - 1, limit: 1).first
        #expect(filtered == job)
    }

    @Test func updateRewritesEveryColumn() throws {
        let database = try AppDatabase.inMemory()
        var job = Self.record(full: false)
        try database.write { db in try db.insert(&job) }
        var changed = Self.record(full: true)
        changed.rowId = job.rowId
        try database.write { db in try db.update(changed) }
        let read = try database.read { db in try db.record(JobRecord.self, key: job.rowId) }
        #expect(read == changed)
        // And back to nil and empty values.
        try database.write { db in try db.update(job) }
        #expect(try database.read { db in try db.record(JobRecord.self, key: job.rowId) } == job)
    }

    @Test func storesTheEncodingsRawQueriesAndEarlierVersionsUse() throws {
        let database = try AppDatabase.inMemory()
        var job = Self.record(full: true)
        try database.write { db in try db.insert(&job) }
        let row = try #require(try database.read { db in
            try db.row("SELECT *, typeof(expiresAt) AS kind FROM job")
        })
        #expect(try row.value("id", as: Int64.self) == job.rowId)
        #expect(try row.value("state", as: String.self) == "completed")
        #expect(try row.value("outcome", as: String.self) == "no_answer")
        #expect(try row.value("type", as: String.self) == "verify")
        #expect(try row.value("cancelRequested", as: Int.self) == 1)
        #expect(try row.value("expiresAt", as: Double.self) == 1_790_000_300.25)
        #expect(try row.value("kind", as: String.self) == "real")
        #expect(try row.value("digits", as: String.self) == #"["1","23"]"#)
        #expect(try row.value("meta", as: String.self) == #"{"nested":{"ok":true},"ratio":0.25,"row":1,"tags":["a",null]}"#)
        #expect(try row.value("window", as: String.self) == #"{"end":"20:00","start":"09:00","tz":"Asia/Shanghai"}"#)
        #expect(try row.value("redial", as: String.self) == #"{"interval":"10m","maxAttempts":2,"on":["busy","no_answer"]}"#)
        #expect(try row.value("payload", as: String.self) == #"{"verify":{"_0":{"languageType":2,"preTone":"pre.wav","posTone":"post.wav","times":2,"verifyCode":"4829"}}}"#)

        var bare = Self.record(full: false)
        bare.jobId = "bare"
        try database.write { db in try db.insert(&bare) }
        let bareRow = try #require(try database.read { db in try db.row("SELECT * FROM job WHERE jobId = 'bare'") })
        #expect(try bareRow.value("digits", as: String.self) == "[]")
        #expect(try bareRow.value("payload", as: String.self) == #"{"notify":{"playInfoList":[{"notifyVoice":"a/b.wav","collectInd":1,"collectContentTriggerReplaying":"9"}]}}"#)
        for column in ["meta", "window", "redial", "outcome", "notBefore", "finishedAt", "app"] {
            #expect(try bareRow.isNull(column), "\(column)")
        }
    }

    /// A row as intake has always written it (raw SQL, column defaults, JSON
    /// texts in the encoder's key order, a payload with the reference's old
    /// field names) reads into the typed properties.
    @Test func rowsWrittenByEarlierVersionsReadBack() throws {
        let database = try AppDatabase.inMemory()
        try database.write { db in
            try db.execute("""
                INSERT INTO job (jobId, type, classRank, priority, state, calleeNbr, payload, meta, window, redial, expiresAt, nextAttemptAt,
                    createdAt, updatedAt)
                VALUES ('old', 'notify', 1, 0, 'queued', '+8613800000002', ?, ?, ?, ?, 1790000300, 1790000000, 1790000000, 1790000000)
                """,
                [
                    StoredPayloadCompatibilityTests.oldNotify, #"{"customer":"c-1","n":3}"#,
                    #"{"start":"22:00","end":"06:30","tz":"Asia/Shanghai"}"#, #"{"maxAttempts":3,"interval":"1h30m","on":["no_answer"]}"#,
                ])
        }
        let job = try #require(try database.read { db in try db.record(JobRecord.self, "SELECT * FROM job WHERE jobId = ?", ["old"]) })
        #expect(job.digits == [])
        #expect(job.cancelRequested == false)
        #expect(job.app == nil)
        #expect(job.meta == .object(["customer": .string("c-1"), "n": .number(3)]))
        #expect(job.window == CallingWindow(startMinute: 22 * 60, endMinute: 6 * 60 + 30, timeZone: "Asia/Shanghai"))
        #expect(job.redial == RedialPolicy(maxAttempts: 3, interval: .seconds(5400), on: [.noAnswer]))
        guard case .success(.notify(let list)) = job.payload.decode() else {
            Issue.record("payload not decoded: \(job.payload.decode())")
            return
        }
        #expect(list[1].collectContentTriggerReplaying == "9")
    }

    @Test func anUndecodablePayloadReadsBackAndIsWrittenUnchanged() throws {
        let database = try AppDatabase.inMemory()
        var job = Self.record(full: false)
        try database.write { db in
            try db.insert(&job)
            try db.execute("UPDATE job SET payload = 'not json 4829' WHERE id = ?", [job.rowId])
        }
        var read = try #require(try database.read { db in try db.record(JobRecord.self, key: job.rowId) })
        #expect(read.payload.storedText == "not json 4829")
        #expect(read.payload.decode() == .failure(StoredPayloadError(field: nil, problem: .notAPayload)))
        #expect(read.payload.decoded == nil)
        // Other rows of the same query are unaffected.
        var other = Self.record(full: true)
        try database.write { db in try db.insert(&other) }
        #expect(try database.jobsPage(state: nil, campaign: nil, afterRowID: 0, limit: 100).map(\.jobId) == ["bare", "full"])
        // Rewriting the row keeps the text as it was.
        read.attempts = 1
        try database.write { db in try db.update(read) }
        #expect(try database.read { db in try db.scalar(String.self, "SELECT payload FROM job WHERE id = ?", [job.rowId]) }
            == "not json 4829")
        // A field of the wrong type is named; erasure blanks the code in the text.
        let wrongType = StoredJobPayload(storedText: #"{"verify":{"_0":{"languageType":2,"preTone":7,"verifyCode":"4829"}}}"#)
        #expect(wrongType.decode() == .failure(StoredPayloadError(field: "verify.preTone", problem: .wrongType(expected: "a string"))))
        #expect(!wrongType.erasingVerifyCodes().storedText.contains("4829"))
        #expect(read.payload.erasingVerifyCodes().storedText == "{}")
    }

    @Test func erasingBlanksADecodedVerifyCodeAndKeepsTheRest() {
        let verify = StoredJobPayload(.verify(.init(preTone: "pre.wav", posTone: "post.wav", verifyCode: "4829")))
        #expect(verify.erasingVerifyCodes().decoded == .verify(.init(preTone: "pre.wav", posTone: "post.wav", verifyCode: "")))
        let notify = StoredJobPayload(.notify(playInfoList: [PlayContentInfo(notifyVoice: "a.wav")]))
        #expect(notify.erasingVerifyCodes() == notify)
        // The description never shows the text.
        #expect(!"\(verify)".contains("4829"))
    }

    @Test func aValueOutsideTheEnumIsAnErrorNotACrash() throws {
        let database = try AppDatabase.inMemory()
        var job = Self.record(full: false)
        try database.write { db in try db.insert(&job) }
        // The CHECK constraint guards `state`: bypass it with a projection.
        #expect(throws: (any Error).self) {
            try database.read { db in
                try db.record(JobRecord.self, "SELECT *, 'sideways' AS state FROM (SELECT id, jobId, type, classRank, campaign, priority, outcome, stateCode, stateDesc, calleeNbr, displayNbr, payload, meta, window, redial, notBefore, expiresAt, nextAttemptAt, attempts, calls, digits, errorCode, errorDesc, sessionId, cancelRequested, sourceFile, intakeKey, createdAt, updatedAt, finishedAt, app FROM job)")
            }
        }
    }
}

/// The other records' JSON-valued columns: typed in Swift, JSON text in the
/// table, and rows written as text by earlier versions read back.
@Suite struct RecordJSONColumnTests {
    /// Calling windows, redial policies and `meta` are written without a
    /// Foundation coder: the text is what `JSONEncoder` (sorted keys) writes
    /// for their `Encodable` conformance, and reads back equal.
    @Test func windowRedialAndMetaTextsAreTheEncodersOwn() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func check<Value: Codable & Equatable & SQLiteValueConvertible>(_ value: Value) throws {
            let text = try #require(String(sqliteValue: value.sqliteValue))
            #expect(text == String(decoding: try encoder.encode(value), as: UTF8.self))
            #expect(Value(sqliteValue: value.sqliteValue) == value)
        }
        try check(CallingWindow(startMinute: 9 * 60, endMinute: 20 * 60 + 30, timeZone: "Asia/Shanghai"))
        try check(CallingWindow(startMinute: 22 * 60, endMinute: 6 * 60, timeZone: "America/Argentina/Buenos_Aires"))
        try check(RedialPolicy(maxAttempts: 3, interval: .seconds(5400), on: [.noAnswer, .busy, .poweredOff]))
        try check(RedialPolicy(maxAttempts: 1, interval: .milliseconds(1500), on: []))
        try check(JSONValue.object([
            "text": .string("quote \" slash / tab \t é 😀"), "n": .number(-12), "x": .number(0.5), "flag": .bool(false),
            "none": .null, "list": .array([.number(1), .string("2")]),
        ]))
        // A redial policy stored without `on` (older job files) reads the default outcomes.
        #expect(RedialPolicy(sqliteValue: #"{"maxAttempts":2,"interval":"5m"}"#.sqliteValue)
            == RedialPolicy(maxAttempts: 2, interval: .seconds(300), on: RedialPolicy.defaultOutcomes))
        #expect(CallingWindow(sqliteValue: "not json".sqliteValue) == nil)
    }

    @Test func anIntakeFileReportIsStoredAsJSONTextAndReadBack() throws {
        let database = try AppDatabase.inMemory()
        var report = FileReport(file: "in/a b.jsonl", accepted: 2, duplicates: 1, campaign: "spring")
        report.rejected = [FileReport.Rejection(position: .line(3), id: "x", issues: ["calleeNbr is missing"])]
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        try database.completeIntake(key: "k1", name: "a b.jsonl", report: report, now: now)
        let text = try database.read { db in try db.scalar(String.self, "SELECT report FROM intakeFile WHERE intakeKey = 'k1'") }
        #expect(text?.hasPrefix(#"{"accepted":2,"campaign":"spring","duplicates":1,"file":"in/a b.jsonl""#) == true)
        let read = try #require(try database.completedIntake(key: "k1"))
        #expect(read.file == report.file && read.accepted == 2 && read.duplicates == 1 && read.campaign == "spring")
        #expect(read.rejected.map(\.error) == ["calleeNbr is missing"])

        // A report row as an earlier version wrote it (its own encoder, text column).
        try database.write { db in
            try db.execute("INSERT INTO intakeFile (intakeKey, name, report, completedAt) VALUES ('k0', 'old.json', ?, 1790000000)",
                [#"{"accepted":1,"duplicates":0,"file":"old.json","rejected":[]}"#])
        }
        let old = try #require(try database.completedIntake(key: "k0"))
        #expect(old.file == "old.json" && old.accepted == 1 && old.rejected.isEmpty && old.warnings.isEmpty)
    }

    @Test func anApplicationsJobTypesAreAJSONArray() throws {
        let database = try AppDatabase.inMemory()
        // The row the applications migration wrote for the single application.
        try database.write { db in
            try db.execute("""
                INSERT INTO appStatus (app, appKey, types, portsInUse, portLimit, effectivePortLimit, updatedAt)
                VALUES ('default', '', '["notify","verify"]', 0, 0, 0, 1790000000)
                """)
        }
        #expect(try database.appStatus(app: "default")?.types == ["notify", "verify"])
        let record = AppStatusRecord(
            app: "otp", appKey: "ab…", types: ["verify"], portsInUse: 1, portLimit: 2, effectivePortLimit: 2, verifyReserve: nil,
            verifyReserveReason: nil, createdClock: nil, updatedAt: Date(timeIntervalSince1970: 1_790_000_000))
        try database.write { db in
            var inserted = record
            try db.insert(&inserted)
        }
        #expect(try database.read { db in try db.scalar(String.self, "SELECT types FROM appStatus WHERE app = 'otp'") } == #"["verify"]"#)
        #expect(try database.appStatus(app: "otp") == record)
    }
}
