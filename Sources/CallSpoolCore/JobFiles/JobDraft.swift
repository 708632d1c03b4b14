import VoiceCallAPI

/// A job object as written in a file, before defaults are merged and rules
/// checked. Decoding never stops at the first mistake: type errors and unknown
/// fields are collected in ``issues``; reference spellings accepted as aliases
/// (``FieldAlias``) in ``warnings``.
struct JobDraft: JSONObjectReadable {
    var type: String?
    var id: String?
    var campaign: String?
    var calleeNbr: String?
    var displayNbr: String?
    /// The configured application to send with (`[apps.NAME]`).
    var app: String?
    var verifyCode: String?
    var languageType: Int?
    var preTone: String?
    var posTone: String?
    var times: Int?
    var ttl: String?
    var playInfoList: [PlayEntryDraft]?
    var templateParas: [String]?
    var notBefore: String?
    var expiresAt: String?
    var priority: Int?
    var redial: RedialDraft?
    var window: WindowDraft?
    var meta: [String: JSONValue]?
    /// `optOut: {"digits": "9"}` (notify): the keys that suppress the callee.
    var optOut: OptOutDraft?
    var issues: [ValidationIssue] = []
    /// This object's own warnings (a merged job does not inherit its defaults').
    var warnings: [ValidationIssue] = []

    static let fields: Set<String> = [
        "type", "id", "campaign", "calleeNbr", "displayNbr", "app", "verifyCode", "languageType", "preTone", "posTone", "times",
        "ttl", "playInfoList", "templateParas", "notBefore", "expiresAt", "priority", "redial", "window", "meta", "optOut",
    ]

    /// Fields callspool sets itself: naming them in a job is a mistake worth explaining.
    static let managedFields: [String: String] = [
        "userData": "callspool sets userData itself to match callbacks to jobs (put your own data in meta)",
        "statusUrl": "callback URLs come from the [callbacks] configuration",
        "feeUrl": "callback URLs come from the [callbacks] configuration",
        "returnIdlePort": "callspool always asks for the idle port count",
    ]

    static let allowedKeys = fields.union(managedFields.keys).union([FieldAlias.posTone.alias])

    init() {}

    init(json: JSONValue) throws {
        var object = try StrictObject(json)
        var controls = 0
        TextRules.controlIssues(in: json, path: "", into: &object.issues, listed: &controls)
        type = object.string("type", "a string, \"verify\" or \"notify\"")
        id = object.string("id", "a string")
        campaign = object.string("campaign", "a string")
        calleeNbr = object.string("calleeNbr", "a string such as \"+8613800000001\"")
        displayNbr = object.string("displayNbr", "a string such as \"+8675528000088\"")
        app = object.string("app", "a string: the name of an [apps.NAME] section of the configuration")
        verifyCode = object.string("verifyCode", "a string of 2–8 digits (quoted, so leading zeros survive)")
        languageType = object.int("languageType", "an integer")
        preTone = object.string("preTone", "a string (a prompt file name)")
        posTone = object.string(.posTone, "a string (a prompt file name)")
        times = object.int("times", "an integer 0–9")
        ttl = object.string("ttl", "a duration string such as \"5m\"")
        playInfoList = object.nestedList("playInfoList", "an array of prompt objects")
        templateParas = object.strings("templateParas", "an array of strings")
        notBefore = object.string("notBefore", "an RFC 3339 time string with offset")
        expiresAt = object.string("expiresAt", "an RFC 3339 time string with offset")
        priority = object.int("priority", "an integer")
        redial = object.nested("redial", "an object {maxAttempts, interval, on}")
        if case .string(let text)? = object.fields["window"] {
            if text == "always" {
                window = .always
            } else {
                object.issues.append(.init(field: "window", rule: "must be \"always\" or an object {start, end, tz}"))
            }
        } else {
            window = object.nested("window", "\"always\" or an object {start, end, tz}")
        }
        meta = object.object("meta", "a JSON object")
        optOut = object.nested("optOut", "an object {\"digits\": \"9\"}")
        for key in object.keys {
            if let why = Self.managedFields[key] {
                object.issues.append(.init(field: key, rule: "not allowed in a job file: \(why)"))
            }
        }
        object.rejectUnknownKeys(known: Self.allowedKeys, context: "a job")
        issues = object.issues
        warnings = object.warnings
    }

    /// This draft with every unset field taken from `defaults`.
    func merged(over defaults: JobDraft) -> JobDraft {
        var result = self
        result.type = type ?? defaults.type
        result.campaign = campaign ?? defaults.campaign
        result.displayNbr = displayNbr ?? defaults.displayNbr
        result.app = app ?? defaults.app
        result.verifyCode = verifyCode ?? defaults.verifyCode
        result.languageType = languageType ?? defaults.languageType
        result.preTone = preTone ?? defaults.preTone
        result.posTone = posTone ?? defaults.posTone
        result.times = times ?? defaults.times
        result.ttl = ttl ?? defaults.ttl
        result.playInfoList = playInfoList ?? defaults.playInfoList
        result.templateParas = templateParas ?? defaults.templateParas
        result.notBefore = notBefore ?? defaults.notBefore
        result.expiresAt = expiresAt ?? defaults.expiresAt
        result.priority = priority ?? defaults.priority
        result.redial = redial ?? defaults.redial
        result.window = window ?? defaults.window
        result.optOut = optOut ?? defaults.optOut
        if let base = defaults.meta {
            result.meta = base.merging(meta ?? [:]) { _, job in job }
        }
        return result
    }
}

/// One `playInfoList` entry as written.
struct PlayEntryDraft: JSONObjectReadable {
    var info = PlayContentInfo()
    var issues: [ValidationIssue] = []
    var warnings: [ValidationIssue] = []
    static let fields: Set<String> = ["notifyVoice", "templateId", "templateParas", "collectInd", "replayAfterCollection", "collectContentTriggerReplaying"]
    static let allowedKeys = fields.union([FieldAlias.collectContentTriggerReplaying.alias])

    init(json: JSONValue) throws {
        var object = try StrictObject(json)
        info.notifyVoice = object.string("notifyVoice", "a string (a prompt file name)")
        info.templateId = object.string("templateId", "a string")
        info.templateParas = object.strings("templateParas", "an array of strings")
        info.collectInd = object.int("collectInd", "an integer 0–32")
        if let replay = object.flag("replayAfterCollection") {
            info.replayAfterCollection = replay ? "true" : "false"
        }
        info.collectContentTriggerReplaying = object.string(.collectContentTriggerReplaying, "a string of digits")
        warnings = object.warnings
        if object.has("templatId") {
            object.issues.append(.init(field: "templatId", rule: "is spelled templateId (the reference's table misspells it)"))
            object.rejectUnknownKeys(known: Self.allowedKeys.union(["templatId"]), context: "a playInfoList entry")
            issues = object.issues
            return
        }
        object.rejectUnknownKeys(known: Self.allowedKeys, context: "a playInfoList entry")
        issues = object.issues
    }
}

/// An `optOut` object as written.
struct OptOutDraft: JSONObjectReadable {
    var digits: String?
    var issues: [ValidationIssue] = []
    static let fields: Set<String> = ["digits"]

    init(json: JSONValue) throws {
        var object = try StrictObject(json)
        digits = object.string("digits", "a string of the keys to press, such as \"9\"")
        object.rejectUnknownKeys(known: Self.fields, context: "optOut")
        issues = object.issues
    }
}

/// A `redial` object as written.
struct RedialDraft: JSONObjectReadable {
    var maxAttempts: Int?
    var interval: String?
    var on: [String]?
    var issues: [ValidationIssue] = []
    /// The policy and the rule checks, computed once when read (a campaign's
    /// default policy is shared by all its jobs).
    var policy: RedialPolicy?
    var checked: [ValidationIssue] = []
    static let fields: Set<String> = ["maxAttempts", "interval", "on"]

    init(json: JSONValue) throws {
        var object = try StrictObject(json)
        maxAttempts = object.int("maxAttempts", "an integer 1–10")
        interval = object.string("interval", "a duration string such as \"20m\"")
        on = object.strings("on", "an array of outcome names")
        object.rejectUnknownKeys(known: Self.fields, context: "redial")
        issues = object.issues
        (policy, checked) = JobValidator.redialIssues(self)
    }
}

/// A `window` object as written.
struct WindowDraft: JSONObjectReadable {
    var start: String?
    var end: String?
    var tz: String?
    var issues: [ValidationIssue] = []
    /// The window and the rule checks, computed once when read.
    var window: CallingWindow?
    var checked: [ValidationIssue] = []
    static let fields: Set<String> = ["start", "end", "tz"]

    /// `"window": "always"`: any hour.
    static let always = WindowDraft(always: ())

    private init(always: Void) {
        start = "00:00"
        end = "24:00"
        tz = CallingWindow.always.timeZone
        window = .always
    }

    init(json: JSONValue) throws {
        var object = try StrictObject(json)
        start = object.string("start", "a time \"HH:MM\"")
        end = object.string("end", "a time \"HH:MM\"")
        tz = object.string("tz", "a time zone name such as \"Asia/Shanghai\"")
        object.rejectUnknownKeys(known: Self.fields, context: "window")
        issues = object.issues
        (window, checked) = JobValidator.windowIssues(self)
    }
}
