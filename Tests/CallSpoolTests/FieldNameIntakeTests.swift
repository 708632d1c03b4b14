@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// The spool intake's side of the field-name fix: the alias warning reaches
/// `NAME.report.json`, the tone reaches the store, and reports kept in the
/// store from before `warnings` existed still read.
@Suite struct FieldNameIntakeTests {
    @Test func intakeWritesAliasWarningsIntoTheReportFile() throws {
        let spool = try SpoolFixture()
        try spool.drop("otp.jsonl", """
        {"type":"verify","id":"login-1","calleeNbr":"+8613800000001","verifyCode":"1234","preTone":"p.wav","postOne":"post.wav"}
        {"type":"verify","id":"login-2","calleeNbr":"+8613800000002","verifyCode":"1234","preTone":"p.wav","postOne":"a.wav","posTone":"b.wav"}
        """)
        guard case .processed(let report) = try spool.intake.process(name: "otp.jsonl", settled: false) else {
            Issue.record("not processed")
            return
        }
        #expect(report.accepted == 1)

        let data = try Data(contentsOf: URL(fileURLWithPath: spool.layout.processed + "/otp.jsonl.report.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // The contract's keys are unchanged; warnings is added beside them.
        #expect(Set(json.keys) == ["file", "accepted", "duplicates", "rejected", "campaign", "warnings", "rejectedByReason"])
        #expect(json["rejectedByReason"] as? [String: Int] == ["invalid": 1], "the rejected line, grouped by reason")
        let warnings = try #require(json["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["line"] as? Int == 1)
        #expect(warnings.first?["id"] as? String == "login-1")
        #expect(warnings.first?["field"] as? String == "postOne")
        #expect(warnings.first?["warning"] as? String == "postOne: accepted as an alias; the platform's name is posTone")
        let rejected = try #require(json["rejected"] as? [[String: Any]])
        #expect(rejected.first?["line"] as? Int == 2)
        #expect((rejected.first?["error"] as? String)?.contains("posTone") == true)

        let stored = try #require(try spool.database.jobDetail(id: "login-1")?.job)
        #expect(stored.payload.storedText.contains(#""posTone":"post.wav""#))
        #expect(!stored.payload.storedText.contains("postOne"))
        guard case .verify(let payload)? = stored.payload.decoded else {
            Issue.record("stored payload unreadable: \(stored.payload)")
            return
        }
        #expect(payload.posTone == "post.wav")
    }

    @Test func aCleanFileHasAnEmptyWarningsList() throws {
        let spool = try SpoolFixture()
        try spool.drop("one.json", JobText.verify("login-1"))
        _ = try spool.intake.process(name: "one.json", settled: false)
        let data = try Data(contentsOf: URL(fileURLWithPath: spool.layout.processed + "/one.json.report.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((json["warnings"] as? [Any])?.isEmpty == true)
    }

    /// Reports committed to the store by the previous version (no `warnings`
    /// key) are read again when intake resumes after a crash.
    @Test func reportsWithoutWarningsStillDecode() throws {
        let old = #"{"accepted":2,"campaign":null,"duplicates":0,"file":"a.jsonl","rejected":[{"error":"calleeNbr: is required","line":3}]}"#
        let report = try JSONDecoder().decode(FileReport.self, from: Data(old.utf8))
        #expect(report.accepted == 2)
        #expect(report.warnings.isEmpty)
        #expect(report.rejected.first?.line == 3)
    }

    @Test func warningsAreCappedLikeRejections() {
        var report = FileReport(file: "big.json")
        let issue = ValidationIssue(field: "postOne", rule: "accepted as an alias; the platform's name is posTone")
        for index in 0..<(FileReport.maxListedWarnings + 5) {
            report.warn(.init(position: .index(index), id: nil, issue: issue))
        }
        #expect(report.warnings.count == FileReport.maxListedWarnings)
        #expect(report.warningsNotListed == 5)
        #expect(report.warningCount == FileReport.maxListedWarnings + 5)
    }
}
