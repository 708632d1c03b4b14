/// Everything random about one call, drawn once at acceptance: how it ends,
/// how long each part takes (simulated seconds), the digits pressed and the
/// faults to inject. With the script fixed, playback is deterministic.
struct CallScript: Sendable, Hashable {
    var outcome: CallOutcome
    var calloutSeconds: Double
    var ringSeconds: Double
    var talkSeconds: Double
    /// One entry per collecting prompt; "" means the callee pressed nothing.
    var digits: [String]
    var feeDelaySeconds: Double
    /// Ends the call right after callout with this stateCode (7109, 7001…).
    var disconnectStateCode: Int?
    var dropDisconnect: Bool
    var duplicateFee: Bool
    /// Sign status pushes over the request's feeUrl (as the reference says), not its statusUrl.
    var signStatusWithFeeURL: Bool
    /// Send the disconnect without `stateCode` and `stateDesc` (both optional in the reference).
    var omitDisconnectStateCode: Bool
    /// Put `partyType` (a string: caller, callee or platform) in the disconnect.
    var sendPartyType: Bool

    init(
        outcome: CallOutcome, calloutSeconds: Double = 1, ringSeconds: Double = 3, talkSeconds: Double = 10,
        digits: [String] = [], feeDelaySeconds: Double = 1, disconnectStateCode: Int? = nil,
        dropDisconnect: Bool = false, duplicateFee: Bool = false, signStatusWithFeeURL: Bool = false,
        omitDisconnectStateCode: Bool = false, sendPartyType: Bool = false
    ) {
        self.signStatusWithFeeURL = signStatusWithFeeURL
        self.omitDisconnectStateCode = omitDisconnectStateCode
        self.sendPartyType = sendPartyType
        self.outcome = outcome
        self.calloutSeconds = calloutSeconds
        self.ringSeconds = ringSeconds
        self.talkSeconds = talkSeconds
        self.digits = digits
        self.feeDelaySeconds = feeDelaySeconds
        self.disconnectStateCode = disconnectStateCode
        self.dropDisconnect = dropDisconnect
        self.duplicateFee = duplicateFee
    }
}
