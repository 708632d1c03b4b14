import Foundation

/// A row of `intent`: a change asked for by the CLI (cancel, retry, pause,
/// resume) that the daemon applies and marks applied.
public struct IntentRecord: Codable, Sendable, Hashable {
    public var id: Int64?
    public var kind: String
    public var argument: String
    public var createdAt: Date
    public var appliedAt: Date?
    public var result: String?

    package init(id: Int64? = nil, kind: String, argument: String, createdAt: Date, appliedAt: Date? = nil, result: String? = nil) {
        self.id = id
        self.kind = kind
        self.argument = argument
        self.createdAt = createdAt
        self.appliedAt = appliedAt
        self.result = result
    }
}
