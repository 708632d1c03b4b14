import Foundation

/// A callback URL as the platform accepts it, and its Base64 wire form.
///
/// The reference allows only `A-Z a-z 0-9 - : . /` and 1–128 characters in
/// `statusUrl` / `feeUrl`, and those fields carry the Base64 of the URL. Since
/// the 128 limit applies to the field as sent, the URL itself must stay within
/// 96 characters (Base64 grows by 4/3); callspool refuses longer ones at
/// start-up rather than have every call rejected.
public struct CallbackURL: Sendable, Hashable, CustomStringConvertible {
    public let string: String

    public static let allowedCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-:./")

    public init(_ string: String, field: String = "url") throws(ValidationFailure) {
        if let issue = Self.check(string, field: field) { throw ValidationFailure([issue]) }
        self.string = string
    }

    public static func check(_ string: String, field: String) -> ValidationIssue? {
        if string.isEmpty { return .init(field: field, rule: "must not be empty") }
        if let bad = string.first(where: { !allowedCharacters.contains($0) }) {
            return .init(field: field, rule: "may contain only A-Z a-z 0-9 - : . / (found '\(bad)'); the platform refuses other characters, including '?', '_' and '%'")
        }
        if string.count > FieldRules.callbackURLLength.upperBound {
            return .init(field: field, rule: "must be at most 128 characters, got \(string.count)")
        }
        let encodedCount = Data(string.utf8).base64EncodedString().count
        if encodedCount > FieldRules.callbackURLLength.upperBound {
            return .init(field: field, rule: "is \(string.count) characters; its Base64 form (\(encodedCount)) exceeds the platform's 128, so keep the URL within 96 characters")
        }
        guard string.hasPrefix("http://") || string.hasPrefix("https://") else {
            return .init(field: field, rule: "must start with http:// or https://")
        }
        return nil
    }

    /// The value for `statusUrl` / `feeUrl`.
    public var base64: String { Data(string.utf8).base64EncodedString() }

    /// The path the platform will POST to ("/" when the URL has none).
    public var path: String {
        guard let schemeEnd = string.range(of: "://") else { return "/" }
        let rest = string[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    public var description: String { string }
}
