/// The parsed `Authorization` header of a platform request:
/// `AKSK realm="SDP",profile="UsernameToken",type="Appkey"` (or `WSSE …`).
struct AuthorizationHeader: Sendable, Hashable {
    var scheme: String
    var attributes: [String: String]

    init(_ header: String) {
        let trimmed = header.drop(while: { $0 == " " })
        let schemeEnd = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        let first = trimmed[..<schemeEnd]
        if first.contains("=") {
            scheme = ""
            attributes = Self.pairs(trimmed)
        } else {
            scheme = String(first)
            attributes = Self.pairs(trimmed[schemeEnd...])
        }
    }

    func value(_ key: String) -> String? {
        attributes.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }

    static func pairs(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for part in text.split(separator: ",") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let key = part[..<equals].trimmingCharacters(in: .whitespaces)
            var value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            result[key] = value
        }
        return result
    }
}

import Foundation
