/// A request that passed body validation: what the simulator needs to admit
/// and play the call, with the callback URLs already decoded from Base64.
struct IncomingCall: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A voice notification; `collect` holds the `collectInd` of each
        /// prompt that collects digits, in order; `ttsPrompts` counts template prompts.
        case notify(collect: [Int], ttsPrompts: Int)
        /// A verification code played `times` times (0 = loop).
        case verify(times: Int)
    }

    var kind: Kind
    var displayNbr: String
    var calleeNbr: String
    var userData: String?
    var statusURL: String?
    var feeURL: String?
    var returnIdlePort: Bool
}
