import VoiceCallAPI

/// The JSON a job row stores for its payload: `{"notify":{"playInfoList":[…]}}`
/// or `{"verify":{"_0":{…}}}`, the shape Swift's synthesized coding wrote
/// before this conformance was spelled out, so rows queued by any version
/// decode alike.
///
/// Rows queued before the platform's field names were fixed hold the
/// reference's misspellings (`collectContentTriggerReplacing`, and `postOne` in
/// ``VerifyPayload``); they are read as the right fields so an upgrade loses no
/// tone or trigger. Writing always uses the platform's names.
extension JobPayload: Codable {
    private enum CodingKeys: String, CodingKey { case notify, verify }
    private enum NotifyKeys: String, CodingKey { case playInfoList }
    private enum VerifyKeys: String, CodingKey { case payload = "_0" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.notify) {
            let notify = try container.nestedContainer(keyedBy: NotifyKeys.self, forKey: .notify)
            let stored = try notify.decode([StoredPlayContentInfo].self, forKey: .playInfoList)
            self = .notify(playInfoList: stored.map(\.info))
        } else if container.contains(.verify) {
            let verify = try container.nestedContainer(keyedBy: VerifyKeys.self, forKey: .verify)
            self = .verify(try verify.decode(VerifyPayload.self, forKey: .payload))
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "a stored job payload must hold a \"notify\" or a \"verify\" object"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .notify(let list):
            var notify = container.nestedContainer(keyedBy: NotifyKeys.self, forKey: .notify)
            try notify.encode(list, forKey: .playInfoList)
        case .verify(let payload):
            var verify = container.nestedContainer(keyedBy: VerifyKeys.self, forKey: .verify)
            try verify.encode(payload, forKey: .payload)
        }
    }
}

/// A stored ``PlayContentInfo`` that may still carry the trigger digits under
/// the reference's misspelled key, as versions before the rename wrote it.
///
/// The wire model itself stays strict (the simulator, like the platform,
/// ignores the misspelling); only the store reads it.
struct StoredPlayContentInfo: Decodable {
    var info: PlayContentInfo

    private enum LegacyKeys: String, CodingKey { case collectContentTriggerReplacing }

    init(from decoder: any Decoder) throws {
        info = try PlayContentInfo(from: decoder)
        if info.collectContentTriggerReplaying == nil {
            let legacy = try decoder.container(keyedBy: LegacyKeys.self)
            info.collectContentTriggerReplaying = try legacy.decodeIfPresent(String.self, forKey: .collectContentTriggerReplacing)
        }
    }
}
