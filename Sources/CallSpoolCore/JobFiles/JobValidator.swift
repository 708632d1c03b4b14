import Foundation
import VoiceCallAPI

/// Turns a merged ``JobDraft`` into a ``JobSpec``, checking every rule of
/// docs/job-files.md and the platform's field rules; or returns every issue found.
enum JobValidator {
    /// In UTF-8 bytes, as the stores count and index them.
    static let idLength = 1...200
    /// In UTF-8 bytes.
    static let campaignLength = 1...100
    /// A `meta` key, in UTF-8 bytes.
    static let metaKeyLength = 1...128
    /// A `meta` value's JSON text, in UTF-8 bytes.
    static let maxMetaValueBytes = 4096
    /// The whole `meta` object's JSON text, in UTF-8 bytes.
    static let maxMetaBytes = 16_384
    static let maxTTL: Duration = .seconds(30 * 86_400)

    /// Checks of fields that can be judged on their own: used for campaign
    /// `defaults` (so a bad default is reported once, for the file) and as part
    /// of every job's check.
    static func standaloneIssues(_ draft: JobDraft) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let type = draft.type, JobType(rawValue: type) == nil {
            issues.append(.init(field: "type", rule: "must be \"verify\" or \"notify\", got \"\(type)\""))
        }
        if let number = draft.calleeNbr, let issue = FieldRules.phone(number, field: "calleeNbr") { issues.append(issue) }
        if let number = draft.displayNbr, let issue = FieldRules.phone(number, field: "displayNbr") { issues.append(issue) }
        if let app = draft.app, !Configuration.Application.isValidName(app) {
            issues.append(.init(field: "app", rule: "must be the name of a configured application (1–32 of a-z, 0-9, _ and -), got \"\(app.prefix(40))\""))
        }
        if let code = draft.verifyCode, let issue = FieldRules.verifyCode(code) { issues.append(issue) }
        if let language = draft.languageType, !FieldRules.languageTypes.contains(language) {
            issues.append(.init(field: "languageType", rule: "must be 2 (Chinese), the only value the platform documents; got \(language)"))
        }
        if let tone = draft.preTone, let issue = FieldRules.length(tone, FieldRules.promptFileLength, field: "preTone") { issues.append(issue) }
        if let tone = draft.posTone, let issue = FieldRules.length(tone, FieldRules.promptFileLength, field: "posTone") { issues.append(issue) }
        if let times = draft.times, let issue = FieldRules.inRange(times, FieldRules.timesRange, field: "times") { issues.append(issue) }
        if let ttl = draft.ttl {
            switch Result(catching: { () throws(DurationText.Invalid) in try DurationText.parse(ttl) }) {
            case .success(let value) where value <= .zero || value > maxTTL:
                issues.append(.init(field: "ttl", rule: "must be between 1s and 30d, got \(ttl)"))
            case .failure(let error): issues.append(.init(field: "ttl", rule: error.description))
            default: break
            }
        }
        if let text = draft.notBefore, Timestamp.parse(text) == nil {
            issues.append(.init(field: "notBefore", rule: "must be an RFC 3339 time with offset, e.g. 2026-11-22T09:00:00+08:00"))
        }
        if let text = draft.expiresAt, Timestamp.parse(text) == nil {
            issues.append(.init(field: "expiresAt", rule: "must be an RFC 3339 time with offset, e.g. 2026-11-22T20:00:00+08:00"))
        }
        if let list = draft.playInfoList {
            if !FieldRules.playInfoCount.contains(list.count) {
                issues.append(.init(field: "playInfoList", rule: "must have 1–5 entries, got \(list.count)"))
            }
            for (index, entry) in list.enumerated() {
                var info = entry.info
                // templateParas may come from the job (campaign shorthand); judged after merging.
                if info.templateId != nil, info.templateParas == nil { info.templateParas = ["x"] }
                issues += FieldRules.playContent(info, field: "playInfoList[\(index)]")
            }
        }
        if let paras = draft.templateParas {
            if !FieldRules.templateParasCount.contains(paras.count) {
                issues.append(.init(field: "templateParas", rule: "must have 1–10 values, got \(paras.count)"))
            }
            for (index, para) in paras.enumerated() {
                if let issue = FieldRules.templatePara(para, field: "templateParas[\(index)]") { issues.append(issue) }
            }
        }
        if let redial = draft.redial { issues += redial.checked }
        if let window = draft.window { issues += window.checked }
        return issues
    }

    static func redialIssues(_ draft: RedialDraft) -> (policy: RedialPolicy?, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        let attempts = draft.maxAttempts
        if attempts == nil, !draft.issues.contains(where: { $0.field == "maxAttempts" }) {
            issues.append(.init(field: "redial.maxAttempts", rule: "is required (1–10 calls in all, the first included)"))
        }
        if let attempts, !RedialPolicy.maxAttemptsRange.contains(attempts) {
            issues.append(.init(field: "redial.maxAttempts", rule: "must be between 1 and 10 (calls in all, the first included), got \(attempts)"))
        }
        var interval: Duration?
        if let text = draft.interval {
            do {
                let value = try DurationText.parse(text)
                if value < .seconds(1) { issues.append(.init(field: "redial.interval", rule: "must be at least 1s")) } else { interval = value }
            } catch {
                issues.append(.init(field: "redial.interval", rule: error.description))
            }
        } else if !draft.issues.contains(where: { $0.field == "interval" }) {
            issues.append(.init(field: "redial.interval", rule: "is required (a duration such as \"20m\")"))
        }
        var outcomes = RedialPolicy.defaultOutcomes
        if let names = draft.on {
            outcomes = []
            let allowed = Outcome.redialable.map(\.rawValue).joined(separator: ", ")
            if names.isEmpty { issues.append(.init(field: "redial.on", rule: "must name at least one outcome of: \(allowed)")) }
            for (index, name) in names.enumerated() {
                if let outcome = Outcome(rawValue: name), Outcome.redialable.contains(outcome) {
                    outcomes.insert(outcome)
                } else {
                    issues.append(.init(field: "redial.on[\(index)]", rule: "'\(name)' is not one of: \(allowed)"))
                }
            }
        }
        guard issues.isEmpty, draft.issues.isEmpty, let attempts, let interval else { return (nil, issues) }
        return (RedialPolicy(maxAttempts: attempts, interval: interval, on: outcomes), [])
    }

    static func windowIssues(_ draft: WindowDraft) -> (window: CallingWindow?, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        let start = draft.start.flatMap(CallingWindow.minutes)
        let end = draft.end.flatMap(CallingWindow.minutes)
        if draft.start == nil { issues.append(.init(field: "window.start", rule: "is required (\"HH:MM\")")) }
        else if start == nil { issues.append(.init(field: "window.start", rule: "must be a time \"HH:MM\" (00:00–24:00)")) }
        if draft.end == nil { issues.append(.init(field: "window.end", rule: "is required (\"HH:MM\")")) }
        else if end == nil { issues.append(.init(field: "window.end", rule: "must be a time \"HH:MM\" (00:00–24:00)")) }
        if let start, let end, start == end {
            issues.append(.init(field: "window.end", rule: "must differ from window.start"))
        }
        if let tz = draft.tz {
            if !KnownTimeZones.contains(tz) {
                issues.append(.init(field: "window.tz", rule: "'\(tz)' is not a known time zone (use an IANA name such as Asia/Shanghai)"))
            }
        } else {
            issues.append(.init(field: "window.tz", rule: "is required (an IANA name such as Asia/Shanghai)"))
        }
        guard issues.isEmpty, let start, let end, let tz = draft.tz else { return (nil, issues) }
        return (CallingWindow(startMinute: start, endMinute: end, timeZone: tz), [])
    }

    /// `meta` limits, in UTF-8 bytes: each key, each value's JSON text, the whole.
    static func metaIssues(_ meta: [String: JSONValue]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        var total = 2
        for key in meta.keys.sorted() {
            guard let value = meta[key] else { continue }
            let shown = TextRules.sanitized(String(key.prefix(40)))
            if !metaKeyLength.contains(key.utf8.count) {
                issues.append(.init(field: "meta", rule: "keys must be 1–128 bytes in UTF-8, got \(key.utf8.count) for '\(shown)'"))
            }
            let bytes = value.jsonText.utf8.count
            if bytes > maxMetaValueBytes {
                issues.append(.init(field: "meta.\(shown)", rule: "must be at most \(maxMetaValueBytes) bytes of JSON, got \(bytes)"))
            }
            total += key.utf8.count + bytes + 4
        }
        if total > maxMetaBytes, issues.isEmpty {
            issues.append(.init(field: "meta", rule: "must be at most \(maxMetaBytes) bytes of JSON in all, got about \(total)"))
        }
        return issues
    }

    /// Validates a merged draft. `fallbackID` is used when the job has no `id`.
    static func validate(_ draft: JobDraft, fallbackID: () -> String) -> Result<JobSpec, JobIssues> {
        var issues = draft.issues
        issues += standaloneIssues(draft)
        let type = draft.type.flatMap(JobType.init(rawValue:))
        if draft.type == nil { issues.append(.init(field: "type", rule: "is required: \"verify\" or \"notify\"")) }
        if draft.calleeNbr == nil { issues.append(.init(field: "calleeNbr", rule: "is required")) }
        if let id = draft.id, !idLength.contains(id.utf8.count) {
            issues.append(.init(field: "id", rule: "must be 1–200 bytes in UTF-8, got \(id.utf8.count)"))
        }
        if let campaign = draft.campaign, !campaignLength.contains(campaign.utf8.count) {
            issues.append(.init(field: "campaign", rule: "must be 1–100 bytes in UTF-8, got \(campaign.utf8.count)"))
        }
        if let meta = draft.meta { issues += metaIssues(meta) }
        var payload: JobPayload?
        switch type {
        case .verify:
            for (field, present) in [("playInfoList", draft.playInfoList != nil), ("templateParas", draft.templateParas != nil)] where present {
                issues.append(.init(field: field, rule: "is for notify jobs; a verify job plays verifyCode"))
            }
            if draft.verifyCode == nil { issues.append(.init(field: "verifyCode", rule: "is required for a verify job (2–8 digits)")) }
            if draft.preTone == nil { issues.append(.init(field: "preTone", rule: "is required for a verify job (the prompt file played before the code)")) }
            if let code = draft.verifyCode, let tone = draft.preTone {
                payload = .verify(.init(languageType: draft.languageType ?? 2, preTone: tone, posTone: draft.posTone, times: draft.times, verifyCode: code))
            }
        case .notify:
            for (field, present) in [("verifyCode", draft.verifyCode != nil), ("preTone", draft.preTone != nil), ("posTone", draft.posTone != nil),
                                     ("times", draft.times != nil), ("languageType", draft.languageType != nil)] where present {
                issues.append(.init(field: field, rule: "is for verify jobs; a notify job plays playInfoList"))
            }
            if var list = draft.playInfoList?.map(\.info) {
                if let paras = draft.templateParas {
                    if let slot = list.firstIndex(where: { $0.templateId != nil }) {
                        list[slot].templateParas = paras
                    } else {
                        issues.append(.init(field: "templateParas", rule: "needs a playInfoList entry with templateId to fill"))
                    }
                }
                for (index, info) in list.enumerated() where info.templateId != nil && info.templateParas == nil {
                    issues.append(.init(field: "playInfoList[\(index)].templateParas", rule: "is required when templateId is set (1–10 values)"))
                }
                payload = .notify(playInfoList: list)
            } else {
                issues.append(.init(field: "playInfoList", rule: "is required for a notify job (1–5 prompts)"))
            }
        case nil: break
        }
        var redial: RedialPolicy?
        if let draftRedial = draft.redial { redial = draftRedial.policy }
        var window: CallingWindow?
        if let draftWindow = draft.window { window = draftWindow.window }
        let notBefore = draft.notBefore.flatMap(Timestamp.parse)
        let expiresAt = draft.expiresAt.flatMap(Timestamp.parse)
        if let notBefore, let expiresAt, expiresAt <= notBefore {
            issues.append(.init(field: "expiresAt", rule: "must be after notBefore"))
        }
        let ttl = draft.ttl.flatMap { try? DurationText.parse($0) }
        var optOutDigits: String?
        if let optOut = draft.optOut {
            let checked = optOutIssues(optOut, type: type, payload: payload)
            issues += checked.issues
            optOutDigits = checked.digits
        }
        guard issues.isEmpty, let type, let callee = draft.calleeNbr, let payload else {
            return .failure(JobIssues(id: draft.id, issues: issues.isEmpty ? [.init(field: "job", rule: "is incomplete")] : issues))
        }
        return .success(JobSpec(
            id: draft.id ?? fallbackID(), type: type, campaign: draft.campaign, calleeNbr: callee, displayNbr: draft.displayNbr, app: draft.app,
            payload: payload, notBefore: notBefore, expiresAt: expiresAt, ttl: ttl, priority: draft.priority ?? 0,
            redial: redial, window: window, meta: draft.meta.map { JSONValue.object($0).jsonText }, optOutDigits: optOutDigits))
    }

    /// The keys pressed to opt out: 1–32 of 0–9, * and #; only for notify
    /// jobs whose prompts collect keys (`collectInd` above 0), or the
    /// platform would never report the press.
    static func optOutIssues(_ draft: OptOutDraft, type: JobType?, payload: JobPayload?) -> (digits: String?, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        guard let digits = draft.digits else {
            if draft.issues.isEmpty { issues.append(.init(field: "optOut.digits", rule: "is required (the keys to press, such as \"9\")")) }
            return (nil, issues)
        }
        if !(1...32).contains(digits.utf8.count) || !digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "*" || $0 == "#") }) {
            issues.append(.init(field: "optOut.digits", rule: "must be 1–32 of the keys 0–9, * and #"))
        }
        if type == .verify {
            issues.append(.init(field: "optOut", rule: "is for notify jobs (a login code is never suppressed by its own call)"))
        } else if case .notify(let list)? = payload, !list.contains(where: { ($0.collectInd ?? 0) > 0 }) {
            issues.append(.init(field: "optOut", rule: "needs a playInfoList entry that collects keys (collectInd 1–32), or the key press is never reported"))
        } else if case .notify(let list)? = payload, let most = list.compactMap(\.collectInd).max(), digits.utf8.count > most {
            issues.append(.init(field: "optOut.digits", rule: "has \(digits.utf8.count) keys but the prompts collect at most \(most) (collectInd)"))
        }
        return (issues.isEmpty && draft.issues.isEmpty ? digits : nil, issues)
    }
}

/// The issues of one job, with its id when it has one.
public struct JobIssues: Error, Sendable, Hashable, CustomStringConvertible {
    public var id: String?
    public var issues: [ValidationIssue]

    public init(id: String?, issues: [ValidationIssue]) {
        self.id = id
        self.issues = issues
    }

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}

import Synchronization

/// Time zone names already checked: creating a `TimeZone` reads tzdata, far too
/// slow to repeat for each of a campaign's million jobs.
enum KnownTimeZones {
    private static let cache = Mutex<[String: Bool]>([:])

    static func contains(_ identifier: String) -> Bool {
        if let known = cache.withLock({ $0[identifier] }) { return known }
        let valid = TimeZone(identifier: identifier) != nil
        cache.withLock { $0[identifier] = valid }
        return valid
    }
}
