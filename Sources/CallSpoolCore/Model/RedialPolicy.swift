/// When to call again after a completed call (`redial` in a job file).
///
/// `maxAttempts` counts every call of the job, the first included, so
/// `maxAttempts: 3` means at most two redials. `throttled` outcomes are
/// requeued without counting.
public struct RedialPolicy: Codable, Sendable, Hashable {
    public var maxAttempts: Int
    public var interval: Duration
    public var on: Set<Outcome>

    public init(maxAttempts: Int, interval: Duration, on: Set<Outcome>) {
        self.maxAttempts = maxAttempts
        self.interval = interval
        self.on = on
    }

    public static let defaultOutcomes: Set<Outcome> = [.noAnswer, .busy, .poweredOff, .unreachable]
    public static let maxAttemptsRange = 1...10

    enum CodingKeys: String, CodingKey { case maxAttempts, interval, on }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxAttempts = try c.decode(Int.self, forKey: .maxAttempts)
        let text = try c.decode(String.self, forKey: .interval)
        do {
            interval = try DurationText.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .interval, in: c, debugDescription: error.description)
        }
        on = Set(try c.decodeIfPresent([Outcome].self, forKey: .on) ?? Array(Self.defaultOutcomes))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxAttempts, forKey: .maxAttempts)
        try c.encode(DurationText.format(interval), forKey: .interval)
        try c.encode(on.map(\.rawValue).sorted(), forKey: .on)
    }
}
