import Foundation
import VoiceCallAPI

extension DispatchPlanner {
    /// Feeds the transport breaker with one answer and pauses all dispatch
    /// when it trips: after 3 requests within 60 s whose fate is unknown,
    /// sending more would only make more `unknown` jobs (never re-sent). The
    /// pause is `backoff.flow`, growing on repeated trips (cap 1 h); then one
    /// probe goes alone and only a platform answer resumes dispatch.
    mutating func updateBreaker(_ ticket: DispatchTicket, result: CallAttemptResult, now: Date, in tx: any DispatchTransaction) throws {
        let wasProbe = state.transportProbe == ticket.jobRowId
        if wasProbe { state.transportProbe = nil }
        switch result {
        case .accepted, .rejected:
            if state.breaker.isOpen || wasProbe {
                try tx.clearPause(settings.scope(.transport))
                log(.notice, "the platform answers again; dispatch resumes")
            }
            state.breaker.recordAnswer()
        case .uncertain(let reason):
            if wasProbe {
                state.breaker.recordProbeFailed()
                try pauseForTransport(reason: "probe lost: \(reason)", now: now, in: tx)
            } else if state.breaker.recordUncertain(at: now) {
                try pauseForTransport(reason: reason, now: now, in: tx)
            }
        case .notSent(let reason):
            if wasProbe {
                state.breaker.recordProbeFailed()
                try pauseForTransport(reason: "probe not sent: \(reason)", now: now, in: tx)
            }
        }
    }

    mutating func pauseForTransport(reason: String, now: Date, in tx: any DispatchTransaction) throws {
        let pause = Backoff.pause(floor: settings.backoff.flow, repeats: state.breaker.trips - 1, cap: .seconds(3600), using: &state.random)
        let until = now.addingTimeInterval(pause.timeInterval)
        try tx.setPause(
            settings.scope(.transport), reason: "requests lost in transport (connection closed or no answer after sending): \(String(reason.prefix(160)))",
            code: nil, until: until, now: now)
        notes.append(.transportTrip)
        log(.critical, "requests keep getting lost after they were sent; all dispatch paused, then one probe", [
            "reason": "\(reason)", "for": "\(DurationText.format(pause))", "trips": "\(state.breaker.trips)",
        ])
    }
}
