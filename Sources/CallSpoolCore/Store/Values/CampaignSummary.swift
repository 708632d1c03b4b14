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

    public init(campaign: String, paused: Bool) {
        self.campaign = campaign
        self.paused = paused
    }
}
