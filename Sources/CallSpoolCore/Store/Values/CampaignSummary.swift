import Foundation
import VoiceCallAPI

/// Progress of one campaign.
public struct CampaignSummary: Sendable, Codable, Equatable {
    public var campaign: String
    public var paused: Bool
    public var total = 0
    public var states: [String: Int] = [:]
    public var outcomes: [String: Int] = [:]
    public var digits: [String: Int] = [:]
    /// Minutes billed for the campaign's answered calls (``BilledMinutes``).
    public var billedMinutes = 0
    /// The same by application (jobs stored before applications count as
    /// `default`); only applications with billed minutes appear.
    public var billedMinutesByApp: [String: Int] = [:]
    /// What ``billedMinutes`` cost at `[billing] price_per_minute`; nil
    /// without a price (set by the view, not the store).
    public var cost: BillingCost? = nil

    public init(campaign: String, paused: Bool) {
        self.campaign = campaign
        self.paused = paused
    }

    /// Adds one application's billed minutes (a row of the stores' sum).
    public mutating func addBilled(app: String?, minutes: Int) {
        billedMinutes += minutes
        billedMinutesByApp[app ?? Configuration.Application.legacyName, default: 0] += minutes
    }
}
