import Foundation

/// A row of `appHalt`, present while an application's dispatch is stopped
/// for a configuration or account problem (1010040, a bad secret, …);
/// `probeAt` is when its one probe request goes. The other applications
/// go on.
public struct HaltRecord: Codable, Sendable, Hashable {
    public var app: String
    public var code: String
    public var reason: String
    public var since: Date
    public var probeAt: Date

    public init(app: String, code: String, reason: String, since: Date, probeAt: Date) {
        self.app = app
        self.code = code
        self.reason = reason
        self.since = since
        self.probeAt = probeAt
    }
}
