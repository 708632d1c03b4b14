/// How one callee (or, as `defaults`, every callee) behaves, and the faults
/// to inject into its calls. Unset fields fall back to `defaults`, then to
/// built-in values.
public struct CalleeProfile: Codable, Sendable, Hashable {
    /// Default: 80 % answer, 10 % no answer, 5 % busy, 5 % powered off.
    public var outcome: OutcomeChoice?
    /// Ring time before answer, reject or ring timeout. Default uniform 2–8 s.
    public var ringSeconds: Distribution?
    /// Answer to hang-up. Default uniform 10–30 s (verify calls: the code's playbacks).
    public var talkSeconds: Distribution?
    /// Digits pressed, one entry per prompt with `collectInd` > 0, in order;
    /// "" presses nothing. Missing entries are random digits of the prompt's length.
    public var digits: [String]?

    // Faults.
    /// Answer every request for this callee with this result code (e.g. "1013117"),
    /// or status and code (e.g. "401/1010010": invalid digest, not flow control).
    public var forceResultCode: String?
    /// End accepted calls with this disconnect stateCode instead (e.g. 7109, 7001).
    public var disconnectStateCode: Int?
    /// Do not send the disconnect event (the CDR still follows).
    public var dropDisconnect: Bool?
    /// Push every fee CDR twice.
    public var duplicateFee: Bool?
    /// Hold the HTTP response of an accepted call this many simulated seconds.
    public var responseDelaySeconds: Double?
    /// Accept the call, then close the connection without answering.
    public var dropResponse: Bool?
    /// Send the call's collectInfo events before answering the HTTP request.
    public var collectInfoBeforeResponse: Bool?

    // Callback shape.
    /// Which URL the digest of status pushes covers. The reference says the
    /// customer's fee URL (`"feeUrl"`) for every push; the default,
    /// `"statusUrl"`, signs with the URL posted to.
    public var statusSignatureURL: SignatureURL?
    /// Send the disconnect without `stateCode`/`stateDesc` (optional in the reference).
    public var omitDisconnectStateCode: Bool?
    /// Put `partyType` (a string: `caller`, `callee`, `platform`) in the disconnect.
    public var sendPartyType: Bool?

    /// The URL a status push's digest covers.
    public enum SignatureURL: String, Codable, Sendable, Hashable {
        case statusUrl, feeUrl
    }

    public init(
        outcome: OutcomeChoice? = nil, ringSeconds: Distribution? = nil, talkSeconds: Distribution? = nil,
        digits: [String]? = nil, forceResultCode: String? = nil, disconnectStateCode: Int? = nil,
        dropDisconnect: Bool? = nil, duplicateFee: Bool? = nil, responseDelaySeconds: Double? = nil,
        dropResponse: Bool? = nil, collectInfoBeforeResponse: Bool? = nil, statusSignatureURL: SignatureURL? = nil,
        omitDisconnectStateCode: Bool? = nil, sendPartyType: Bool? = nil
    ) {
        self.statusSignatureURL = statusSignatureURL
        self.omitDisconnectStateCode = omitDisconnectStateCode
        self.sendPartyType = sendPartyType
        self.outcome = outcome
        self.ringSeconds = ringSeconds
        self.talkSeconds = talkSeconds
        self.digits = digits
        self.forceResultCode = forceResultCode
        self.disconnectStateCode = disconnectStateCode
        self.dropDisconnect = dropDisconnect
        self.duplicateFee = duplicateFee
        self.responseDelaySeconds = responseDelaySeconds
        self.dropResponse = dropResponse
        self.collectInfoBeforeResponse = collectInfoBeforeResponse
    }

    /// This profile's fields, with `base` filling the unset ones.
    public func merged(over base: CalleeProfile) -> CalleeProfile {
        CalleeProfile(
            outcome: outcome ?? base.outcome, ringSeconds: ringSeconds ?? base.ringSeconds,
            talkSeconds: talkSeconds ?? base.talkSeconds, digits: digits ?? base.digits,
            forceResultCode: forceResultCode ?? base.forceResultCode,
            disconnectStateCode: disconnectStateCode ?? base.disconnectStateCode,
            dropDisconnect: dropDisconnect ?? base.dropDisconnect, duplicateFee: duplicateFee ?? base.duplicateFee,
            responseDelaySeconds: responseDelaySeconds ?? base.responseDelaySeconds,
            dropResponse: dropResponse ?? base.dropResponse,
            collectInfoBeforeResponse: collectInfoBeforeResponse ?? base.collectInfoBeforeResponse,
            statusSignatureURL: statusSignatureURL ?? base.statusSignatureURL,
            omitDisconnectStateCode: omitDisconnectStateCode ?? base.omitDisconnectStateCode,
            sendPartyType: sendPartyType ?? base.sendPartyType
        )
    }

    static let defaultOutcome = OutcomeChoice.weighted([.answer: 0.8, .noAnswer: 0.1, .busy: 0.05, .poweredOff: 0.05])
    static let defaultRing = Distribution.uniform(min: 2, max: 8)
    static let defaultTalk = Distribution.uniform(min: 10, max: 30)
}
