/// The one JSON string writer of the hand-written encoders (stored job
/// payloads, `meta`): the same text `JSONEncoder` produces, without its cost.
package enum JSONText {
    /// Appends `string` as a JSON string, escaped as `JSONEncoder` does with
    /// `.withoutEscapingSlashes`.
    package static func quote(_ string: String, into out: inout String) {
        out += "\""
        let utf8 = string.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += string
            out += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
