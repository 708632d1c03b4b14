import TOMLKit
import VoiceCallAPI

/// Reads one TOML table strictly: every key read is checked for type and
/// value, and ``finish()`` reports any key that was not read (a typo) — so a
/// misspelled setting stops start-up instead of being silently ignored.
package struct TOMLSection {
    let name: String
    let table: TOMLTable?
    let file: String
    private var read: Set<String> = []

    package init(_ name: String, in root: TOMLTable, file: String) throws(ConfigurationError) {
        self.name = name
        self.file = file
        guard let value = root[name] else {
            table = nil
            return
        }
        guard let table = value.table else {
            throw ConfigurationError(file: file, key: name, message: "must be a table ([\(name)])")
        }
        self.table = table
    }

    /// A table nested deeper than the root, such as `[apps.reminders]`.
    package init(_ name: String, table: TOMLTable, file: String) {
        self.name = name
        self.file = file
        self.table = table
    }

    /// Whether `key` is present (without marking it read).
    package func has(_ key: String) -> Bool { table?[key] != nil }

    package func error(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, key: "\(name).\(key)", message: message)
    }

    private mutating func raw(_ key: String) -> TOMLValueConvertible? {
        read.insert(key)
        return table?[key]
    }

    package mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = raw(key) else { return nil }
        guard let text = value.string else { throw error(key, "must be a string, got a \(value.type)") }
        return text
    }

    package mutating func string(_ key: String, default fallback: String) throws(ConfigurationError) -> String {
        try string(key) ?? fallback
    }

    package mutating func requiredString(_ key: String, hint: String) throws(ConfigurationError) -> String {
        guard let text = try string(key), !text.isEmpty else { throw error(key, "is required: \(hint)") }
        return text
    }

    package mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = raw(key) else { return fallback }
        guard let number = value.int else { throw error(key, "must be an integer, got a \(value.type)") }
        guard range.contains(number) else { throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)") }
        return number
    }

    package mutating func bool(_ key: String, default fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let value = raw(key) else { return fallback }
        guard let flag = value.bool else { throw error(key, "must be true or false, got a \(value.type)") }
        return flag
    }

    package mutating func duration(_ key: String, default fallback: String, min: Duration = .milliseconds(1), max: Duration = .seconds(365 * 86_400)) throws(ConfigurationError) -> Duration {
        let text = try string(key, default: fallback)
        let value: Duration
        do {
            value = try DurationText.parse(text)
        } catch {
            throw self.error(key, error.description)
        }
        guard value >= min, value <= max else {
            throw self.error(key, "must be between \(DurationText.format(min)) and \(DurationText.format(max)), got \(text)")
        }
        return value
    }

    /// A size: an integer of bytes or a string such as "64MiB", "512KiB",
    /// "1GiB", "100MB" (powers of 1024 for KiB/MiB/GiB, of 1000 for kB/MB/GB).
    package mutating func byteSize(_ key: String, default fallback: String, range: ClosedRange<Int64>) throws(ConfigurationError) -> Int64 {
        let value = raw(key)
        let bytes: Int64
        if let number = value?.int {
            bytes = Int64(number)
        } else {
            let text = value?.string ?? (value == nil ? fallback : "")
            guard let parsed = ByteSize.parse(text) else {
                throw error(key, "must be a size such as \"64MiB\" or a number of bytes, got \(value.map { "\($0)" } ?? text)")
            }
            bytes = parsed
        }
        guard range.contains(bytes) else { throw error(key, "must be between \(range.lowerBound) and \(range.upperBound) bytes, got \(bytes)") }
        return bytes
    }

    /// An integer in `range`, or the string `word` (returned as nil).
    package mutating func intOrWord(_ key: String, word: String, default fallback: Int?, range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let value = raw(key) else { return fallback }
        if let text = value.string {
            guard text == word else { throw error(key, "must be \"\(word)\" or an integer \(range.lowerBound)–\(range.upperBound), got \"\(text)\"") }
            return nil
        }
        guard let number = value.int else { throw error(key, "must be \"\(word)\" or an integer, got a \(value.type)") }
        guard range.contains(number) else { throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)") }
        return number
    }

    /// Whether `key` holds the string `word` (`fallback` when absent).
    package mutating func isWord(_ key: String, _ word: String, default fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let value = raw(key) else { return fallback }
        return value.string == word
    }

    /// A duration where `0` (or `"0"`) means off (returned as zero).
    package mutating func durationOrOff(_ key: String, default fallback: String, min: Duration, max: Duration) throws(ConfigurationError) -> Duration {
        if let value = raw(key), value.int == 0 || value.string == "0" { return .zero }
        let value = try duration(key, default: fallback, min: .milliseconds(1), max: max)
        guard value >= min else {
            throw self.error(key, "must be 0 (never) or at least \(DurationText.format(min)), got \(DurationText.format(value))")
        }
        return value
    }

    package mutating func stringList(_ key: String) throws(ConfigurationError) -> [String] {
        guard let value = raw(key) else { return [] }
        guard let array = value.array else { throw error(key, "must be an array of strings") }
        var result: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element.string else { throw error("\(key)[\(index)]", "must be a string") }
            result.append(text)
        }
        return result
    }

    /// The value of `key` when it is a string, else nil (absent or another
    /// type, left for a typed read): for keys that take a word or a table.
    package mutating func stringIfString(_ key: String) -> String? { raw(key)?.string }

    package mutating func subtable(_ key: String) throws(ConfigurationError) -> TOMLTable? {
        guard let value = raw(key) else { return nil }
        guard let table = value.table else { throw error(key, "must be a table such as { start = \"08:00\", end = \"21:00\", tz = \"Asia/Shanghai\" }") }
        return table
    }

    /// Throws for the first key present but never read.
    package func finish(allowed: Set<String> = []) throws(ConfigurationError) {
        guard let table else { return }
        for key in table.keys.sorted() where !read.contains(key) && !allowed.contains(key) {
            var message = "unknown key in [\(name)]"
            if let guess = Spelling.closest(to: key, among: read) { message += " (did you mean '\(guess)'?)" }
            throw error(key, message)
        }
    }
}
