import Crypto
import Foundation

/// The platform's digest formulas, as pure functions.
public enum Digest {
    /// `Base64(HMAC-SHA256(appSecret, Nonce + Created))`: the outbound X-AKSK digest.
    public static func aksk(appSecret: String, nonce: String, created: String) -> String {
        hmacBase64(key: appSecret, message: nonce + created)
    }

    /// `Base64(hex(SHA-256(Nonce + Created + appSecret)))`: the legacy X-WSSE digest.
    public static func wsse(appSecret: String, nonce: String, created: String) -> String {
        let hash = SHA256.hash(data: Data((nonce + created + appSecret).utf8))
        let hex = Hex.encode(hash)
        return Data(hex.utf8).base64EncodedString()
    }

    /// `Base64(HMAC-SHA256(appSecret, url + "\n" + Nonce + "\n" + Created))`: the
    /// callback digest (tables 5-9, 5-18). With `separated: false`, the FAQ's
    /// variant without the line breaks.
    public static func callback(appSecret: String, url: String, nonce: String, created: String, separated: Bool = true) -> String {
        hmacBase64(key: appSecret, message: separated ? "\(url)\n\(nonce)\n\(created)" : url + nonce + created)
    }

    static func hmacBase64(key: String, message: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Constant-time check of a Base64 digest against an HMAC of `message`.
    static func isValidHMAC(base64Digest: String, key: String, message: String) -> Bool {
        guard let provided = Data(base64Encoded: base64Digest) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            provided, authenticating: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))
    }
}
