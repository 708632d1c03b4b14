import VoiceCallAPI

/// A job object as written in a file, before defaults are merged and rules
/// checked. Decoding never stops at the first mistake: type errors and unknown
/// fields are collected in ``issues``.
struct JobDraft: IssueCarrying {
    var type: String?
    var id: String?
    var campaign: String?
    var calleeNbr: String?
    var displayNbr: String?
    var verifyCode: String?
    var languageType: Int?
    var preTone: String?
    var postOne: String?
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
    var issues: [ValidationIssue] = []

    static let fields: Set<String> = [
        "type", "id", "campaign", "calleeNbr", "displayNbr", "verifyCode", "languageType", "preTone", "postOne", "times",
        "ttl", "playInfoList", "templateParas", "notBefore", "expiresAt", "priority", "redial", "window", "meta",
    ]

    /// Fields callspool sets itself: naming them in a job is a mistake worth explaining.
    static let managedFields: [String: String] = [
        "userData": "callspool sets userData itself to match callbacks to jobs (put your own data in meta)",
        "statusUrl": "callback URLs come from the [callbacks] configuration",
        "feeUrl": "callback URLs come from the [callbacks] configuration",
        "returnIdlePort": "callspool always asks for the idle port count",
    ]

    init() {}

    init(from decoder: any Decoder) throws {
        var object = try StrictObject(decoder, what: "a job")
        type = object.value("type", "a string, \"verify\" or \"notify\"")
        id = object.value("id", "a string")
        campaign = object.value("campaign", "a string")
        calleeNbr = object.value("calleeNbr", "a string such as \"+8613800000001\"")
        displayNbr = object.value("displayNbr", "a string such as \"+8675528000088\"")
        verifyCode = object.value("verifyCode", "a string of 2–8 digits (quoted, so leading zeros survive)")
        languageType = object.value("languageType", "an integer")
        preTone = object.value("preTone", "a string (a prompt file name)")
        postOne = object.value("postOne", "a string (a prompt file name)")
        times = object.value("times", "an integer 0–9")
        ttl = object.value("ttl", "a duration string such as \"5m\"")
        playInfoList = object.nestedList("playInfoList", "an array of prompt objects")
        templateParas = object.value("templateParas", "an array of strings")
        notBefore = object.value("notBefore", "an RFC 3339 time string with offset")
        expiresAt = object.value("expiresAt", "an RFC 3339 time string with offset")
        priority = object.value("priority", "an integer")
        redial = object.nested("redial", "an object {maxAttempts, interval, on}")
        window = object.nested("window", "an object {start, end, tz}")
        meta = object.value("meta", "a JSON object")
        for key in object.keys {
            if let why = Self.managedFields[key] {
                object.issues.append(.init(field: key, rule: "not allowed in a job file: \(why)"))
            }
        }
        object.rejectUnknownKeys(allowed: Set(Self.managedFields.keys), context: "a job")
        issues = object.issues
    }

    /// This draft with every unset field taken from `defaults`.
    func merged(over defaults: JobDraft) -> JobDraft {
        var result = self
        result.type = type ?? defaults.type
        result.campaign = campaign ?? defaults.campaign
        result.displayNbr = displayNbr ?? defaults.displayNbr
        result.verifyCode = verifyCode ?? defaults.verifyCode
        result.languageType = languageType ?? defaults.languageType
        result.preTone = preTone ?? defaults.preTone
        result.postOne = postOne ?? defaults.postOne
        result.times = times ?? defaults.times
        result.ttl = ttl ?? defaults.ttl
        result.playInfoList = playInfoList ?? defaults.playInfoList
        result.templateParas = templateParas ?? defaults.templateParas
        result.notBefore = notBefore ?? defaults.notBefore
        result.expiresAt = expiresAt ?? defaults.expiresAt
        result.priority = priority ?? defaults.priority
        result.redial = redial ?? defaults.redial
        result.window = window ?? defaults.window
        if let base = defaults.meta {
            result.meta = base.merging(meta ?? [:]) { _, job in job }
        }
        return result
    }
}

/// One `playInfoList` entry as written.
struct PlayEntryDraft: IssueCarrying {
    var info = PlayContentInfo()
    var issues: [ValidationIssue] = []

    init(from decoder: any Decoder) throws {
        var object = try StrictObject(decoder, what: "a prompt")
        info.notifyVoice = object.value("notifyVoice", "a string (a prompt file name)")
        info.templateId = object.value("templateId", "a string")
        info.templateParas = object.value("templateParas", "an array of strings")
        info.collectInd = object.value("collectInd", "an integer 0–32")
        if let replay: Bool = object.value("replayAfterCollection", "true or false") {
            info.replayAfterCollection = replay ? "true" : "false"
        }
        info.collectContentTriggerReplacing = object.value("collectContentTriggerReplacing", "a string")
        if object.has("templatId") {
            object.issues.append(.init(field: "templatId", rule: "is spelled templateId (the reference's table misspells it)"))
            _ = object.value("templatId", "a string", as: JSONValue.self)
        }
        object.rejectUnknownKeys(context: "a playInfoList entry")
        issues = object.issues
    }
}

/// A `redial` object as written.
struct RedialDraft: IssueCarrying {
    var maxAttempts: Int?
    var interval: String?
    var on: [String]?
    var issues: [ValidationIssue] = []

    init(from decoder: any Decoder) throws {
        var object = try StrictObject(decoder, what: "redial")
        maxAttempts = object.value("maxAttempts", "an integer 1–10")
        interval = object.value("interval", "a duration string such as \"20m\"")
        on = object.value("on", "an array of outcome names")
        object.rejectUnknownKeys(context: "redial")
        issues = object.issues
    }
}

/// A `window` object as written.
struct WindowDraft: IssueCarrying {
    var start: String?
    var end: String?
    var tz: String?
    var issues: [ValidationIssue] = []

    init(from decoder: any Decoder) throws {
        var object = try StrictObject(decoder, what: "window")
        start = object.value("start", "a time \"HH:MM\"")
        end = object.value("end", "a time \"HH:MM\"")
        tz = object.value("tz", "a time zone name such as \"Asia/Shanghai\"")
        object.rejectUnknownKeys(context: "window")
        issues = object.issues
    }
}
