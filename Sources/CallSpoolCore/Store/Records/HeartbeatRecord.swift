import Foundation

/// The single row of `heartbeat`: the running daemon's pid, start and last
/// beat, and the figures `status` shows that live only in the daemon.
public struct HeartbeatRecord: Codable, Sendable, Hashable {
    public var id: Int = 1
    public var pid: Int
    public var startedAt: Date
    public var heartbeatAt: Date
    public var version: String
    public var effectivePortLimit: Int?
    public var createdClock: String?
    /// Since when the callback receiver has been up without a gap longer
    /// than the call lease (nil: not known, e.g. written by an older version).
    public var receiverUpSince: Date?
    /// Ports kept for verify jobs when the heartbeat was written, and why.
    public var verifyReserve: Int?
    public var verifyReserveReason: String?

    package init(id: Int = 1, pid: Int, startedAt: Date, heartbeatAt: Date, version: String, effectivePortLimit: Int? = nil, createdClock: String? = nil, receiverUpSince: Date? = nil, verifyReserve: Int? = nil, verifyReserveReason: String? = nil) {
        self.id = id
        self.pid = pid
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.version = version
        self.effectivePortLimit = effectivePortLimit
        self.createdClock = createdClock
        self.receiverUpSince = receiverUpSince
        self.verifyReserve = verifyReserve
        self.verifyReserveReason = verifyReserveReason
    }
}
