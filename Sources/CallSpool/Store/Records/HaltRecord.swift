import Foundation
import GRDB

/// The single row of `halt`, present while dispatch is stopped for a
/// configuration or account problem; `probeAt` is when one probe request goes.
public struct HaltRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "halt"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int = 1
    public var code: String
    public var reason: String
    public var since: Date
    public var probeAt: Date
}
