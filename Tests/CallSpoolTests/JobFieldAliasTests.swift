@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// Job files take the platform's names (`posTone`,
/// `collectContentTriggerReplaying`); the reference's typos are aliases that
/// queue the job as meant and leave a warning naming the right field.
@Suite struct JobFieldAliasTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory() }

    func entries(_ name: String, _ text: String) throws -> [JobFile.Entry] {
        try JobFile.open(try dir.write(name, text)).entries()
    }

    static let verify = #""type":"verify","id":"login-1","calleeNbr":"+8613800000001","verifyCode":"0731","preTone":"pre.wav""#
    static let notify = #""type":"notify","id":"n-1","calleeNbr":"+8613800000001""#

    func notifyPrompt(_ prompt: String) -> String {
        #"{\#(Self.notify),"playInfoList":[{"notifyVoice":"a.wav"},{"notifyVoice":"press_1.wav","collectInd":1,\#(prompt)}]}"#
    }

    @Test func posToneIsTakenAndCarriedToTheRequest() throws {
        let entries = try entries("v.json", #"{\#(Self.verify),"posTone":"post.wav"}"#)
        let entry = try #require(entries.first)
        let job = try entry.result.get()
        #expect(job.payload == .verify(.init(preTone: "pre.wav", posTone: "post.wav", verifyCode: "0731")))
        #expect(entry.warnings.isEmpty)
    }

    @Test func collectContentTriggerReplayingIsTaken() throws {
        let entries = try entries("n.json", notifyPrompt(#""replayAfterCollection":true,"collectContentTriggerReplaying":"9""#))
        let entry = try #require(entries.first)
        guard case .notify(let list) = try entry.result.get().payload else {
            Issue.record("not a notify job")
            return
        }
        #expect(list[1].collectContentTriggerReplaying == "9")
        #expect(list[1].replayAfterCollection == "true")
        #expect(entry.warnings.isEmpty)
    }

    @Test func postOneIsAnAliasWithAWarningNamingPosTone() throws {
        let entry = try #require(try entries("v.json", #"{\#(Self.verify),"postOne":"post.wav"}"#).first)
        #expect(try entry.result.get().payload == .verify(.init(preTone: "pre.wav", posTone: "post.wav", verifyCode: "0731")))
        #expect(entry.warnings.map(\.description) == ["postOne: accepted as an alias; the platform's name is posTone"])
    }

    @Test func collectContentTriggerReplacingIsAnAliasWithAWarning() throws {
        let entry = try #require(try entries("n.json", notifyPrompt(#""replayAfterCollection":true,"collectContentTriggerReplacing":"9""#)).first)
        guard case .notify(let list) = try entry.result.get().payload else {
            Issue.record("not a notify job")
            return
        }
        #expect(list[1].collectContentTriggerReplaying == "9")
        #expect(entry.warnings.map(\.field) == ["playInfoList[1].collectContentTriggerReplacing"])
        #expect(entry.warnings.first?.rule.contains("collectContentTriggerReplaying") == true)
    }

    @Test(arguments: [
        (#"{\#(verify),"postOne":"a.wav","posTone":"b.wav"}"#, "postOne", "posTone"),
        (#"{\#(notify),"playInfoList":[{"notifyVoice":"a.wav","collectInd":1,"replayAfterCollection":true,"collectContentTriggerReplacing":"9","collectContentTriggerReplaying":"8"}]}"#,
         "playInfoList[0].collectContentTriggerReplacing", "collectContentTriggerReplaying"),
    ])
    func bothNamesInOneObjectAreAnError(json: String, field: String, other: String) throws {
        let entry = try #require(try entries("both.json", json).first)
        guard case .failure(let issues) = entry.result else {
            Issue.record("expected a rejection for \(json)")
            return
        }
        let issue = try #require(issues.issues.first { $0.field == field }, "\(issues)")
        #expect(issue.rule.contains(other))
    }

    @Test(arguments: [(#"true"#, "true"), (#""true""#, "true"), (#"false"#, "false"), (#""false""#, "false")])
    func replayAfterCollectionTakesBooleansAndTheirStrings(value: String, sent: String) throws {
        let entry = try #require(try entries("r.json", notifyPrompt(#""replayAfterCollection":\#(value)"#)).first)
        guard case .notify(let list) = try entry.result.get().payload else {
            Issue.record("not a notify job")
            return
        }
        #expect(list[1].replayAfterCollection == sent)
    }

    @Test(arguments: [#""yes""#, #""True""#, "1", #"["true"]"#])
    func replayAfterCollectionRefusesOtherValuesNamingTheField(value: String) throws {
        let entry = try #require(try entries("r.json", notifyPrompt(#""replayAfterCollection":\#(value)"#)).first)
        guard case .failure(let issues) = entry.result else {
            Issue.record("expected a rejection for replayAfterCollection \(value)")
            return
        }
        #expect(issues.issues.map(\.field) == ["playInfoList[1].replayAfterCollection"], "\(issues)")
        #expect(issues.description.contains("true or false"))
    }

    @Test func campaignDefaultsAliasWarnsOnceForTheFile() throws {
        let path = try dir.write("c.json", """
        {"campaign": "otp", "type": "verify",
         "defaults": {"preTone": "pre.wav", "postOne": "post.wav"},
         "jobs": [{"calleeNbr": "+8613800000001", "verifyCode": "1111"},
                  {"calleeNbr": "+8613800000002", "verifyCode": "2222"},
                  {"calleeNbr": "+8613800000003", "verifyCode": "3333", "postOne": "own.wav"}]}
        """)
        let file = try JobFile.open(path)
        #expect(file.defaultsWarnings.map(\.field) == ["defaults.postOne"])
        let entries = try file.entries()
        let tones = try entries.map { entry -> String? in
            guard case .verify(let payload) = try entry.result.get().payload else { return nil }
            return payload.posTone
        }
        #expect(tones == ["post.wav", "post.wav", "own.wav"])
        #expect(entries.map(\.warnings.count) == [0, 0, 1])

        let report = JobFileLinter.lint(path: path)
        #expect(report.isClean)
        #expect(report.accepted == 3)
        #expect(report.warnings.map(\.field) == ["defaults.postOne", "postOne"])
        #expect(report.warnings.map(\.index) == [nil, 2])
        #expect(report.warnings.map(\.id) == [nil, JobFile.campaignJobID(campaign: "otp", callee: "+8613800000003")])
    }

    @Test func campaignDefaultsWithBothNamesRejectTheFile() throws {
        let path = try dir.write("c.json", """
        {"campaign": "otp", "type": "verify", "defaults": {"preTone": "p.wav", "postOne": "a.wav", "posTone": "b.wav"},
         "jobs": [{"calleeNbr": "+8613800000001", "verifyCode": "1111"}]}
        """)
        #expect {
            _ = try JobFile.open(path)
        } throws: { error in
            let reason = (error as? JobFileError)?.reason ?? ""
            return reason.contains("defaults.postOne") && reason.contains("posTone")
        }
    }

    /// `callspool validate`: warnings are listed, yet the file is clean (exit 0).
    @Test func linterListsWarningsWithoutFailingTheFile() throws {
        let path = try dir.write("l.jsonl", """
        {\(Self.verify),"postOne":"post.wav"}
        {"type":"verify","id":"login-2","calleeNbr":"+8613800000002","verifyCode":"12","preTone":"p.wav","posTone":"post.wav"}
        """)
        let report = JobFileLinter.lint(path: path)
        #expect(report.isClean)
        #expect(JobFileLinter.describe(report).isEmpty)
        #expect(JobFileLinter.describeWarnings(report) == [
            "l.jsonl: line 1 (id login-1): warning: postOne: accepted as an alias; the platform's name is posTone",
        ])
        #expect(report.warnings.first?.line == 1)
    }
}
