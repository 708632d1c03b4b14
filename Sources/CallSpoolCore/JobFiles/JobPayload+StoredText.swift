import VoiceCallAPI

/// The stored JSON of a payload, written by hand: the same JSON as
/// `JSONEncoder` (`.withoutEscapingSlashes`) gives for ``JobPayload``'s
/// `Encodable` conformance — the same keys, absent optionals left out,
/// strings escaped alike; keys in declaration order where the encoder's
/// follow a hash — at a fraction of the cost. Intake writes one per job, and
/// `JSONEncoder` was most of a campaign's insert time.
/// `JobPayloadStoredTextTests` holds the two equal as JSON.
extension JobPayload {
    package var storedText: String {
        var out = ""
        out.reserveCapacity(160)
        switch self {
        case .notify(let list):
            out += #"{"notify":{"playInfoList":["#
            for (index, info) in list.enumerated() {
                if index > 0 { out += "," }
                Self.write(info, into: &out)
            }
            out += "]}}"
        case .verify(let payload):
            out += #"{"verify":{"_0":{"languageType":"#
            out += String(payload.languageType)
            out += #","preTone":"#
            Self.write(string: payload.preTone, into: &out)
            if let tone = payload.posTone {
                out += #","posTone":"#
                Self.write(string: tone, into: &out)
            }
            if let times = payload.times {
                out += #","times":"#
                out += String(times)
            }
            out += #","verifyCode":"#
            Self.write(string: payload.verifyCode, into: &out)
            out += "}}}"
        }
        return out
    }

    private static func write(_ info: PlayContentInfo, into out: inout String) {
        out += "{"
        var first = true
        func key(_ name: String) {
            out += first ? "\"" : ",\""
            first = false
            out += name
            out += "\":"
        }
        if let value = info.notifyVoice { key("notifyVoice"); write(string: value, into: &out) }
        if let value = info.templateId { key("templateId"); write(string: value, into: &out) }
        if let values = info.templateParas {
            key("templateParas")
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                write(string: value, into: &out)
            }
            out += "]"
        }
        if let value = info.collectInd { key("collectInd"); out += String(value) }
        if let value = info.replayAfterCollection { key("replayAfterCollection"); write(string: value, into: &out) }
        if let value = info.collectContentTriggerReplaying { key("collectContentTriggerReplaying"); write(string: value, into: &out) }
        out += "}"
    }

    /// A JSON string as `JSONEncoder` writes it with `.withoutEscapingSlashes`.
    static func write(string: String, into out: inout String) { JSONText.quote(string, into: &out) }
}
