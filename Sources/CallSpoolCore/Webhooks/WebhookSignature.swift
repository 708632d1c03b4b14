import Crypto
import Foundation

/// `Callspool-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
///
/// Why this scheme: it is Stripe's, which receivers already know how to
/// check; the timestamp inside the signed text lets a receiver refuse
/// replays of an old request (docs/api.md shows the check in Python and Node).
public enum WebhookSignature {
    public static let header = "Callspool-Signature"
    public static let eventIdHeader = "Callspool-Event-Id"

    /// The header's value for `body` sent at `timestamp`.
    public static func value(secret: String, timestamp: Int64, body: some Sequence<UInt8>) -> String {
        "t=\(timestamp),v1=\(hex(secret: secret, timestamp: timestamp, body: body))"
    }

    static func hex(secret: String, timestamp: Int64, body: some Sequence<UInt8>) -> String {
        var signed = Array("\(timestamp).".utf8)
        signed.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return HexText.lowercase(mac)
    }

    /// What a receiver checks: a `v1` signature of `body` with `secret` and
    /// a timestamp within `tolerance` of `now`. Several `v1` are accepted
    /// (a receiver rotating secrets may be sent one per secret).
    public static func verify(_ value: String, secret: String, body: [UInt8], now: Date, tolerance: TimeInterval = 300) -> Bool {
        var timestamp: Int64?
        var signatures: [String] = []
        for part in value.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(hex(secret: secret, timestamp: timestamp, body: body).utf8)
        return signatures.contains { constantTimeEqual(Array($0.utf8), expected) }
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
