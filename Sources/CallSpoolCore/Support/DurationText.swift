/// Parses and prints durations as written in job files and the configuration:
/// `500ms`, `2s`, `20m`, `24h`, `7d`, and sums like `1h30m`.
public enum DurationText {
    public struct Invalid: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "'\(text)' is not a duration (use e.g. 30s, 20m, 1h30m, 24h, 7d)" }
    }

    public static func parse(_ text: String) throws(Invalid) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw Invalid(text: text) }
        var total: Duration = .zero
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !digits.isEmpty, let value = Double(digits) else { throw Invalid(text: text) }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix(while: { $0.isLetter })
            guard !unit.isEmpty else { throw Invalid(text: text) }
            rest = rest.dropFirst(unit.count)
            let seconds: Double
            switch unit {
            case "ms": seconds = value / 1000
            case "s": seconds = value
            case "m": seconds = value * 60
            case "h": seconds = value * 3600
            case "d": seconds = value * 86_400
            default: throw Invalid(text: text)
            }
            // A hostile "3333…3m" would not fit in 64 bits of milliseconds: refused, never trapped on.
            let milliseconds = (seconds * 1000).rounded()
            guard milliseconds.isFinite, abs(milliseconds) < 9e15 else { throw Invalid(text: text) }
            total += .milliseconds(Int64(milliseconds))
        }
        return total
    }

    /// `1h30m`, `5m`, `2s`, `250ms`.
    public static func format(_ duration: Duration) -> String {
        var ms = Int64(duration.components.seconds) * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if ms == 0 { return "0s" }
        var text = ms < 0 ? "-" : ""
        ms = abs(ms)
        let parts: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")]
        for (size, unit) in parts where ms >= size {
            text += "\(ms / size)\(unit)"
            ms %= size
        }
        return text
    }
}

import Foundation
