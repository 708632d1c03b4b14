import Foundation

/// A row of `webhookDelivery`: one event for one webhook, from the moment a
/// job's result is drained until the receiver took it or it was given up.
///
/// Why it exists: the outbox of the webhooks. An event is queued in the
/// same transaction that takes its job's result off the results outbox, so
/// a crash never loses one; it is sent until a 2xx (at least once), and one
/// that was given up stays here to be replayed. ``subject`` makes queuing
/// idempotent: one event per webhook and subject.
public struct WebhookDelivery: Codable, Sendable, Hashable {
    /// The row key; nil until inserted.
    public var id: Int64?
    /// `[webhooks.NAME]`.
    public var webhook: String
    /// What the event is about, unique per webhook: `job:<row>:<finishedAt>`
    /// (one event per time a job finishes) or `campaign:<name>:<jobs>`.
    public var subject: String
    /// `Callspool-Event-Id`: random, the same on every try, for the receiver's de-duplication.
    public var eventId: String
    /// `job.final` or `campaign.finished`.
    public var event: String
    /// The user's job id (`job.final`), for `webhooks replay --job`.
    public var jobId: String?
    /// The JSON sent, byte for byte on every try.
    public var body: String
    public var state: WebhookDeliveryState
    /// Tries started so far (a try's outcome is recorded only for the try that is current).
    public var attempts: Int
    public var createdAt: Date
    /// When it is due (while a try runs: when the try is taken for lost).
    public var nextAttemptAt: Date
    /// Retried until then; a replay moves it.
    public var giveUpAt: Date
    /// The HTTP status of the last try (nil: no answer).
    public var lastStatus: Int?
    /// Why the last try failed.
    public var lastError: String?
    /// When it was delivered or given up.
    public var finishedAt: Date?
    /// The instance whose try is under way (nil: none): a restarted
    /// instance sends its own interrupted tries again at once instead of
    /// waiting for their claims to run out.
    public var claimedBy: String?

    public init(
        id: Int64? = nil, webhook: String, subject: String, eventId: String, event: String, jobId: String?, body: String,
        state: WebhookDeliveryState = .pending, attempts: Int = 0, createdAt: Date, nextAttemptAt: Date, giveUpAt: Date,
        lastStatus: Int? = nil, lastError: String? = nil, finishedAt: Date? = nil, claimedBy: String? = nil
    ) {
        self.id = id
        self.webhook = webhook
        self.subject = subject
        self.eventId = eventId
        self.event = event
        self.jobId = jobId
        self.body = body
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.giveUpAt = giveUpAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.finishedAt = finishedAt
        self.claimedBy = claimedBy
    }
}

/// Where a ``WebhookDelivery`` stands.
public enum WebhookDeliveryState: String, Codable, Sendable, Hashable, CaseIterable {
    /// Queued or being retried.
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Refused (a 4xx other than 408 and 429) or failing past `max_age`: kept for `callspool webhooks replay`.
    case gaveUp = "gave_up"
}

/// The figures of one webhook's deliveries (status, metrics).
public struct WebhookFigures: Sendable, Hashable, Codable {
    public var webhook: String
    public var pending: Int
    public var delivered: Int
    public var gaveUp: Int
    /// When the oldest pending delivery was queued.
    public var oldestPending: Date?

    public init(webhook: String, pending: Int = 0, delivered: Int = 0, gaveUp: Int = 0, oldestPending: Date? = nil) {
        self.webhook = webhook
        self.pending = pending
        self.delivered = delivered
        self.gaveUp = gaveUp
        self.oldestPending = oldestPending
    }
}

extension WebhookFigures {
    /// One row of the count both drivers read: a webhook's deliveries in
    /// one state (`GROUP BY webhook, state`) and the oldest one's queueing time.
    public struct StateCount: Sendable {
        public var webhook: String
        public var state: String
        public var count: Int
        public var oldest: Date?

        public init(webhook: String, state: String, count: Int, oldest: Date?) {
            self.webhook = webhook
            self.state = state
            self.count = count
            self.oldest = oldest
        }
    }

    /// Each webhook's figures from its counts by state, by name; a state
    /// this version does not know is not counted.
    public static func tally(_ counts: [StateCount]) -> [WebhookFigures] {
        var figures: [String: WebhookFigures] = [:]
        for row in counts {
            var figure = figures[row.webhook] ?? WebhookFigures(webhook: row.webhook)
            switch WebhookDeliveryState(rawValue: row.state) {
            case .pending:
                figure.pending = row.count
                figure.oldestPending = row.oldest
            case .delivered: figure.delivered = row.count
            case .gaveUp: figure.gaveUp = row.count
            case nil: break
            }
            figures[row.webhook] = figure
        }
        return figures.values.sorted { $0.webhook < $1.webhook }
    }
}

/// Which deliveries `callspool webhooks replay` sends again.
public struct WebhookReplay: Sendable, Hashable {
    /// Only this webhook's; nil: every webhook's.
    public var webhook: String?
    /// Only those queued at or after it.
    public var since: Date?
    /// Only this job's, delivered ones included (nil: the given-up ones).
    public var jobId: String?

    public init(webhook: String? = nil, since: Date? = nil, jobId: String? = nil) {
        self.webhook = webhook
        self.since = since
        self.jobId = jobId
    }
}
