import Foundation

/// A row of `appStatus`: what the running daemon knows of one application
/// and only it knows (ports in use, the learned limit, the verify reserve,
/// the `Created` convention that works), written with the heartbeat for
/// `status`, and read back at start so a learned convention survives.
public struct AppStatusRecord: Codable, Sendable, Hashable {
    public var app: String
    /// Masked: the store never holds a whole credential it does not need.
    public var appKey: String
    /// The job types it serves (stored as a JSON array).
    public var types: [String]
    public var portsInUse: Int
    public var portLimit: Int
    public var effectivePortLimit: Int
    public var verifyReserve: Int?
    public var verifyReserveReason: String?
    public var createdClock: String?
    public var updatedAt: Date

    public init(
        app: String, appKey: String, types: [String], portsInUse: Int, portLimit: Int, effectivePortLimit: Int, verifyReserve: Int?,
        verifyReserveReason: String?, createdClock: String?, updatedAt: Date
    ) {
        self.app = app
        self.appKey = appKey
        self.types = types
        self.portsInUse = portsInUse
        self.portLimit = portLimit
        self.effectivePortLimit = effectivePortLimit
        self.verifyReserve = verifyReserve
        self.verifyReserveReason = verifyReserveReason
        self.createdClock = createdClock
        self.updatedAt = updatedAt
    }
}
