/// The platform's field rules (reference tables 5-4, 5-5, 6-3), as small
/// functions that return an issue or nil. Request types and job files share them
/// so a job is refused at intake for exactly what the platform would refuse.
public enum FieldRules {
    /// The reference types numbers as String(4-31): `+`, then digits only.
    public static let phoneLength = 4...31
    public static let notifyVoiceLength = 1...128
    public static let templateIdLength = 1...32
    public static let templateParaLength = 1...32
    public static let templateParasCount = 1...10
    public static let playInfoCount = 1...5
    public static let collectIndRange = 0...32
    public static let verifyCodeLength = 2...8
    public static let timesRange = 0...9
    /// Prompt file names of callVerify (`preTone`, `posTone`). The table says
    /// String(1-28), a truncation of 128 that the same table makes for
    /// `statusUrl` (the FAQ shows 1-128); callspool allows 128 like `notifyVoice`.
    public static let promptFileLength = 1...128
    public static let userDataNotifyLength = 1...256
    /// callVerify's table allows 56; the disconnect event's 56 makes it the safe maximum.
    public static let userDataVerifyLength = 1...56
    public static let callbackURLLength = 1...128
    public static let languageTypes: Set<Int> = [2]

    public static func phone(_ value: String, field: String) -> ValidationIssue? {
        // Fast path on bytes: a valid number is ASCII, so bytes == characters.
        let utf8 = value.utf8
        if phoneLength.contains(utf8.count), utf8.first == UInt8(ascii: "+"),
            utf8.dropFirst().allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return nil
        }
        let count = value.count
        guard phoneLength.contains(count) else {
            return .init(field: field, rule: "must be an E.164 number of 4–31 characters ('+' then digits), got \(count) characters")
        }
        guard value.first == "+", value.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .init(field: field, rule: "must be an E.164 number: '+' then digits only (e.g. +8613800000001)")
        }
        return nil
    }

    public static func length(_ value: String, _ range: ClosedRange<Int>, field: String) -> ValidationIssue? {
        let count = value.count
        guard range.contains(count) else {
            return .init(field: field, rule: "must be \(range.lowerBound)–\(range.upperBound) characters, got \(count)")
        }
        return nil
    }

    public static func templatePara(_ value: String, field: String) -> ValidationIssue? {
        if let issue = length(value, templateParaLength, field: field) { return issue }
        if value.contains(where: { $0 == "$" || $0 == "{" || $0 == "}" }) {
            return .init(field: field, rule: "must not contain '$', '{' or '}'")
        }
        return nil
    }

    public static func verifyCode(_ value: String, field: String = "verifyCode") -> ValidationIssue? {
        guard verifyCodeLength.contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .init(field: field, rule: "must be 2–8 digits (0–9 only)")
        }
        return nil
    }

    public static func userData(_ value: String, maxLength: Int, field: String = "userData") -> ValidationIssue? {
        if let issue = length(value, 1...maxLength, field: field) { return issue }
        if value.contains(where: { $0 == "{" || $0 == "}" }) {
            return .init(field: field, rule: "must not contain '{' or '}'")
        }
        if !value.allSatisfy({ $0.isASCII }) {
            return .init(field: field, rule: "must be ASCII only (Base64-encode other text)")
        }
        return nil
    }

    public static func inRange(_ value: Int, _ range: ClosedRange<Int>, field: String) -> ValidationIssue? {
        guard range.contains(value) else {
            return .init(field: field, rule: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return nil
    }

    public static func booleanString(_ value: String, field: String) -> ValidationIssue? {
        guard value == "true" || value == "false" else {
            return .init(field: field, rule: "must be \"true\" or \"false\"")
        }
        return nil
    }

    /// Checks one `PlayContentInfo`; `field` is its path (`playInfoList[2]`).
    public static func playContent(_ info: PlayContentInfo, field: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        switch (info.notifyVoice, info.templateId) {
        case (nil, nil):
            issues.append(.init(field: field, rule: "needs exactly one of notifyVoice or templateId, has neither"))
        case (.some, .some):
            issues.append(.init(field: field, rule: "needs exactly one of notifyVoice or templateId, has both"))
        default: break
        }
        if let voice = info.notifyVoice, let issue = length(voice, notifyVoiceLength, field: "\(field).notifyVoice") {
            issues.append(issue)
        }
        if let template = info.templateId {
            if let issue = length(template, templateIdLength, field: "\(field).templateId") { issues.append(issue) }
            if info.templateParas == nil {
                issues.append(.init(field: "\(field).templateParas", rule: "is required when templateId is set (1–10 values)"))
            }
        }
        if let paras = info.templateParas {
            if info.templateId == nil {
                issues.append(.init(field: "\(field).templateParas", rule: "is only allowed with templateId"))
            }
            if !templateParasCount.contains(paras.count) {
                issues.append(.init(field: "\(field).templateParas", rule: "must have 1–10 values, got \(paras.count)"))
            }
            for (index, para) in paras.enumerated() {
                if let issue = templatePara(para, field: "\(field).templateParas[\(index)]") { issues.append(issue) }
            }
        }
        if let collect = info.collectInd, let issue = inRange(collect, collectIndRange, field: "\(field).collectInd") {
            issues.append(issue)
        }
        if let replay = info.replayAfterCollection {
            if let issue = booleanString(replay, field: "\(field).replayAfterCollection") { issues.append(issue) }
        }
        if let trigger = info.collectContentTriggerReplaying {
            if let issue = length(trigger, 1...32, field: "\(field).collectContentTriggerReplaying") { issues.append(issue) }
            if info.replayAfterCollection != "true" {
                issues.append(.init(field: "\(field).collectContentTriggerReplaying", rule: "only takes effect with replayAfterCollection \"true\""))
            }
        }
        return issues
    }

    public static func playInfoList(_ list: [PlayContentInfo], field: String = "playInfoList") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if !playInfoCount.contains(list.count) {
            issues.append(.init(field: field, rule: "must have 1–5 entries, got \(list.count)"))
        }
        for (index, info) in list.enumerated() {
            issues += playContent(info, field: "\(field)[\(index)]")
        }
        return issues
    }
}
