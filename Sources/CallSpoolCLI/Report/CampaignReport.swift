import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import VoiceCallAPI

/// Everything `callspool report` shows about one campaign, read from the
/// store in one go: it exists so the HTML (``html``) is a pure rendering of
/// figures a test can compare with the store.
public struct CampaignReport: Sendable {
    public var campaign: String
    public var generatedAt: Date
    public var summary: CampaignSummary
    /// Jobs in a final state (completed, failed, expired, canceled).
    public var finished: Int
    public var attempts: Int
    /// Attempts after a job's first (redials and retries).
    public var retries: Int
    /// Accepted calls.
    public var calls: Int
    /// Attempts by the platform's answer class (`ok`, `ports`, `flow_control`, …).
    public var attemptClasses: [String: Int]
    public var concurrency: ConcurrencySeries
    public var portLimit: Int
    /// The limit the daemon learned from the platform (from its heartbeat), if lower.
    public var effectivePortLimit: Int?
    /// Latest errors, newest first, callee numbers masked.
    public var errors: [ReportError]
    public var firstAttemptAt: Date?
    public var lastAttemptAt: Date?
    /// `[billing]`: the cost of billed minutes (none without a price).
    public var rate: BillingRate = .unpriced

    /// Whether an attempt class means the platform pushed back on pace:
    /// no free port, flow control, a frequency or quota limit.
    public static func isThrottling(_ resultClass: String) -> Bool {
        resultClass == "ports" || resultClass == "flow_control" || resultClass.hasPrefix("frequency_") || resultClass.hasPrefix("quota_")
    }

    public var throttled: Int {
        attemptClasses.filter { Self.isThrottling($0.key) }.values.reduce(0, +)
    }

    public enum LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownCampaign(String)
        public var description: String {
            switch self {
            case .unknownCampaign(let name): "no campaign named \"\(name)\" (see `callspool campaigns`)"
            }
        }
    }

    /// `rate`: `[billing]`, for the campaign's cost (``CampaignSummary/cost``).
    public static func load(
        from database: any CallStore, campaign: String, portLimit: Int, now: Date, errorLimit: Int = 10, rate: BillingRate = .unpriced
    ) throws -> CampaignReport {
        guard let summary = try database.campaignSummaries().first(where: { $0.campaign == campaign })?.priced(at: rate) else {
            throw LoadError.unknownCampaign(campaign)
        }
        let attempts = try database.reportAttempts(campaign: campaign)
        var classes: [String: Int] = [:]
        for attempt in attempts { classes[attempt.resultClass ?? "pending", default: 0] += 1 }
        let accepted = attempts.filter(\.accepted)
        let finished = JobState.allCases.filter(\.isTerminal).reduce(0) { $0 + (summary.states[$1.rawValue] ?? 0) }
        let errors = try database.reportErrors(campaign: campaign, limit: errorLimit).map { error in
            var masked = error
            masked.calleeNbr = PhoneMask.mask(error.calleeNbr)
            return masked
        }
        return CampaignReport(
            campaign: campaign, generatedAt: now, summary: summary, finished: finished, attempts: attempts.count,
            retries: attempts.filter { $0.n > 1 }.count, calls: accepted.count, attemptClasses: classes,
            concurrency: ConcurrencySeries(intervals: accepted.map { ($0.at, $0.endedAt) }, now: now),
            portLimit: portLimit, effectivePortLimit: try database.heartbeat()?.effectivePortLimit,
            errors: errors, firstAttemptAt: attempts.first?.at, lastAttemptAt: attempts.last?.at, rate: rate)
    }
}
