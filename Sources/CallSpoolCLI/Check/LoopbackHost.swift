import Foundation

/// Whether a host name or address is this machine's loopback: `localhost`
/// (and `*.localhost`, RFC 6761), 127.0.0.0/8, `::1` (also bracketed, or as
/// `::ffff:127.x.y.z`). `check` judges by it what only this host can reach
/// (a callback URL) and what never leaves it (a store connection). Addresses
/// are parsed, not prefix-matched: `127.example.com` is a name elsewhere.
public enum LoopbackHost {
    public static func contains(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name = String(name.dropLast()) }
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        // ::ffff:127.x.y.z, an IPv4 loopback address written as IPv6.
        return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
    }
}
