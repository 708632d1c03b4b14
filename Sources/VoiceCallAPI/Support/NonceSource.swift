/// Produces the `Nonce` of an `X-AKSK` / `X-WSSE` header.
///
/// The reference requires a secure random number; the default draws 16 bytes
/// from the system CSPRNG (`SystemRandomNumberGenerator`, getrandom(2) on Linux)
/// and hex-encodes them to 32 characters. Tests inject a fixed source.
public protocol NonceSource: Sendable {
    func nextNonce() -> String
}

/// 32 upper-case hex characters from the system CSPRNG.
public struct SecureNonceSource: NonceSource {
    public init() {}

    public func nextNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = generator.next() }
        return Hex.encode(bytes, uppercase: true)
    }
}

enum Hex {
    static func encode<S: Sequence>(_ bytes: S, uppercase: Bool = false) -> String where S.Element == UInt8 {
        let digits: [UInt8] = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
