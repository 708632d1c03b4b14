/// The `statusInfo` of a status event (tables 5-12 … 5-16, 6-10 … 6-13).
///
/// One type covers all five event types: each field is present only for the
/// events that carry it (`digitInfo` on `collectInfo`, `stateCode`/`stateDesc`
/// on `disconnect`). `collectInfo` carries no `userData`: it is matched to its
/// call by `sessionId` alone. Unknown fields are ignored.
public struct CallStatusInfo: Codable, Sendable, Hashable {
    public var sessionId: String
    /// "yyyy-MM-dd HH:mm:ss", UTC per the reference.
    public var timestamp: String?
    public var userData: String?
    public var caller: String?
    public var called: String?
    public var digitInfo: String?
    public var stateCode: Int?
    public var stateDesc: String?
    /// Who hung up; only sent in click-to-call, kept when present.
    public var partyType: Int?

    public init(
        sessionId: String, timestamp: String? = nil, userData: String? = nil, caller: String? = nil,
        called: String? = nil, digitInfo: String? = nil, stateCode: Int? = nil, stateDesc: String? = nil,
        partyType: Int? = nil
    ) {
        self.sessionId = sessionId
        self.timestamp = timestamp
        self.userData = userData
        self.caller = caller
        self.called = called
        self.digitInfo = digitInfo
        self.stateCode = stateCode
        self.stateDesc = stateDesc
        self.partyType = partyType
    }

    enum CodingKeys: String, CodingKey {
        case sessionId, timestamp, userData, caller, called, digitInfo, stateCode, stateDesc, partyType
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let session = try c.decodeLenientString(forKey: .sessionId), !session.isEmpty else {
            throw DecodingError.keyNotFound(
                CodingKeys.sessionId, .init(codingPath: c.codingPath, debugDescription: "statusInfo.sessionId is required"))
        }
        sessionId = session
        timestamp = try c.decodeLenientString(forKey: .timestamp)
        userData = try c.decodeLenientString(forKey: .userData)
        caller = try c.decodeLenientString(forKey: .caller)
        called = try c.decodeLenientString(forKey: .called)
        digitInfo = try c.decodeLenientString(forKey: .digitInfo)
        stateCode = try c.decodeLenientInt(forKey: .stateCode)
        stateDesc = try c.decodeLenientString(forKey: .stateDesc)
        partyType = try c.decodeLenientInt(forKey: .partyType)
    }
}
