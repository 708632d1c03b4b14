import Foundation

/// Turns finished jobs and finished campaigns into webhook deliveries: the
/// bodies, subjects and deadlines, decided without I/O.
///
/// A `job.final` body is the job's results file (``JobResult``) with
/// `"event": "job.final"` added; a `campaign.finished` body counts the
/// campaign's jobs by final state. Bodies are encoded once, at queueing,
/// and sent byte for byte on every try (the signature covers them).
public struct WebhookEvents: Sendable {
    public var endpoints: [WebhookEndpoint]
    /// The `Callspool-Event-Id` of a new event (random; injected in tests).
    public var makeEventId: @Sendable () -> String

    public static let jobFinal = "job.final"
    public static let campaignFinished = "campaign.finished"

    public init(endpoints: [WebhookEndpoint], makeEventId: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) {
        self.endpoints = endpoints
        self.makeEventId = makeEventId
    }

    public var isEmpty: Bool { endpoints.isEmpty }

    /// The `job.final` deliveries of a drained, finished job: one per webhook that wants it.
    public func deliveries(for result: PendingResult, now: Date) throws -> [WebhookDelivery] {
        let job = result.job
        guard job.state.isTerminal, let rowID = job.rowId else { return [] }
        let wanting = endpoints.filter { $0.wants(job) }
        guard !wanting.isEmpty else { return [] }
        let body = try Self.encode(JobFinalBody(result: JobResult(job: job, attempts: result.attempts)))
        let finished = job.finishedAt ?? job.updatedAt
        let subject = "job:\(rowID):\(Int64((finished.timeIntervalSince1970 * 1000).rounded()))"
        return wanting.map {
            WebhookDelivery(
                webhook: $0.name, subject: subject, eventId: makeEventId(), event: Self.jobFinal, jobId: job.jobId, body: body, createdAt: now,
                nextAttemptAt: now, giveUpAt: now.addingTimeInterval($0.maxAge.timeInterval))
        }
    }

    /// The webhooks that want `campaign.finished` of `campaign`.
    public func campaignWatchers(_ campaign: String) -> [WebhookEndpoint] {
        endpoints.filter { $0.wantsCampaign(campaign) }
    }

    /// The `campaign.finished` deliveries of a campaign none of whose jobs
    /// is left to finish, to `watchers`. One per webhook and number of jobs:
    /// a campaign given more jobs later finishes again.
    public func campaignFinished(_ campaign: String, states: [JobState: Int], watchers: [WebhookEndpoint], now: Date) throws -> [WebhookDelivery] {
        let total = states.values.reduce(0, +)
        guard total > 0, !watchers.isEmpty else { return [] }
        let body = try Self.encode(
            CampaignFinishedBody(
                campaign: campaign, jobs: total, states: Dictionary(uniqueKeysWithValues: states.map { ($0.key.rawValue, $0.value) }),
                finishedAt: Timestamp.format(now)))
        return watchers.map {
            WebhookDelivery(
                webhook: $0.name, subject: "campaign:\(campaign):\(total)", eventId: makeEventId(), event: Self.campaignFinished, jobId: nil, body: body,
                createdAt: now, nextAttemptAt: now, giveUpAt: now.addingTimeInterval($0.maxAge.timeInterval))
        }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// The results file's object with `"event": "job.final"` among its keys.
struct JobFinalBody: Encodable {
    var result: JobResult

    private enum EventKey: String, CodingKey { case event }

    func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var container = encoder.container(keyedBy: EventKey.self)
        try container.encode(WebhookEvents.jobFinal, forKey: .event)
    }
}

/// `campaign.finished`: how the campaign's jobs ended.
struct CampaignFinishedBody: Encodable {
    var event = WebhookEvents.campaignFinished
    var campaign: String
    var jobs: Int
    /// Jobs by final state (`completed`, `failed`, `expired`, `canceled`).
    var states: [String: Int]
    var finishedAt: String
}
