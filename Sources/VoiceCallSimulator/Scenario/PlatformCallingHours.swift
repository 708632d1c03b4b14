/// The platform's own calling hours (not a job's window, which is
/// callspool's `CallingWindow`): the hours in which it places calls ("HH:mm" to "HH:mm" at a
/// fixed UTC offset, default +8); a request outside them gets 403/1013121.
public struct PlatformCallingHours: Codable, Sendable, Hashable {
    public var start: String
    public var end: String
    public var utcOffsetHours: Int?

    public init(start: String, end: String, utcOffsetHours: Int? = nil) {
        self.start = start
        self.end = end
        self.utcOffsetHours = utcOffsetHours
    }

    /// Whether the instant `epochSeconds` lies inside the window. A window whose
    /// end is before its start spans midnight. Unparseable bounds allow everything.
    public func contains(epochSeconds: Int64) -> Bool {
        guard let from = Self.minutes(start), let to = Self.minutes(end) else { return true }
        let local = epochSeconds + Int64((utcOffsetHours ?? 8) * 3600)
        let dayMinute = Int(((local % 86_400) + 86_400) % 86_400) / 60
        if from == to { return true }
        return from < to ? (dayMinute >= from && dayMinute < to) : (dayMinute >= from || dayMinute < to)
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m) else {
            return nil
        }
        return h * 60 + m
    }
}
