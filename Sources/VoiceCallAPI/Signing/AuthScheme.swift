/// How outbound requests are signed (`platform.auth`).
public enum AuthScheme: String, Sendable, CaseIterable, Codable {
    /// `Authorization: AKSK …` + `X-AKSK` with an HMAC-SHA256 digest (reference §5.2).
    case aksk
    /// The legacy `Authorization: WSSE …` + `X-WSSE`, Base64 of hex SHA-256 (Python sample).
    case wsse
}
