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
    /// callVerify's `posTone`, the prompt after the code, as the platform read
    /// it (the reference's `postOne` is not a platform key and is ignored).
    var posTone: String? = nil
    /// callnotify's `collectContentTriggerReplaying` of each prompt, in order
    /// (nil where a prompt has none; the reference's
    /// `collectContentTriggerReplacing` is ignored like any unknown key).
    var collectContentTriggerReplaying: [String?] = []

    /// The triggers for the inspection log: nil for a verify call.
    var promptTriggers: [String?]? {
        if case .notify = kind { collectContentTriggerReplaying } else { nil }
    }
}
