import VoiceCallAPI

extension SimulatedCall {
    /// Where a call's playback is.
    enum Phase: Sendable, Hashable {
        case accepted, calledOut, alerting
        /// Answered; `prompt` is the next collecting prompt.
        case answered(prompt: Int)
        case disconnected, released, billed
    }

    /// The call-playback state machine: a pure value that yields the call's
    /// steps in the platform's order (callout, alerting, answer, one
    /// collectInfo per collecting prompt, port release, disconnect, fee CDR)
    /// with their simulated times. No I/O: the player sleeps and sends.
    struct Playback: Sendable, Hashable {
        let call: SimulatedCall
        private(set) var phase: Phase = .accepted

        init(call: SimulatedCall) {
            self.call = call
        }

        /// The next step, or nil when the call is billed.
        mutating func next() -> PlaybackStep? {
            switch phase {
            case .accepted:
                phase = .calledOut
                return status(.callout, at: 0)
            case .calledOut:
                guard call.alerts else { return disconnect() }
                phase = .alerting
                return status(.alerting, at: call.alertingAt)
            case .alerting:
                guard call.answered else { return disconnect() }
                phase = .answered(prompt: 0)
                return status(.answer, at: call.answerAt)
            case .answered(let prompt):
                let digits = call.pressedDigits
                var index = prompt
                while index < digits.count, digits[index].isEmpty { index += 1 }
                guard index < digits.count else { return disconnect() }
                phase = .answered(prompt: index + 1)
                let info = CallStatusInfo(
                    sessionId: call.sessionId, timestamp: call.timestamp(call.collectAt(index, of: digits.count)),
                    digitInfo: digits[index])
                return PlaybackStep(at: call.collectAt(index, of: digits.count), action: .status(.collectInfo, info))
            case .disconnected:
                phase = .released
                if call.script.dropDisconnect { return next() }
                var info = baseInfo(at: call.endAt)
                if !call.script.omitDisconnectStateCode {
                    info.stateCode = call.stateCode
                    info.stateDesc = CallOutcome.stateDescription(call.stateCode)
                }
                if call.script.sendPartyType { info.partyType = call.hungUpBy }
                return PlaybackStep(at: call.endAt, action: .status(.disconnect, info))
            case .released:
                phase = .billed
                return PlaybackStep(at: call.feeAt, action: .fee(call.feeRecord()))
            case .billed:
                return nil
            }
        }

        /// Every remaining step (for tests and inspection).
        mutating func drain() -> [PlaybackStep] {
            var steps: [PlaybackStep] = []
            while let step = next() { steps.append(step) }
            return steps
        }

        /// The call ends: the platform frees the port first, then reports the
        /// disconnect, so a client that dials again on the disconnect finds
        /// the port free.
        private mutating func disconnect() -> PlaybackStep? {
            phase = .disconnected
            return PlaybackStep(at: call.endAt, action: .releasePort)
        }

        private func status(_ type: CallbackEventType, at offset: Double) -> PlaybackStep {
            PlaybackStep(at: offset, action: .status(type, baseInfo(at: offset)))
        }

        private func baseInfo(at offset: Double) -> CallStatusInfo {
            CallStatusInfo(
                sessionId: call.sessionId, timestamp: call.timestamp(offset), userData: call.incoming.userData,
                caller: call.incoming.displayNbr, called: call.incoming.calleeNbr)
        }
    }
}
