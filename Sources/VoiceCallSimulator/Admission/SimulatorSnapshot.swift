/// The JSON of `GET /_sim/state`: a copy of the simulator's inspection log.
public struct SimulatorSnapshot: Codable, Sendable {
    /// One request to callnotify / callVerify and how it was answered.
    public struct RequestRecord: Codable, Sendable, Hashable {
        public var at: String
        /// "callnotify" or "callVerify".
        public var api: String
        /// The `Username` the request was signed with, known to the platform
        /// or not (nil when the token could not be read).
        public var appKey: String?
        public var calleeNbr: String?
        public var displayNbr: String?
        public var httpStatus: Int
        public var resultcode: String
        public var resultdesc: String
        public var sessionId: String?
        /// The callVerify `posTone` the simulator read (nil when absent or not a callVerify it could read).
        public var posTone: String?
        /// The callnotify `collectContentTriggerReplaying` of each prompt, in
        /// order (nil for callVerify and unreadable bodies).
        public var collectContentTriggerReplaying: [String?]?
    }

    /// One POST to a receiver and its answer.
    public struct DeliveryRecord: Codable, Sendable, Hashable {
        public var at: String
        public var url: String
        public var eventType: String
        public var sessionIds: [String]
        /// 0 for the first push, then 1… for re-pushes.
        public var attempt: Int
        public var httpStatus: Int?
        /// The receiver's `resultcode` (fee pushes).
        public var receiverResultcode: String?
        public var error: String?
        public var succeeded: Bool
    }

    /// What one application did: each configured application has one (even
    /// when idle), and so does each unknown appKey a request claimed (up to
    /// ``InspectionLog/maxUnknownApplications``), with `configured` false.
    public struct ApplicationRecord: Codable, Sendable, Hashable {
        /// False for an appKey the scenario does not know (refused 1010003).
        public var configured: Bool
        /// "notify", "verify" (sorted); empty for an unknown key.
        public var capabilities: [String]
        /// Its own port quota; nil when only the platform-wide limit applies.
        public var portLimit: Int?
        public var portsInUse: Int
        public var peakPorts: Int
        public var acceptedCalls: Int
        public var completedCalls: Int
        /// Refused requests by `"<httpStatus>/<resultcode>"`, e.g. `"401/1010010"`
        /// (a digest failure, not flow control), `"403/1010040"`, `"403/1020165"`.
        public var rejections: [String: Int]
    }

    public var requests: [RequestRecord]
    public var deliveries: [DeliveryRecord]
    public var resultCodes: [String: Int]
    public var callsPerCallee: [String: Int]
    public var portLimit: Int
    public var portsInUse: Int
    public var peakPorts: Int
    public var acceptedCalls: Int
    public var completedCalls: Int
    /// Per application, keyed by appKey.
    public var applications: [String: ApplicationRecord]
}
