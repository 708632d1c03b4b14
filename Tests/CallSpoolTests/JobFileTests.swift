@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

@Suite struct JobFileTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory() }

    func specs(_ name: String, _ text: String) throws -> [JobFile.Entry] {
        let path = try dir.write(name, text)
        return try JobFile.open(path).entries()
    }

    @Test func singleVerifyJob() throws {
        let entries = try specs("one.json", #"{"type":"verify","id":"login-1","calleeNbr":"+8613800000001","verifyCode":"0731","preTone":"p.wav","ttl":"5m"}"#)
        let job = try #require(try entries.first?.result.get())
        #expect(entries.count == 1)
        #expect(job.id == "login-1")
        #expect(job.type == .verify)
        #expect(job.ttl == .seconds(300))
        #expect(job.payload == .verify(.init(languageType: 2, preTone: "p.wav", verifyCode: "0731")))
        #expect(job.displayNbr == nil)
    }

    @Test func campaignMergesDefaultsAndFillsTemplateParas() throws {
        let entries = try specs("c.json", """
        {"jobs": [{"calleeNbr": "+8613800000003", "templateParas": ["张三"], "meta": {"b": 2}},
                  {"calleeNbr": "+8613800000004", "templateParas": ["李四"], "displayNbr": "+8675528000099", "id": "own"}],
         "campaign": "flu", "type": "notify",
         "defaults": {"displayNbr": "+8675528000088", "meta": {"a": 1, "b": 1},
                      "playInfoList": [{"notifyVoice": "intro.wav"}, {"templateId": "flu_notice", "collectInd": 1}]}}
        """)
        let jobs = try entries.map { try $0.result.get() }
        #expect(jobs.count == 2)
        #expect(jobs[0].id == JobFile.campaignJobID(campaign: "flu", callee: "+8613800000003"))
        #expect(jobs[0].formerID == "flu/+8613800000003")
        #expect(jobs[1].formerID == nil)
        #expect(jobs[0].campaign == "flu")
        #expect(jobs[0].displayNbr == "+8675528000088")
        #expect(jobs[0].meta == #"{"a":1,"b":2}"#)
        guard case .notify(let list) = jobs[0].payload else { Issue.record("not notify"); return }
        #expect(list[0].templateParas == nil)
        #expect(list[1].templateParas == ["张三"])
        #expect(jobs[1].id == "own")
        #expect(jobs[1].displayNbr == "+8675528000099")
        #expect(entries.map(\.position) == [.index(0), .index(1)])
    }

    @Test func campaignBadJobsAreReportedByIndexAndOthersPass() throws {
        var lines: [String] = []
        for index in 0..<2000 {
            let callee = index == 7 ? "12345" : "+86138\(String(format: "%08d", index))"
            lines.append(index == 1500 ? #"{"calleeNbr": "+8613800000001", "colour": "red"}"# : #"{"calleeNbr": "\#(callee)"}"#)
        }
        lines.append("[1, 2]")
        let text = #"{"campaign": "big", "type": "notify", "defaults": {"playInfoList": [{"notifyVoice": "a.wav"}]}, "jobs": ["# + lines.joined(separator: ",\n") + "]}"
        let entries = try specs("big.json", text)
        #expect(entries.count == 2001)
        let failures = entries.compactMap { entry -> JobPosition? in
            if case .failure = entry.result { return entry.position }
            return nil
        }
        #expect(failures == [.index(7), .index(1500), .index(2000)])
    }

    @Test func jsonlSkipsBlankLinesAndCountsLines() throws {
        let entries = try specs("l.jsonl", """
        {"type":"verify","calleeNbr":"+8613800000001","verifyCode":"12","preTone":"p.wav"}

        {"type":"verify","calleeNbr":"+8613800000002","verifyCode":"1","preTone":"p.wav"}
        """)
        #expect(entries.map(\.position) == [.line(1), .line(3)])
        let first = try entries[0].result.get()
        #expect(first.id.hasPrefix("auto-"))
        guard case .failure(let issues) = entries[1].result else { Issue.record("line 3 should fail"); return }
        #expect(issues.issues.map(\.field) == ["verifyCode"])
    }

    @Test func generatedIDsAreStableAcrossReads() throws {
        let text = #"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"12","preTone":"p.wav"}"#
        let first = try specs("same.json", text)[0].result.get().id
        let second = try specs("same.json", text)[0].result.get().id
        let other = try specs("other.json", text)[0].result.get().id
        #expect(first == second)
        #expect(first != other)
    }

    @Test func invalidUTF8LineIsReportedAlone() throws {
        var data = Data(#"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"12","preTone":"p.wav","id":"a"}"#.utf8)
        data.append(0x0A)
        data.append(contentsOf: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D, 0x0A])
        let path = try dir.write("bad.jsonl", data)
        let entries = try JobFile.open(path).entries()
        #expect(entries.count == 2)
        guard case .failure(let issues) = entries[1].result else { Issue.record("line 2 should fail"); return }
        #expect(issues.description.contains("UTF-8"))
    }

    @Test(arguments: [
        ("empty.json", "", "file is empty"),
        ("blank.json", "   \n", "only blanks"),
        ("array.json", "[1,2]", "expected a JSON object"),
        ("garbage.json", "\u{01}\u{02}binary", "expected a JSON object"),
        ("trailing.json", #"{"type":"verify"} extra"#, "after the JSON object"),
        ("cut.json", #"{"campaign":"x","jobs":[{"calleeNbr":"+86"#, "not valid JSON"),
        ("nojobs.json", #"{"campaign":"x"}"#, "jobs: a campaign file needs a jobs array"),
        ("noname.json", #"{"jobs":[]}"#, "needs a campaign name"),
        ("typo.json", #"{"campaign":"x","default":{},"jobs":[]}"#, "did you mean 'defaults'"),
        ("job.txt", "{}", "unknown format"),
    ])
    func unreadableFilesFailWhole(name: String, text: String, message: String) throws {
        let path = try dir.write(name, text)
        #expect {
            _ = try JobFile.open(path)
        } throws: { error in
            (error as? JobFileError)?.reason.contains(message) == true
        }
    }

    @Test func sizeLimitRefusesWithoutReading() throws {
        let path = try dir.write("huge.json", String(repeating: " ", count: 5000) + "{}")
        #expect {
            _ = try JobFile.open(path, maxBytes: 4096)
        } throws: { error in
            (error as? JobFileError)?.reason.contains("over the limit of 4096") == true
        }
    }

    @Test(arguments: [
        (#"{"type":"notify","calleeNbr":"+8613800000001","verifyCode":"12","playInfoList":[{"notifyVoice":"a.wav"}]}"#, "verifyCode"),
        (#"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"12","preTone":"p.wav","playInfoList":[]}"#, "playInfoList"),
        (#"{"type":"sms","calleeNbr":"+8613800000001"}"#, "type"),
        (#"{"calleeNbr":"+8613800000001"}"#, "type"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"templateId":"t"}]}"#, "playInfoList[0].templateParas"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"templatId":"t","templateParas":["a"]}]}"#, "playInfoList[0].templatId"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav","volume":3}]}"#, "playInfoList[0].volume"),
        (#"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"12","preTone":"p.wav","ttl":"5 minutes"}"#, "ttl"),
        (#"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"12","preTone":"p.wav","times":"2"}"#, "times"),
        (#"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"12","preTone":"p.wav","notBefore":"2026-11-22T09:00:00"}"#, "notBefore"),
        (#"{"type":"verify","calleeNbr":"+8613800000001","verifyCode":"12","preTone":"p.wav","notBefore":"2026-11-22T09:00:00+08:00","expiresAt":"2026-11-22T08:00:00+08:00"}"#, "expiresAt"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"redial":{"maxAttempts":11,"interval":"1h"}}"#, "redial.maxAttempts"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"redial":{"maxAttempts":2,"interval":"1h","on":["answered"]}}"#, "redial.on[0]"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"window":{"start":"9:00","end":"20:00","tz":"Asia/Shanghai"}}"#, "window.start"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"window":{"start":"09:00","end":"20:00","tz":"Mars/Base"}}"#, "window.tz"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"feeUrl":"x"}"#, "feeUrl"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"window":"sometimes"}"#, "window"),
        (#"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"window":7}"#, "window"),
    ])
    func ruleViolationsNameTheField(json: String, field: String) throws {
        let entries = try specs("rule.json", json)
        guard case .failure(let issues) = try #require(entries.first).result else {
            Issue.record("expected a failure for \(json)")
            return
        }
        #expect(issues.issues.contains { $0.field == field }, "\(issues)")
    }

    /// `"window": "always"` in a job or a campaign's defaults: any hour.
    @Test func aWindowOfAlwaysIsAnyHour() throws {
        let single = try specs("a.json", #"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"window":"always"}"#)
        #expect(try single[0].result.get().window == .always)
        let campaign = try specs("c.json", #"{"campaign":"oncall","type":"notify","defaults":{"playInfoList":[{"notifyVoice":"a.wav"}],"window":"always"},"jobs":[{"calleeNbr":"+8613800000001"},{"calleeNbr":"+8613800000002","window":{"start":"09:00","end":"10:00","tz":"Asia/Shanghai"}}]}"#)
        #expect(try campaign[0].result.get().window == .always)
        #expect(try campaign[1].result.get().window == CallingWindow(startMinute: 540, endMinute: 600, timeZone: "Asia/Shanghai"))
    }

    /// A campaign job without `id` gets an id that does not carry the
    /// callee's number (ids reach reports, logs and results file names),
    /// stable across reads, distinct per callee.
    @Test func generatedCampaignIDsHoldNoPhoneNumber() throws {
        let text = #"{"campaign":"flu","type":"notify","defaults":{"playInfoList":[{"notifyVoice":"a.wav"}]},"jobs":[{"calleeNbr":"+8613800000003"},{"calleeNbr":"+8613800000004"}]}"#
        let ids = try specs("c.json", text).map { try $0.result.get().id }
        #expect(ids.count == 2 && Set(ids).count == 2)
        for id in ids {
            #expect(id.hasPrefix("flu/n-"))
            #expect(!id.contains("13800000003") && !id.contains("13800000004") && !id.contains("+86"), "\(id)")
        }
        #expect(try specs("again.json", text).map { try $0.result.get().id } == ids)
    }

    @Test func windowAndRedialAreParsed() throws {
        let entries = try specs("w.json", #"{"type":"notify","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}],"window":{"start":"22:00","end":"06:30","tz":"Asia/Shanghai"},"redial":{"maxAttempts":3,"interval":"1h30m"},"priority":7}"#)
        let job = try entries[0].result.get()
        #expect(job.window == CallingWindow(startMinute: 22 * 60, endMinute: 6 * 60 + 30, timeZone: "Asia/Shanghai"))
        #expect(job.redial == RedialPolicy(maxAttempts: 3, interval: .seconds(5400), on: RedialPolicy.defaultOutcomes))
        #expect(job.priority == 7)
    }
}
