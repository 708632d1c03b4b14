import Foundation
import GRDB

/// The single row of `heartbeat`: the running daemon's pid, start and last
/// beat, and the figures `status` shows that live only in the daemon.
public struct HeartbeatRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "heartbeat"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

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
}
