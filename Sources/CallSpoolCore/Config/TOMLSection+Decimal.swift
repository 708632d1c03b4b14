import TOMLKit

extension TOMLSection {
    /// A number as decimal text, exactly as written for a string ("0.12")
    /// or an integer, and as the shortest text that reads back as the same
    /// double for a float (`0.12` → "0.12"), so a price never goes through
    /// binary arithmetic; nil when absent. The caller checks the text.
    package mutating func decimalText(_ key: String) throws(ConfigurationError) -> String? {
        guard has(key) else { return nil }
        if let text = stringIfString(key) { return text.trimmingCharacters(in: .whitespaces) }
        guard let value = table?[key] else { return nil }
        if let number = value.int { return String(number) }
        if let number = value.double, number.isFinite { return "\(number)" }
        throw error(key, "must be a number such as 0.12, got a \(value.type)")
    }
}

import Foundation
