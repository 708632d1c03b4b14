/// One call the simulator accepted: who, what, where to report, and its
/// ``CallScript``. A plain value; ``SimulatedCall/Playback`` turns it into the
/// ordered steps the platform would take.
struct SimulatedCall: Sendable, Hashable {
    var sessionId: String
    var incoming: IncomingCall
    var script: CallScript
    /// When the platform accepted the call (seconds since 1970, UTC).
    var acceptedAt: Int64
    var appKey: String
    var spId: String
    var icid: String

    var isVerify: Bool {
        if case .verify = incoming.kind { return true }
        return false
    }

    /// Collecting prompts that actually produce a collectInfo event.
    var collectEventCount: Int {
        return pressedDigits.filter { !$0.isEmpty }.count
    }

    /// The digits the callee presses, one entry per collecting prompt: none
    /// unless the call is answered (and a notify call whose callee does press keys).
    var pressedDigits: [String] {
        guard script.outcome == .answer, script.disconnectStateCode == nil, !isVerify else { return [] }
        return script.digits
    }
}
