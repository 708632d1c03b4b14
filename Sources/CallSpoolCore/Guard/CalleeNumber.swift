/// How callspool reads a callee's number: rewritten to E.164 when written in
/// a common local way, and grouped by prefix for the verification-code guard.
///
/// Why: job files come from spreadsheets and CRMs that write
/// `0086 138-0013-8000` or `8613800138000` for `+8613800138000`. The
/// platform takes E.164 only; the suppression list and the guard's counters
/// must see one spelling per person, or a number suppressed as `+86…`
/// would still be called when written `0086…`.
public enum CalleeNumber {
    /// What ``normalise(_:)`` did to a number.
    public enum Rewrite: Sendable, Hashable {
        /// Already E.164.
        case unchanged
        /// Rewritten; `how` says what changed (without the number).
        case rewritten(String, how: String)
    }

    /// The number in E.164, or nil when it cannot be read as one (the
    /// validator then names the rule). Separators (spaces, dashes, dots,
    /// parentheses) are removed; a leading `00` (the international prefix
    /// used in China) becomes `+`; 13 digits starting with `86` (a mainland
    /// number with its country code, without `+`) get the `+`.
    public static func normalise(_ text: String) -> Rewrite? {
        if isE164(text) { return .unchanged }
        var changes: [String] = []
        var digits = ""
        var plus = false
        for (offset, character) in text.enumerated() {
            switch character {
            case "0"..."9": digits.append(character)
            case "+" where offset == 0: plus = true
            case " ", "-", ".", "(", ")", "\u{00A0}":
                if !changes.contains("separators removed") { changes.append("separators removed") }
            default: return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        if !plus {
            if digits.hasPrefix("00") {
                digits.removeFirst(2)
                changes.append("the international prefix 00 became +")
            } else if digits.hasPrefix("86"), digits.count == 13 {
                changes.append("+ added before the country code 86")
            } else {
                return nil
            }
        }
        let number = "+" + digits
        guard isE164(number) else { return nil }
        return changes.isEmpty ? .unchanged : .rewritten(number, how: changes.joined(separator: ", "))
    }

    /// `+` then 3–30 digits (4–31 characters, as the platform types it).
    public static func isE164(_ text: String) -> Bool {
        let utf8 = text.utf8
        return (4...31).contains(utf8.count) && utf8.first == UInt8(ascii: "+")
            && utf8.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The country calling code of an E.164 number (`86` for `+8613800138000`):
    /// one digit for 1 and 7, two digits for the ITU's two-digit codes,
    /// three digits otherwise.
    public static func countryCode(of number: String) -> String {
        let digits = number.utf8.dropFirst().map { Character(UnicodeScalar($0)) }
        guard let first = digits.first else { return "" }
        if first == "1" || first == "7" { return String(first) }
        let two = String(digits.prefix(2))
        if twoDigitCodes.contains(two) { return two }
        return String(digits.prefix(3))
    }

    /// The guard's prefix of `number`: `+`, the country code and the next
    /// `length` digits (`+861380013` for length 7).
    public static func prefix(of number: String, length: Int) -> String {
        let code = countryCode(of: number)
        return String(number.prefix(1 + code.count + length))
    }

    static let twoDigitCodes: Set<String> = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86",
        "90", "91", "92", "93", "94", "95", "98",
    ]
}
