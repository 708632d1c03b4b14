/// When each part of a call happens, in simulated seconds after acceptance.
extension SimulatedCall {
    /// Whether the call gets as far as ringing.
    var alerts: Bool { script.disconnectStateCode == nil && script.outcome.rings }
    var answered: Bool { script.disconnectStateCode == nil && script.outcome.answers }

    var alertingAt: Double { script.calloutSeconds }
    var answerAt: Double { alertingAt + script.ringSeconds }

    var endAt: Double {
        if answered { return answerAt + script.talkSeconds }
        if alerts { return alertingAt + script.ringSeconds }
        return script.calloutSeconds
    }

    /// The i-th collectInfo, spread evenly over the talk time.
    func collectAt(_ index: Int, of count: Int) -> Double {
        answerAt + script.talkSeconds * Double(index + 1) / Double(count + 1)
    }

    var feeAt: Double { endAt + script.feeDelaySeconds }

    /// The disconnect stateCode: a forced one, else the outcome's.
    var stateCode: Int { script.disconnectStateCode ?? script.outcome.stateCode }

    /// Event time for `offset` ("yyyy-MM-dd HH:mm:ss", UTC).
    func timestamp(_ offset: Double) -> String {
        CivilTime.formatEventTime(epochSeconds: acceptedAt + Int64(offset.rounded(.down)))
    }
}

import VoiceCallAPI

extension SimulatedCall {
    /// Who hung up, for `partyType`: the callee after talking or while it
    /// rang (reject); the platform otherwise (no answer, no key, failures).
    var hungUpBy: PartyType {
        guard script.disconnectStateCode == nil else { return .platform }
        switch script.outcome {
        case .answer, .reject: return .callee
        default: return .platform
        }
    }
}
