import Foundation

/// `callspool status --json` (docs/cli-json.md, contract shape).
public struct StatusView: Codable, Sendable, Equatable {
    public struct Daemon: Codable, Sendable, Equatable {
        public var running: Bool
        public var pid: Int?
        public var startedAt: String?
        public var heartbeatAt: String?
        public var version: String?
    }

    public struct Ports: Codable, Sendable, Equatable {
        public var inUse: Int
        public var limit: Int
        public var effectiveLimit: Int
        /// Ports kept for verify jobs, and why (from the running daemon).
        public var reserve: Int?
        public var reserveReason: String?
    }

    public struct Pause: Codable, Sendable, Equatable {
        public var scope: String
        public var reason: String
        public var code: String?
        public var until: String?
    }

    public struct Halt: Codable, Sendable, Equatable {
        public var code: String
        public var reason: String
        public var since: String
        public var probeAt: String?
    }

    public var daemon: Daemon
    public var jobs: [String: Int]
    public var ports: Ports
    public var pauses: [Pause]
    public var halted: Halt?
    /// The last jobs that recorded an error, most recent first (at most 5).
    public var recentErrors: [RecentError] = []

    enum CodingKeys: String, CodingKey { case daemon, jobs, ports, pauses, halted, recentErrors }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(daemon, forKey: .daemon)
        try c.encode(jobs, forKey: .jobs)
        try c.encode(ports, forKey: .ports)
        try c.encode(pauses, forKey: .pauses)
        try c.encode(halted, forKey: .halted)  // explicit null when not halted
        try c.encode(recentErrors, forKey: .recentErrors)
    }

    /// A daemon whose heartbeat is older than this is reported as not running.
    public static let staleAfter: TimeInterval = 30

    /// Builds the view from the store; `portLimit` is the configured maximum.
    public static func load(from database: AppDatabase, portLimit: Int, now: Date) throws -> StatusView {
        let counts = try database.stateCounts()
        let beat = try database.heartbeat()
        let alive = beat.map { now.timeIntervalSince($0.heartbeatAt) < staleAfter && processExists($0.pid) } ?? false
        let daemon = Daemon(
            running: alive, pid: beat?.pid, startedAt: beat.map { Timestamp.format($0.startedAt) },
            heartbeatAt: beat.map { Timestamp.format($0.heartbeatAt) }, version: beat?.version)
        let pauses = try database.pauses().filter { $0.until.map { $0 > now } ?? true }.map {
            Pause(scope: $0.scope, reason: $0.reason, code: $0.code, until: $0.until.map(Timestamp.format))
        }
        let halted = try database.halt().map {
            Halt(code: $0.code, reason: $0.reason, since: Timestamp.format($0.since), probeAt: Timestamp.format($0.probeAt))
        }
        return StatusView(
            daemon: daemon,
            jobs: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            ports: Ports(
                inUse: counts[.inCall] ?? 0, limit: portLimit, effectiveLimit: beat?.effectivePortLimit ?? portLimit,
                reserve: beat?.verifyReserve, reserveReason: beat?.verifyReserveReason),
            pauses: pauses, halted: halted, recentErrors: try database.recentErrors(limit: 5))
    }

    static func processExists(_ pid: Int) -> Bool {
        kill(pid_t(pid), 0) == 0 || errno == EPERM
    }
}
