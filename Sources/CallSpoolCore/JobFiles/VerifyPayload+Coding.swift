/// The stored JSON of a verify job's payload. The tone after the code is
/// written as `posTone`; rows queued before the rename hold it as `postOne`
/// (the reference's misspelling) and still decode with their tone.
extension VerifyPayload: Codable {
    private enum CodingKeys: String, CodingKey {
        case languageType, preTone, posTone, times, verifyCode
        /// Written by versions before the rename; read only.
        case postOne
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        languageType = try container.decode(Int.self, forKey: .languageType)
        preTone = try container.decode(String.self, forKey: .preTone)
        posTone = try container.decodeIfPresent(String.self, forKey: .posTone)
            ?? container.decodeIfPresent(String.self, forKey: .postOne)
        times = try container.decodeIfPresent(Int.self, forKey: .times)
        verifyCode = try container.decode(String.self, forKey: .verifyCode)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(languageType, forKey: .languageType)
        try container.encode(preTone, forKey: .preTone)
        try container.encodeIfPresent(posTone, forKey: .posTone)
        try container.encodeIfPresent(times, forKey: .times)
        try container.encode(verifyCode, forKey: .verifyCode)
    }
}
