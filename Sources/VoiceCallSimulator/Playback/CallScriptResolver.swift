/// Draws a call's ``CallScript`` from its callee's profile and the scenario
/// timing, with the simulator's seeded generator.
enum CallScriptResolver {
    static func resolve(
        profile: CalleeProfile, kind: IncomingCall.Kind, timing: PlaybackTiming.Resolved,
        random: inout some RandomNumberGenerator
    ) -> CallScript {
        let outcome = (profile.outcome ?? CalleeProfile.defaultOutcome).draw(using: &random)
        let ring = (profile.ringSeconds ?? CalleeProfile.defaultRing).sample(using: &random)
        var talk = (profile.talkSeconds ?? CalleeProfile.defaultTalk).sample(using: &random)
        var digits: [String] = []
        switch kind {
        case .notify(let collect, _):
            for (index, length) in collect.enumerated() {
                if let given = profile.digits, index < given.count {
                    digits.append(given[index])
                } else {
                    digits.append(randomDigits(length, using: &random))
                }
            }
        case .verify(let times):
            if profile.talkSeconds == nil, times > 0 { talk = Double(times) * timing.verifyPlaySeconds }
        }
        return CallScript(
            outcome: outcome, calloutSeconds: timing.calloutSeconds, ringSeconds: ring, talkSeconds: talk,
            digits: digits, feeDelaySeconds: timing.feeDelaySeconds, disconnectStateCode: profile.disconnectStateCode,
            dropDisconnect: profile.dropDisconnect ?? false, duplicateFee: profile.duplicateFee ?? false,
            signStatusWithFeeURL: profile.statusSignatureURL == .feeUrl,
            omitDisconnectStateCode: profile.omitDisconnectStateCode ?? false, sendPartyType: profile.sendPartyType ?? false)
    }

    static func randomDigits(_ count: Int, using random: inout some RandomNumberGenerator) -> String {
        String((0..<max(0, count)).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
    }
}
