import CallSpoolCore
import Foundation

/// `GET /v1/campaigns/{name}`: a campaign's progress. Every job state is
/// counted (0 included), so a client reads `states.queued` without checking
/// that it is there; `finished` counts the final states and `progress` is
/// finished/total (0 for a campaign without jobs).
public struct CampaignView: Codable, Sendable, Equatable {
    public var campaign: String
    public var paused: Bool
    public var total: Int
    public var finished: Int
    public var progress: Double
    public var states: [String: Int]
    public var outcomes: [String: Int]

    public init(_ summary: CampaignSummary) {
        campaign = summary.campaign
        paused = summary.paused
        total = summary.total
        var states = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for (state, count) in summary.states { states[state, default: 0] += count }
        self.states = states
        finished = JobState.allCases.filter(\.isTerminal).reduce(0) { $0 + (states[$1.rawValue] ?? 0) }
        progress = summary.total == 0 ? 0 : Double(finished) / Double(summary.total)
        outcomes = summary.outcomes
    }
}
