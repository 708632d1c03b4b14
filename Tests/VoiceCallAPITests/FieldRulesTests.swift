import Testing
import VoiceCallAPI

/// Each rule of FieldRules (tables 5-4, 5-5, 6-3) with passing and failing values.
@Suite struct FieldRulesTests {
    @Test(arguments: [
        "+861",  // 4 characters: the minimum
        "+8613800000001",
        "+8675528000088",
        "+" + String(repeating: "9", count: 30),  // 31 characters: the maximum
    ])
    func phoneAccepts(number: String) {
        #expect(FieldRules.phone(number, field: "calleeNbr") == nil)
    }

    @Test(arguments: [
        "", "+86",  // too short
        "+" + String(repeating: "9", count: 31),  // 32 characters
        "8613800000001",  // no '+'
        "++8613800000",
        "+86 13800000001",
        "+86-138-0000-0001",
        "+86138****0021",  // the reference's masked examples are not numbers
        "+８６１３８００００",  // full-width digits
        "+86138000000a1",
    ])
    func phoneRefuses(number: String) {
        #expect(FieldRules.phone(number, field: "calleeNbr")?.field == "calleeNbr")
    }

    @Test(arguments: ["12", "0000", "482913", "12345678"])
    func verifyCodeAccepts(code: String) {
        #expect(FieldRules.verifyCode(code) == nil)
    }

    @Test(arguments: ["", "1", "123456789", "12a4", "12 4", "-123", "１２３４"])
    func verifyCodeRefuses(code: String) {
        #expect(FieldRules.verifyCode(code)?.field == "verifyCode")
    }

    @Test(arguments: ["3", "人民公园正门", "11月22日", "9:30", String(repeating: "x", count: 32)])
    func templateParaAccepts(value: String) {
        #expect(FieldRules.templatePara(value, field: "p") == nil)
    }

    @Test(arguments: ["", String(repeating: "x", count: 33), "$5", "{name}", "a{", "b}", "${NUM_2}"])
    func templateParaRefuses(value: String) {
        #expect(FieldRules.templatePara(value, field: "p")?.field == "p")
    }

    @Test(arguments: [
        (String(repeating: "u", count: 1), 56, true),
        (String(repeating: "u", count: 56), 56, true),
        (String(repeating: "u", count: 57), 56, false),
        (String(repeating: "u", count: 256), 256, true),
        (String(repeating: "u", count: 257), 256, false),
        ("", 256, false),
        ("cs1.login-7781.1", 56, true),
        ("cs1.{job}.1", 56, false),
        ("a}b", 256, false),
        ("客户123", 256, false),  // Chinese must be Base64-encoded first
        ("5a6i5oi3MTIz", 256, true),
        ("café", 256, false),
    ])
    func userData(value: String, max: Int, valid: Bool) {
        let issue = FieldRules.userData(value, maxLength: max)
        #expect((issue == nil) == valid, "\(String(describing: issue))")
        if let issue { #expect(issue.field == "userData") }
    }

    @Test(arguments: [(-1, false), (0, true), (1, true), (32, true), (33, false)])
    func collectIndRange(value: Int, valid: Bool) {
        #expect((FieldRules.inRange(value, FieldRules.collectIndRange, field: "collectInd") == nil) == valid)
    }

    @Test(arguments: [(-1, false), (0, true), (3, true), (9, true), (10, false)])
    func timesRange(value: Int, valid: Bool) {
        #expect((FieldRules.inRange(value, FieldRules.timesRange, field: "times") == nil) == valid)
    }

    @Test(arguments: [("true", true), ("false", true), ("TRUE", false), ("yes", false), ("1", false), ("", false)])
    func booleanString(value: String, valid: Bool) {
        #expect((FieldRules.booleanString(value, field: "returnIdlePort") == nil) == valid)
    }

    @Test(arguments: [(0, false), (1, true), (128, true), (129, false)])
    func promptFileLength(count: Int, valid: Bool) {
        let name = String(repeating: "p", count: count)
        #expect((FieldRules.length(name, FieldRules.promptFileLength, field: "preTone") == nil) == valid)
    }

    @Test func lengthCountsCharactersNotBytes() {
        // 32 Chinese characters are 96 UTF-8 bytes but within String(1-32).
        #expect(FieldRules.length(String(repeating: "语", count: 32), 1...32, field: "x") == nil)
        #expect(FieldRules.length(String(repeating: "语", count: 33), 1...32, field: "x")?.rule.contains("33") == true)
    }

    @Test func languageTypeIsOnlyChinese() {
        #expect(FieldRules.languageTypes == [2])
    }
}

/// PlayContentInfo and playInfoList rules, with the field path of every issue.
@Suite struct PlayContentRulesTests {
    static let template = PlayContentInfo(templateId: "appt_remind", templateParas: ["11月22日", "9:30"], collectInd: 1)
    static let voice = PlayContentInfo(notifyVoice: "welcome.wav")

    @Test(arguments: [
        PlayContentRulesTests.template,
        PlayContentRulesTests.voice,
        PlayContentInfo(notifyVoice: "welcome.wav", collectInd: 4),
        PlayContentInfo(templateId: "t", templateParas: Array(repeating: "x", count: 10)),
        PlayContentInfo(notifyVoice: String(repeating: "v", count: 128)),
        PlayContentInfo(templateId: String(repeating: "t", count: 32), templateParas: ["1"]),
        PlayContentInfo(notifyVoice: "a.wav", collectInd: 1, replayAfterCollection: "true", collectContentTriggerReplaying: "1"),
        PlayContentInfo(notifyVoice: "a.wav", collectInd: 32, replayAfterCollection: "false"),
    ])
    func validPromptsHaveNoIssues(info: PlayContentInfo) {
        #expect(FieldRules.playContent(info, field: "playInfoList[0]").isEmpty)
    }

    @Test(arguments: [
        (PlayContentInfo(), "playInfoList[0]", "neither"),
        (PlayContentInfo(notifyVoice: "a.wav", templateId: "t", templateParas: ["1"]), "playInfoList[0]", "both"),
        (PlayContentInfo(templateId: "t"), "playInfoList[0].templateParas", "required"),
        (PlayContentInfo(notifyVoice: "a.wav", templateParas: ["1"]), "playInfoList[0].templateParas", "only allowed"),
        (PlayContentInfo(templateId: "t", templateParas: []), "playInfoList[0].templateParas", "1–10"),
        (PlayContentInfo(templateId: "t", templateParas: Array(repeating: "x", count: 11)), "playInfoList[0].templateParas", "1–10"),
        (PlayContentInfo(templateId: "t", templateParas: ["ok", "$x"]), "playInfoList[0].templateParas[1]", "'$'"),
        (PlayContentInfo(templateId: "t", templateParas: [""]), "playInfoList[0].templateParas[0]", "1–32"),
        (PlayContentInfo(notifyVoice: ""), "playInfoList[0].notifyVoice", "1–128"),
        (PlayContentInfo(notifyVoice: String(repeating: "v", count: 129)), "playInfoList[0].notifyVoice", "1–128"),
        (PlayContentInfo(templateId: String(repeating: "t", count: 33), templateParas: ["1"]), "playInfoList[0].templateId", "1–32"),
        (PlayContentInfo(notifyVoice: "a.wav", collectInd: 33), "playInfoList[0].collectInd", "0 and 32"),
        (PlayContentInfo(notifyVoice: "a.wav", collectInd: -1), "playInfoList[0].collectInd", "0 and 32"),
        (PlayContentInfo(notifyVoice: "a.wav", collectInd: 1, replayAfterCollection: "yes"), "playInfoList[0].replayAfterCollection", "\"true\""),
        (PlayContentInfo(notifyVoice: "a.wav", collectInd: 1, replayAfterCollection: "false", collectContentTriggerReplaying: "1"), "playInfoList[0].collectContentTriggerReplaying", "replayAfterCollection"),
        (PlayContentInfo(notifyVoice: "a.wav", collectInd: 1, replayAfterCollection: "true", collectContentTriggerReplaying: String(repeating: "1", count: 33)), "playInfoList[0].collectContentTriggerReplaying", "1–32"),
    ])
    func invalidPromptsNameTheField(info: PlayContentInfo, field: String, ruleMentions: String) {
        let issues = FieldRules.playContent(info, field: "playInfoList[0]")
        #expect(issues.count == 1, "\(issues)")
        #expect(issues.first?.field == field)
        #expect(issues.first?.rule.contains(ruleMentions) == true, "\(issues)")
    }

    @Test(arguments: [(0, false), (1, true), (5, true), (6, false)])
    func playInfoListHasOneToFiveEntries(count: Int, valid: Bool) {
        let issues = FieldRules.playInfoList(Array(repeating: Self.voice, count: count))
        #expect(issues.isEmpty == valid)
        if !valid { #expect(issues.fields == ["playInfoList"]) }
    }

    @Test func issuesInLaterEntriesCarryTheirIndex() {
        let list = [
            Self.voice,
            PlayContentInfo(templateId: "t", templateParas: ["{bad}", "ok", String(repeating: "x", count: 40)]),
            PlayContentInfo(notifyVoice: "a.wav", collectInd: 99),
        ]
        #expect(
            FieldRules.playInfoList(list).fields == [
                "playInfoList[1].templateParas[0]", "playInfoList[1].templateParas[2]", "playInfoList[2].collectInd",
            ])
    }

    @Test func nestedPrefixesAJobPath() {
        let issue = ValidationIssue(field: "playInfoList[1].templateParas[0]", rule: "r")
        #expect(issue.nested(under: "jobs[3]").field == "jobs[3].playInfoList[1].templateParas[0]")
        #expect(issue.nested(under: "").field == issue.field)
        #expect(issue.description == "playInfoList[1].templateParas[0]: r")
    }
}
