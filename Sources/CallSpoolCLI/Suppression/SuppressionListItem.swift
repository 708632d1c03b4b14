import CallSpoolCore
import Foundation
import VoiceCallAPI

/// One entry of `callspool suppress list --json`.
public struct SuppressionListItem: Codable, Sendable, Equatable {
    public var number: String
    /// `""`: every campaign; else a campaign name or prefix (`flu-*`).
    public var scope: String
    public var reason: String
    public var source: String
    public var jobId: String?
    public var campaign: String?
    public var createdAt: String
    public var createdBy: String

    public init(_ record: SuppressionRecord) {
        number = record.number
        scope = record.scope
        reason = record.reason
        source = record.source.rawValue
        jobId = record.jobId
        campaign = record.campaign
        createdAt = Timestamp.format(record.createdAt)
        createdBy = record.createdBy
    }

    /// For people: numbers masked, values escaped.
    public static func table(_ entries: [SuppressionListItem]) -> String {
        guard !entries.isEmpty else { return "the suppression list is empty" }
        var table = TextTable(["NUMBER", "SCOPE", "SOURCE", "SINCE", "BY", "REASON"], shrinkable: [5])
        for entry in entries {
            table.add([
                PhoneMask.mask(entry.number), entry.scope.isEmpty ? "all" : entry.scope, entry.source, entry.createdAt, entry.createdBy,
                entry.reason.isEmpty ? "-" : entry.reason,
            ])
        }
        return table.render().split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.visible(String($0)) }.joined(separator: "\n")
    }
}
