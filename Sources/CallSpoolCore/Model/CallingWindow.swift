import Foundation

/// Daily hours in which a job may be called, in a named time zone
/// (`{"start": "09:00", "end": "20:00", "tz": "Asia/Shanghai"}`). A window whose
/// end is before its start spans midnight. ``always`` (`"always"` in job
/// files and `[defaults]`) is any hour: alerts and on-call calls need one.
public struct CallingWindow: Codable, Sendable, Hashable {
    /// Minutes after local midnight.
    public var startMinute: Int
    public var endMinute: Int
    public var timeZone: String

    public init(startMinute: Int, endMinute: Int, timeZone: String) {
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.timeZone = timeZone
    }

    /// Any hour of any day. Stored as the whole day (00:00–24:00 UTC), which
    /// every reader of a stored window already understands.
    public static let always = CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "UTC")

    /// Whether the window covers the whole day (`"always"`, or 00:00–24:00 in any zone).
    public var isAlways: Bool { startMinute == 0 && endMinute == 24 * 60 }

    /// The window as a person reads it: `always`, or `09:00–20:00 Asia/Shanghai`.
    public var summary: String { isAlways ? "always" : "\(startText)–\(endText) \(timeZone)" }

    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...24).contains(hour), (0..<60).contains(minute),
            hour * 60 + minute <= 24 * 60
        else { return nil }
        return hour * 60 + minute
    }

    public var startText: String { Self.text(startMinute) }
    public var endText: String { Self.text(endMinute) }

    static func text(_ minute: Int) -> String {
        let hours = minute / 60, minutes = minute % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }

    enum CodingKeys: String, CodingKey { case start, end, tz }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let start = try c.decode(String.self, forKey: .start)
        let end = try c.decode(String.self, forKey: .end)
        guard let s = Self.minutes(start), let e = Self.minutes(end) else {
            throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "window times must be HH:MM")
        }
        self.init(startMinute: s, endMinute: e, timeZone: try c.decode(String.self, forKey: .tz))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(startText, forKey: .start)
        try c.encode(endText, forKey: .end)
        try c.encode(timeZone, forKey: .tz)
    }
}
