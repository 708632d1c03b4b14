import VoiceCallAPI

/// One thing the platform does during a call, at a simulated offset from
/// the call's acceptance.
struct PlaybackStep: Sendable, Hashable {
    enum Action: Sendable, Hashable {
        /// Push a status event to the call's statusUrl.
        case status(CallbackEventType, CallStatusInfo)
        /// The call is over: its voice port is free again.
        case releasePort
        /// Queue the call's fee CDR for the feeUrl.
        case fee(FeeRecord)
    }

    /// Simulated seconds after acceptance.
    var at: Double
    var action: Action

    var eventType: CallbackEventType? {
        switch action {
        case .status(let type, _): type
        case .fee: .fee
        case .releasePort: nil
        }
    }
}
