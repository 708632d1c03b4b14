import Foundation

/// A row of `pause`: dispatch held back for a scope (`global`,
/// `campaign:<name>`, `display:<number>`, `callee:<number>`) until a time, or
/// until resumed when `until` is nil. Stored so a restart keeps it.
public struct PauseRecord: Codable, Sendable, Hashable {
    public var scope: String
    public var reason: String
    public var code: String?
    public var until: Date?
    public var createdAt: Date

    package init(scope: String, reason: String, code: String? = nil, until: Date? = nil, createdAt: Date) {
        self.scope = scope
        self.reason = reason
        self.code = code
        self.until = until
        self.createdAt = createdAt
    }
}
