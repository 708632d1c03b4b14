/// The platform limits the simulator enforces, each with the code the
/// reference gives for it. A nil limit uses the default; 0 turns a rate limit off.
public struct SimulatorLimits: Codable, Sendable {
    /// Concurrent calls (voice ports); beyond it 500/1020154. Default 10.
    public var ports: Int?
    /// API requests per second; beyond it 403/1010010. Default 100.
    public var requestsPerSecond: Int?
    /// Accepted calls per callee within ``perCalleeWindowSeconds``; beyond it 403/1013117. Default off.
    public var perCalleeMax: Int?
    /// Default 86400 (the platform's recommended 24 h).
    public var perCalleeWindowSeconds: Double?
    /// Accepted calls per display number per minute; beyond it 403/1013118. Default off.
    public var perDisplayNumberPerMinute: Int?
    /// How far `Created` may be from now (either clock convention); beyond it 401/1010013. Default 900.
    public var createdWindowSeconds: Int?

    public init(
        ports: Int? = nil, requestsPerSecond: Int? = nil, perCalleeMax: Int? = nil, perCalleeWindowSeconds: Double? = nil,
        perDisplayNumberPerMinute: Int? = nil, createdWindowSeconds: Int? = nil
    ) {
        self.ports = ports
        self.requestsPerSecond = requestsPerSecond
        self.perCalleeMax = perCalleeMax
        self.perCalleeWindowSeconds = perCalleeWindowSeconds
        self.perDisplayNumberPerMinute = perDisplayNumberPerMinute
        self.createdWindowSeconds = createdWindowSeconds
    }

    /// The limits with defaults filled in; 0 means "no limit" for the rates.
    public struct Resolved: Sendable, Hashable {
        public var ports: Int
        public var requestsPerSecond: Int
        public var perCalleeMax: Int
        public var perCalleeWindowSeconds: Double
        public var perDisplayNumberPerMinute: Int
        public var createdWindowSeconds: Int
    }

    public var resolved: Resolved {
        Resolved(
            ports: max(0, ports ?? 10),
            requestsPerSecond: max(0, requestsPerSecond ?? 100),
            perCalleeMax: max(0, perCalleeMax ?? 0),
            perCalleeWindowSeconds: max(0, perCalleeWindowSeconds ?? 86_400),
            perDisplayNumberPerMinute: max(0, perDisplayNumberPerMinute ?? 0),
            createdWindowSeconds: max(0, createdWindowSeconds ?? 900)
        )
    }
}
