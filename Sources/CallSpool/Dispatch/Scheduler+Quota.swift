import Foundation
import VoiceCallAPI

extension Scheduler {
    /// Codes that may mean the `Created` time was read in the wrong clock
    /// convention: 1010013 ("time out limit") and 1023006, whose causes the
    /// reference lists clock skew among.
    static let clockSkewCodes: Set<String> = ["1010013", "1023006"]

    /// The pause scope a quota code (1013001–1013003) limits: the SP and the
    /// application quotas stop all dispatch, a display number's only that number.
    func quotaScope(_ scope: FrequencyScope, ticket: DispatchTicket) -> PauseScope {
        switch scope {
        case .displayNumber: .displayNumber(ticket.displayNbr)
        case .callee: .callee(ticket.calleeNbr)
        case .sp, .app: settings.scope(.flow)
        }
    }

    /// Pauses the scope of a quota refusal. A quota is likely daily, so
    /// retrying every `backoff.flow` all day is pointless: the pause starts at
    /// `backoff.flow` and doubles on each refusal in a row, up to
    /// `backoff.quota` (jitter included). Returns when the pause ends.
    func pauseForQuota(_ scope: FrequencyScope, code: String, description: String, ticket: DispatchTicket, now: Date, in tx: any DispatchTransaction) throws -> Date {
        let pauseScope = quotaScope(scope, ticket: ticket)
        let repeats = quotaPushBacks[pauseScope, default: 0]
        quotaPushBacks[pauseScope] = repeats + 1
        let ceiling = settings.backoff.quota
        let grown = Backoff.pause(floor: min(settings.backoff.flow, ceiling), repeats: repeats, cap: ceiling, using: &random)
        let pause = min(grown, ceiling)
        let until = now.addingTimeInterval(pause.timeInterval)
        let subject = scope == .displayNumber ? "display number" : scope.rawValue
        try tx.setPause(pauseScope, reason: "\(subject) call quota used up: \(description) (refusal \(repeats + 1) in a row)", code: code, until: until, now: now)
        logger.warning("call quota used up; that scope is paused", metadata: [
            "scope": "\(scope.rawValue)", "code": "\(code)", "for": "\(DurationText.format(pause))",
            "displayNbr": "\(PhoneMask.mask(ticket.displayNbr))",
        ])
        return until
    }
}
