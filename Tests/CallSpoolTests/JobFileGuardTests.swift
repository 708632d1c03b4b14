@testable import CallSpool
@testable import CallSpoolCore
import Foundation
import Testing
import VoiceCallAPI

/// Job files and the guard: numbers read in E.164 (with a warning when
/// rewritten), `optOut` checked against what the prompts collect, and a
/// report that says how many jobs were dropped and why.
@Suite struct JobFileGuardTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory() }

    func entries(_ name: String, _ text: String) throws -> [JobFile.Entry] {
        try JobFile.open(try dir.write(name, text)).entries()
    }

    static let prompt = #"{"templateId":"t","templateParas":["x"],"collectInd":1}"#

    @Test func aLocallyWrittenNumberIsRewrittenWithAWarningAndItsIdUsesTheE164Form() throws {
        let found = try entries("c.json", """
            {"campaign":"flu","type":"notify","defaults":{"playInfoList":[\(Self.prompt)]},
             "jobs":[{"calleeNbr":"0086 138-0000-0001"},{"calleeNbr":"+8613800000002"}]}
            """)
        let first = try #require(try found.first?.result.get())
        #expect(first.calleeNbr == "+8613800000001")
        #expect(first.id == JobFile.campaignJobID(campaign: "flu", callee: "+8613800000001"), "the same id as the E.164 spelling")
        #expect(found[0].warnings.map(\.field) == ["calleeNbr"])
        #expect(found[0].warnings.first?.rule.contains("0013") != true)
        #expect(found[1].warnings.isEmpty)
    }

    @Test(arguments: [
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"templateId":"t","templateParas":["x"],"collectInd":1}],"optOut":{"digits":"9"}}"#, nil),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"templateId":"t","templateParas":["x"]}],"optOut":{"digits":"9"}}"#, "collects keys"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"templateId":"t","templateParas":["x"],"collectInd":1}],"optOut":{"digits":"99"}}"#, "collect at most 1"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"templateId":"t","templateParas":["x"],"collectInd":1}],"optOut":{"digits":"x"}}"#, "keys 0–9"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"templateId":"t","templateParas":["x"],"collectInd":1}],"optOut":{}}"#, "is required"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"templateId":"t","templateParas":["x"],"collectInd":1}],"optOut":{"digits":"9","key":1}}"#, "key"),
        (#"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"1234","preTone":"p.wav","optOut":{"digits":"9"}}"#, "notify jobs"),
    ] as [(String, String?)])
    func optOutIsCheckedAgainstThePrompts(_ json: String, _ problem: String?) throws {
        let entry = try #require(try entries("o.json", json).first)
        switch (entry.result, problem) {
        case (.success(let spec), nil):
            #expect(spec.optOutDigits == "9")
        case (.failure(let issues), let problem?):
            #expect(issues.description.contains(problem), "\(issues.description)")
            #expect(issues.issues.contains { $0.field.hasPrefix("optOut") }, "\(issues.issues.map(\.field))")
        default:
            Issue.record("\(json): \(entry.result)")
        }
    }

    @Test func campaignDefaultsGiveEveryJobItsOptOut() throws {
        let found = try entries("c.json", """
            {"campaign":"flu","type":"notify","defaults":{"playInfoList":[\(Self.prompt)],"optOut":{"digits":"9"}},
             "jobs":[{"calleeNbr":"+8613800000001"},{"calleeNbr":"+8613800000002"}]}
            """)
        #expect(try found.map { try $0.result.get().optOutDigits } == ["9", "9"])
    }

    @Test func validateRejectsCalleesOutsideThePrefixesAndSummarisesByReason() throws {
        let path = try dir.write("mixed.jsonl", """
            {"type":"notify","calleeNbr":"+8613800000001","playInfoList":[\(Self.prompt)]}
            {"type":"notify","calleeNbr":"+14155550100","playInfoList":[\(Self.prompt)]}
            {"type":"notify","calleeNbr":"+14155550101","playInfoList":[\(Self.prompt)]}
            {"type":"notify","calleeNbr":"bogus","playInfoList":[\(Self.prompt)]}
            """)
        let report = JobFileLinter.lint(path: path, callGuard: Configuration.Guard())
        #expect(report.accepted == 1)
        #expect(report.rejectedByReason == ["callee_prefix": 2, "invalid": 1])
        #expect(report.rejected.map(\.line) == [2, 3, 4])
        #expect(report.rejected.first?.error.contains("callee_prefixes") == true)
        #expect(JobFileLinter.rejectionSummary(report) == "3 jobs rejected: 2 callee_prefix, 1 invalid; 1 would be queued")
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains(#""reason":"callee_prefix""#) && json.contains(#""rejectedByReason""#))
        let decoded = try JSONDecoder().decode(FileReport.self, from: Data(json.utf8))
        #expect(decoded.rejectedByReason == report.rejectedByReason)
        #expect(JobFileLinter.lint(path: path).rejectedCount == 1, "without a guard only the format is checked")
    }
}
