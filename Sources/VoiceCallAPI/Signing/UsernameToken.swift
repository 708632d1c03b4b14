/// The parsed value of an `X-AKSK` / `X-WSSE` header.
public struct UsernameToken: Sendable, Hashable {
    public var username: String?
    public var passwordDigest: String?
    public var nonce: String?
    public var created: String?

    /// Parses `UsernameToken Username="…", PasswordDigest="…", Nonce="…", Created="…"`.
    /// Tolerates blanks after commas and any key order; key names are matched
    /// without regard to case. Returns nil when the `UsernameToken` prefix is missing.
    public init?(header: String) {
        var text = Substring(header).drop(while: { $0 == " " })
        guard text.lowercased().hasPrefix("usernametoken") else { return nil }
        text = text.dropFirst("UsernameToken".count)
        for (key, value) in Self.pairs(text) {
            switch key.lowercased() {
            case "username": username = value
            case "passworddigest": passwordDigest = value
            case "nonce": nonce = value
            case "created": created = value
            default: continue
            }
        }
    }

    static func pairs(_ text: Substring) -> [(String, String)] {
        var result: [(String, String)] = []
        var rest = text
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "," || $0 == "\t" })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: equals)...].drop(while: { $0 == " " })
            if rest.first == "\"" {
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: "\"") else {
                    result.append((key, String(rest)))
                    break
                }
                result.append((key, String(rest[..<close])))
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                result.append((key, rest[..<end].trimmingCharacters(in: .whitespaces)))
                rest = rest[end...]
            }
        }
        return result
    }
}

import Foundation
