import Foundation

/// A row of `suppressionAudit`: one change to the suppression list — who,
/// when, why — kept after the entry itself is removed, so "why was this
/// person not called?" and "who took them off the list?" have answers.
public struct SuppressionAuditRecord: Codable, Sendable, Hashable {
    public enum Action: String, Codable, Sendable, Hashable {
        case add, remove
    }

    /// The row key; nil until inserted.
    public var id: Int64?
    public var action: Action
    public var number: String
    public var scope: String
    public var reason: String
    public var source: SuppressionSource
    /// The operator's user name, or `callspool` for an opt-out.
    public var actor: String
    public var jobId: String?
    public var campaign: String?
    public var at: Date

    public init(
        id: Int64? = nil, action: Action, number: String, scope: String, reason: String, source: SuppressionSource, actor: String,
        jobId: String? = nil, campaign: String? = nil, at: Date
    ) {
        self.id = id
        self.action = action
        self.number = number
        self.scope = scope
        self.reason = reason
        self.source = source
        self.actor = actor
        self.jobId = jobId
        self.campaign = campaign
        self.at = at
    }

    /// The audit row of adding `entry`.
    public init(added entry: SuppressionRecord) {
        self.init(
            action: .add, number: entry.number, scope: entry.scope, reason: entry.reason, source: entry.source, actor: entry.createdBy,
            jobId: entry.jobId, campaign: entry.campaign, at: entry.createdAt)
    }
}
