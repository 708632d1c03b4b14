import Foundation
import GRDB

/// A row of `appHalt`, present while an application's dispatch is stopped
/// for a configuration or account problem (1010040, a bad secret, …);
/// `probeAt` is when its one probe request goes. The other applications
/// go on.
public struct HaltRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "appHalt"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

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
