/// A sliding-window limit written `COUNT/WINDOW` in the configuration
/// (`"5/1h"`: at most 5 in any hour).
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public var count: Int
    public var window: Duration

    public init(count: Int, window: Duration) {
        self.count = count
        self.window = window
    }

    /// Reads `"5/1h"`; nil for `"off"`.
    /// - Throws: a message naming what is wrong.
    public static func parse(_ text: String) throws(RateLimitSyntaxError) -> RateLimit? {
        if text == "off" { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count >= 1, count <= 1_000_000 else {
            throw RateLimitSyntaxError(text: text, reason: "must be COUNT/WINDOW with a count of 1–1000000 (e.g. \"5/1h\"), or \"off\"")
        }
        let window: Duration
        do {
            window = try DurationText.parse(String(parts[1]))
        } catch {
            throw RateLimitSyntaxError(text: text, reason: "the window: \(error.description)")
        }
        guard window >= .seconds(1), window <= .seconds(30 * 86_400) else {
            throw RateLimitSyntaxError(text: text, reason: "the window must be between 1s and 30d")
        }
        return RateLimit(count: count, window: window)
    }

    public var description: String { "\(count)/\(DurationText.format(window))" }
}

/// Why a `COUNT/WINDOW` text is not a limit.
public struct RateLimitSyntaxError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "\"\(text)\": \(reason)" }
}
