/// The `statusInfo` of a status event (tables 4-15 … 4-18, 5-12 … 5-16,
/// 6-10 … 6-13).
///
/// One type covers all five event types: each field is present only for the
/// events that carry it (`digitInfo` on `collectInfo`, `stateCode`/`stateDesc`
/// and, in click-to-call, `partyType` on `disconnect`). `collectInfo` carries
/// no `userData`: it is matched to its call by `sessionId` alone.
///
/// Decoding is per field: `sessionId` is the one field a push cannot do
/// without (it matches the event to its call) and is read strictly; every
/// other field is optional in the reference and a malformed value reads as
/// absent, with a ``CallbackDecodingNote`` for the receiver to log. Unknown
/// fields are ignored.
public struct CallStatusInfo: Codable, Sendable, Hashable {
    /// Required (String(1-256)): the only key that matches an event to its call.
    public var sessionId: String
    /// "yyyy-MM-dd HH:mm:ss", UTC per the reference. Documented as required
    /// but not needed to match: kept optional.
    public var timestamp: String?
    public var userData: String?
    public var caller: String?
    public var called: String?
    /// `collectInfo` only: the keys pressed.
    public var digitInfo: String?
    /// `disconnect` only, and optional even there (appendix 7.1).
    public var stateCode: Int?
    public var stateDesc: String?
    /// `disconnect` in click-to-call only (a string enum); kept when present.
    public var partyType: PartyType?

    public init(
        sessionId: String, timestamp: String? = nil, userData: String? = nil, caller: String? = nil,
        called: String? = nil, digitInfo: String? = nil, stateCode: Int? = nil, stateDesc: String? = nil,
        partyType: PartyType? = nil
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

    /// Throws only when `sessionId` is missing, empty or not a string/number.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let session: String?
        do {
            session = try c.decodeLenientString(forKey: .sessionId)
        } catch {
            session = nil
        }
        guard let session, !session.isEmpty else {
            throw DecodingError.keyNotFound(
                CodingKeys.sessionId, .init(codingPath: c.codingPath, debugDescription: "statusInfo.sessionId is required"))
        }
        sessionId = session
        let fields = LenientFields(c, notes: decoder.decodingNotes, sessionId: session)
        timestamp = fields.string(.timestamp)
        userData = fields.string(.userData)
        caller = fields.string(.caller)
        called = fields.string(.called)
        digitInfo = fields.string(.digitInfo)
        stateCode = fields.int(.stateCode)
        stateDesc = fields.string(.stateDesc)
        partyType = fields.enumString(.partyType, known: PartyType.documented).map(PartyType.init(rawValue:))
    }
}
