/// The synchronous answer to `callnotify` / `callVerify` (tables 5-6, 6-4).
///
/// Decoding is lenient about quoting (`"idlePort": "3"` and `"resultcode": 0`
/// are accepted) because a call the platform accepted must never be lost to a
/// type quibble: losing the `sessionId` would leave the job `unknown`.
public struct CallResponse: Codable, Sendable, Hashable {
    public var resultcode: String
    public var resultdesc: String?
    public var sessionId: String?
    public var idlePort: Int?

    public init(resultcode: String, resultdesc: String? = nil, sessionId: String? = nil, idlePort: Int? = nil) {
        self.resultcode = resultcode
        self.resultdesc = resultdesc
        self.sessionId = sessionId
        self.idlePort = idlePort
    }

    enum CodingKeys: String, CodingKey {
        case resultcode, resultdesc, sessionId, idlePort
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let code = try container.decodeLenientString(forKey: .resultcode) else {
            throw DecodingError.keyNotFound(
                CodingKeys.resultcode, .init(codingPath: container.codingPath, debugDescription: "resultcode is required"))
        }
        self.resultcode = code
        self.resultdesc = try container.decodeLenientString(forKey: .resultdesc)
        let session = try container.decodeLenientString(forKey: .sessionId)
        self.sessionId = (session?.isEmpty ?? true) ? nil : session
        self.idlePort = try container.decodeLenientInt(forKey: .idlePort)
    }
}
