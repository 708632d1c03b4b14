import Foundation

/// One `[webhooks.NAME]`: where the results of finished jobs are POSTed,
/// signed with a secret of its own, and which jobs it wants.
///
/// Why: an application that submitted calls over the API (or by file)
/// learns their results without sharing a filesystem or polling. The
/// secret is read from a systemd credential, a file or the environment,
/// never from the configuration itself, and is never shown (``description``).
public struct WebhookEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// `url`: http or https; requests are not redirected.
    public var url: URL
    /// The signing secret (`Callspool-Signature`).
    public var secret: String
    /// `campaigns`: the campaigns whose jobs it wants, by name or name
    /// prefix ending in `*` (`flu-*`); empty: every job, with or without a campaign.
    public var campaigns: [String]
    /// `types`: the job types it wants; empty: both.
    public var types: Set<JobType>
    /// `clients`: the API clients whose jobs it wants; empty: every job,
    /// whoever submitted it (a file or any client).
    public var clients: [String]
    /// `max_age`: how long a delivery is retried before it is given up (kept, replayable).
    public var maxAge: Duration
    /// `timeout`: how long one request may take, connection included.
    public var timeout: Duration

    public static let defaultMaxAge: Duration = .seconds(86_400)
    public static let defaultTimeout: Duration = .seconds(10)

    public init(
        name: String, url: URL, secret: String, campaigns: [String] = [], types: Set<JobType> = [], clients: [String] = [],
        maxAge: Duration = Self.defaultMaxAge, timeout: Duration = Self.defaultTimeout
    ) {
        self.name = name
        self.url = url
        self.secret = secret
        self.campaigns = campaigns
        self.types = types
        self.clients = clients
        self.maxAge = maxAge
        self.timeout = timeout
    }

    /// Whether it wants the `job.final` event of `job`.
    public func wants(_ job: JobRecord) -> Bool {
        guard types.isEmpty || types.contains(job.type) else { return false }
        guard campaigns.isEmpty || job.campaign.map(covers) == true else { return false }
        guard !clients.isEmpty else { return true }
        guard let client = APISubmission.client(ofSource: job.sourceFile) else { return false }
        return clients.contains(client)
    }

    /// Whether it wants the `campaign.finished` event of `campaign`: the
    /// campaign filter decides (a campaign has jobs of any type and client).
    public func wantsCampaign(_ campaign: String) -> Bool {
        campaigns.isEmpty || covers(campaign)
    }

    private func covers(_ campaign: String) -> Bool {
        campaigns.contains { SuppressionRecord.scope($0, covers: campaign) && !$0.isEmpty }
    }

    /// Never the secret.
    public var description: String { "WebhookEndpoint(\(name), \(url.absoluteString))" }
}
