import Foundation

/// Daily hours in which a job may be called, in a named time zone
/// (`{"start": "09:00", "end": "20:00", "tz": "Asia/Shanghai"}`). A window whose
/// end is before its start spans midnight.
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
