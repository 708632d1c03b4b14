import CallSpoolCore
import CallSpoolOpenAPI
import Foundation

/// `/v1/campaigns/{name}`: a campaign's progress (``CampaignView``), and
/// the intents of `callspool pause|resume|cancel --campaign NAME`.
extension APIOperations {
    func getCampaign(_ input: Operations.getCampaign.Input) async throws -> Operations.getCampaign.Output {
        let name = input.path.name
        let view: CampaignView?
        do {
            view = try await database.offPool { database in
                try database.campaignSummary(name).map(CampaignView.init)
            }
        } catch {
            logger.error("API: reading a campaign failed: \(error)")
            return .serviceUnavailable(Self.error("store_unavailable", "the campaign could not be read; try again"))
        }
        guard let view else { return .notFound(Self.noCampaign(name)) }
        return .ok(.init(body: .json(try Self.convert(view, to: Components.Schemas.Campaign.self))))
    }

    func pauseCampaign(_ input: Operations.pauseCampaign.Input) async throws -> Operations.pauseCampaign.Output {
        switch await record(.pause(campaign: input.path.name), campaign: input.path.name, action: .pause) {
        case .success(let accepted): .accepted(.init(body: .json(accepted)))
        case .failure(.noCampaign): .notFound(Self.noCampaign(input.path.name))
        case .failure(.storeUnavailable): .serviceUnavailable(Self.intentNotRecorded)
        }
    }

    func resumeCampaign(_ input: Operations.resumeCampaign.Input) async throws -> Operations.resumeCampaign.Output {
        switch await record(.resume(campaign: input.path.name), campaign: input.path.name, action: .resume) {
        case .success(let accepted): .accepted(.init(body: .json(accepted)))
        case .failure(.noCampaign): .notFound(Self.noCampaign(input.path.name))
        case .failure(.storeUnavailable): .serviceUnavailable(Self.intentNotRecorded)
        }
    }

    func cancelCampaign(_ input: Operations.cancelCampaign.Input) async throws -> Operations.cancelCampaign.Output {
        switch await record(.cancel(ids: [], campaign: input.path.name), campaign: input.path.name, action: .cancel) {
        case .success(let accepted): .accepted(.init(body: .json(accepted)))
        case .failure(.noCampaign): .notFound(Self.noCampaign(input.path.name))
        case .failure(.storeUnavailable): .serviceUnavailable(Self.intentNotRecorded)
        }
    }

    /// Why a campaign intent was not recorded.
    enum CampaignIntentRefusal: Error {
        case noCampaign
        case storeUnavailable
    }

    /// Records `intent` for an existing campaign, as the CLI does (the daemon applies it).
    func record(
        _ intent: ControlIntent, campaign: String, action: Components.Schemas.CampaignIntentAccepted.actionPayload
    ) async -> Result<Components.Schemas.CampaignIntentAccepted, CampaignIntentRefusal> {
        let now = clock.now
        do {
            let id: Int64? = try await database.offPool { database in
                guard try database.campaignExists(campaign) else { return nil }
                return try database.request(intent, now: now)
            }
            guard let id else { return .failure(.noCampaign) }
            logger.info("API: recorded \(action.rawValue) of campaign \(campaign.prefix(200))", metadata: ["intent": "\(id)"])
            return .success(.init(campaign: campaign, action: action, intent: id))
        } catch {
            logger.error("API: recording a campaign \(action.rawValue) failed: \(error)")
            return .failure(.storeUnavailable)
        }
    }

    static func noCampaign(_ name: String) -> Components.Responses._Error {
        error("not_found", "no campaign named \(name.prefix(200))")
    }

    static var intentNotRecorded: Components.Responses._Error {
        error("store_unavailable", "the request could not be recorded; try again")
    }
}
