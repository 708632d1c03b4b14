import Foundation
import GRDB
import Testing

@testable import CallSpool

/// The hand-written row coding of ``JobRecord`` stores what the schema and
/// every raw-SQL query expect (epoch seconds, raw enum strings, 0/1) and
/// reads back exactly what was written, with and without optional values.
@Suite struct JobRecordRowTests {
    static func record(full: Bool) -> JobRecord {
        let base = Date(timeIntervalSince1970: 1_790_000_000.25)
        return JobRecord(
            id: nil, jobId: full ? "full" : "bare", type: full ? .verify : .notify, classRank: full ? 0 : 1,
            campaign: nil, priority: full ? 7 : 0, state: full ? .completed : .queued, outcome: full ? .noAnswer : nil,
            stateCode: full ? 8101 : nil, stateDesc: full ? "no answer" : nil, calleeNbr: "+8613800000001",
            displayNbr: full ? "+8675528000088" : nil, payload: #"{"notify":{"playInfoList":[]}}"#, meta: full ? #"{"row":1}"# : nil,
            window: full ? #"{"start":"09:00","end":"20:00","tz":"Asia/Shanghai"}"# : nil,
            redial: full ? #"{"maxAttempts":2,"interval":"10m","on":["no_answer"]}"# : nil,
            notBefore: full ? base.addingTimeInterval(-60) : nil, expiresAt: base.addingTimeInterval(300), nextAttemptAt: base,
            attempts: full ? 2 : 0, calls: full ? 1 : 0, digits: full ? #"["1","23"]"# : "[]", errorCode: full ? "1013004" : nil,
            errorDesc: full ? "blacklisted" : nil, sessionId: full ? "1200_1@sim" : nil, cancelRequested: full,
            sourceFile: full ? "a.json" : nil, intakeKey: full ? "key" : nil, createdAt: base.addingTimeInterval(-120),
            updatedAt: base, finishedAt: full ? base.addingTimeInterval(1) : nil)
    }

    @Test(arguments: [true, false])
    func roundTripsEveryColumn(full: Bool) throws {
        let database = try AppDatabase.inMemory()
        var job = Self.record(full: full)
        try database.writer.write { db in try job.insert(db) }
        let rowID = try #require(job.id)
        let read = try database.reader.read { db in try JobRecord.fetchOne(db, key: rowID) }
        #expect(read == job)
        // Another projection goes through the by-name path and reads the same.
        let projected = try database.reader.read { db in try JobRecord.fetchOne(db, sql: "SELECT updatedAt, * FROM job") }
        #expect(projected == job)
    }

    @Test func storesTheEncodingsRawQueriesRelyOn() throws {
        let database = try AppDatabase.inMemory()
        var job = Self.record(full: true)
        try database.writer.write { db in try job.insert(db) }
        let row = try #require(try database.reader.read { db in
            try Row.fetchOne(db, sql: "SELECT state, outcome, type, cancelRequested, expiresAt, typeof(expiresAt) AS kind FROM job")
        })
        #expect(row["state"] as String == "completed")
        #expect(row["outcome"] as String == "no_answer")
        #expect(row["type"] as String == "verify")
        #expect(row["cancelRequested"] as Int == 1)
        #expect(row["expiresAt"] as Double == 1_790_000_300.25)
        #expect(row["kind"] as String == "real")
    }

    @Test func aValueOutsideTheEnumIsAnErrorNotACrash() throws {
        let database = try AppDatabase.inMemory()
        var job = Self.record(full: false)
        try database.writer.write { db in try job.insert(db) }
        // The CHECK constraint guards `state`; `outcome` is checked too, so bypass with a view-like select.
        #expect(throws: JobRowError.self) {
            try database.reader.read { db in
                try JobRecord.fetchOne(db, sql: "SELECT *, 'sideways' AS state FROM (SELECT id, jobId, type, classRank, campaign, priority, outcome, stateCode, stateDesc, calleeNbr, displayNbr, payload, meta, window, redial, notBefore, expiresAt, nextAttemptAt, attempts, calls, digits, errorCode, errorDesc, sessionId, cancelRequested, sourceFile, intakeKey, createdAt, updatedAt, finishedAt FROM job)")
            }
        }
    }
}
