import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import VoiceCallAPI

/// `callspool job ID --json` (docs/cli-json.md, contract shape). Never shows the verify code.
public struct JobView: Codable, Sendable {
    public typealias Attempt = AttemptSummary

    public struct Event: Codable, Sendable, Equatable {
        public var eventType: String
        public var sessionId: String
        public var receivedAt: String
        public var timestamp: String?
        public var digitInfo: String?
        public var stateCode: Int?
        public var stateDesc: String?
    }

    public struct ErrorInfo: Codable, Sendable, Equatable {
        public var code: String
        public var description: String
    }

    /// One change to the suppression list for the job's callee (who, when, why).
    public struct SuppressionChange: Codable, Sendable, Equatable {
        public var action: String
        /// `""`: every campaign; else a campaign name or prefix (`flu-*`).
        public var scope: String
        public var source: String
        public var reason: String
        public var actor: String
        public var jobId: String?
        public var at: String

        init(_ record: SuppressionAuditRecord) {
            action = record.action.rawValue
            scope = record.scope
            source = record.source.rawValue
            reason = record.reason
            actor = record.actor
            jobId = record.jobId
            at = Timestamp.format(record.at)
        }
    }

    public var id: String
    public var type: String
    public var campaign: String?
    public var state: String
    public var outcome: String?
    public var stateCode: Int?
    public var digits: [String]
    /// Whether the callee pressed the job's `optOut` keys.
    public var optedOut: Bool
    /// Changes to the suppression list for this callee, newest first.
    public var suppression: [SuppressionChange]
    public var calleeNbr: String
    public var displayNbr: String?
    /// The application it goes out with.
    public var app: String?
    public var attempts: [Attempt]
    public var events: [Event]
    public var cdr: FeeRecord?
    /// Minutes billed for the job's answered calls, summed over its calls.
    public var billedMinutes: Int
    /// What they cost at `[billing] price_per_minute`; nil without a price.
    public var cost: BillingCost?
    public var error: ErrorInfo?
    public var priority: Int
    public var createdAt: String
    public var expiresAt: String
    public var notBefore: String?
    public var meta: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, type, campaign, state, outcome, stateCode, digits, optedOut, suppression, calleeNbr, displayNbr, app, attempts, events, cdr, billedMinutes, cost, error
        case priority, createdAt, expiresAt, notBefore, meta
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(campaign, forKey: .campaign)
        try c.encode(state, forKey: .state)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(stateCode, forKey: .stateCode)
        try c.encode(digits, forKey: .digits)
        try c.encode(optedOut, forKey: .optedOut)
        if !suppression.isEmpty { try c.encode(suppression, forKey: .suppression) }
        try c.encode(calleeNbr, forKey: .calleeNbr)
        try c.encode(displayNbr, forKey: .displayNbr)
        try c.encode(app, forKey: .app)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(events, forKey: .events)
        try c.encode(cdr, forKey: .cdr)
        try c.encode(billedMinutes, forKey: .billedMinutes)
        try c.encode(cost, forKey: .cost)
        try c.encode(error, forKey: .error)
        try c.encode(priority, forKey: .priority)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encodeIfPresent(notBefore, forKey: .notBefore)
        try c.encodeIfPresent(meta, forKey: .meta)
    }

    /// - Parameters:
    ///   - rate: `[billing]`, for ``cost``.
    ///   - suppression: the audit of the callee's suppression entries, newest first.
    public init(_ detail: JobDetail, rate: BillingRate = .unpriced, suppression: [SuppressionAuditRecord] = []) {
        let job = detail.job
        optedOut = job.optedOut
        self.suppression = suppression.map(SuppressionChange.init)
        id = job.jobId
        type = job.type.rawValue
        campaign = job.campaign
        state = job.state.rawValue
        outcome = job.outcome?.rawValue
        stateCode = job.stateCode
        digits = job.digits
        calleeNbr = job.calleeNbr
        displayNbr = job.displayNbr
        app = job.app
        attempts = detail.attempts.map(AttemptSummary.init)
        events = detail.events.map {
            Event(eventType: $0.eventType, sessionId: $0.sessionId, receivedAt: Timestamp.format($0.receivedAt), timestamp: $0.timestamp,
                  digitInfo: $0.digitInfo, stateCode: $0.stateCode, stateDesc: $0.stateDesc)
        }
        cdr = detail.cdrs.last?.fee
        billedMinutes = job.billedMinutes
        cost = rate.cost(minutes: job.billedMinutes)
        error = job.shownError.map { ErrorInfo(code: $0.code, description: $0.description) }
        priority = job.priority
        createdAt = Timestamp.format(job.createdAt)
        expiresAt = Timestamp.format(job.expiresAt)
        notBefore = job.notBefore.map(Timestamp.format)
        meta = job.meta
    }
}

/// One row of `callspool jobs --json` (docs/cli-json.md, contract shape).
public struct JobListItem: Codable, Sendable, Equatable {
    public var id: String
    public var type: String
    public var campaign: String?
    public var state: String
    public var outcome: String?
    public var digits: [String]

    public init(_ job: JobRecord) {
        id = job.jobId
        type = job.type.rawValue
        campaign = job.campaign
        state = job.state.rawValue
        outcome = job.outcome?.rawValue
        digits = job.digits
    }

    enum CodingKeys: String, CodingKey { case id, type, campaign, state, outcome, digits }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(campaign, forKey: .campaign)
        try c.encode(state, forKey: .state)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(digits, forKey: .digits)
    }
}
