import Foundation

/// A row of `suppression`: a number callspool must not call, where, and why.
///
/// Why it exists: people who asked not to be called (an operator's entry,
/// an imported do-not-call list, a key press during a call) must be kept
/// off every later campaign — checked when a file is taken in and again
/// just before each call, so a number suppressed after its job was queued
/// is still never called.
///
/// The key is (``number``, ``scope``): a number may be suppressed for every
/// campaign and, separately, for some campaigns.
public struct SuppressionRecord: Codable, Sendable, Hashable {
    /// E.164.
    public var number: String
    /// Where it applies: `""` for every job (global), a campaign's name, or
    /// a campaign-name prefix ending in `*` (`flu-*`).
    public var scope: String
    public var reason: String
    public var source: SuppressionSource
    /// The job and campaign that caused it (a DTMF opt-out), else nil.
    public var jobId: String?
    public var campaign: String?
    public var createdAt: Date
    /// Who added it: the operator's user name, `callspool` for an opt-out.
    public var createdBy: String

    public init(
        number: String, scope: String = "", reason: String, source: SuppressionSource, jobId: String? = nil, campaign: String? = nil,
        createdAt: Date, createdBy: String
    ) {
        self.number = number
        self.scope = scope
        self.reason = reason
        self.source = source
        self.jobId = jobId
        self.campaign = campaign
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public var key: SuppressionKey { SuppressionKey(number: number, scope: scope) }

    /// Whether this entry keeps a job of `campaign` (nil: not a campaign
    /// job) from being called.
    public func applies(toCampaign campaign: String?) -> Bool {
        Self.scope(scope, covers: campaign)
    }

    /// Whether `scope` covers a job of `campaign`.
    public static func scope(_ scope: String, covers campaign: String?) -> Bool {
        if scope.isEmpty { return true }
        guard let campaign else { return false }
        if scope.hasSuffix("*") { return campaign.hasPrefix(scope.dropLast()) }
        return campaign == scope
    }

    /// The scope as people read it.
    public var scopeDescription: String { scope.isEmpty ? "every campaign" : "campaign \(scope)" }
}

/// The key of a ``SuppressionRecord``.
public struct SuppressionKey: Codable, Sendable, Hashable, Comparable {
    public var number: String
    public var scope: String

    public init(number: String, scope: String) {
        self.number = number
        self.scope = scope
    }

    /// Byte order, as both stores' primary key sorts the rows.
    public static func < (a: SuppressionKey, b: SuppressionKey) -> Bool {
        if a.number != b.number { return a.number.utf8.lexicographicallyPrecedes(b.number.utf8) }
        return a.scope.utf8.lexicographicallyPrecedes(b.scope.utf8)
    }
}

/// Where a suppression came from.
public enum SuppressionSource: String, Codable, Sendable, Hashable, CaseIterable {
    /// `callspool suppress add`.
    case `operator`
    /// A key press during a call (a job's `optOut`).
    case dtmfOptOut = "dtmf-opt-out"
    /// `callspool suppress import`.
    case `import`
    /// The HTTP API.
    case api
}
