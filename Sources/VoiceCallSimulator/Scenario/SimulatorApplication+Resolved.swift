import VoiceCallAPI

extension SimulatorApplication {
    /// An application with its defaults filled in, as the simulator enforces it.
    public struct Resolved: Sendable, Hashable {
        public var appKey: String
        public var appSecret: String
        public var capabilities: Set<Capability>
        public var displayNumbers: [String]
        /// Its own port quota; nil when only the platform-wide limit applies.
        public var ports: Int?

        /// The pair clients sign with and the simulator signs this application's pushes with.
        public var credentials: AppCredentials { AppCredentials(appKey: appKey, appSecret: appSecret) }
    }

    /// This application with defaults: both capabilities, `scenarioNumbers`, no own quota.
    func resolved(scenarioNumbers: [String]) -> Resolved {
        Resolved(
            appKey: appKey, appSecret: appSecret, capabilities: Set(capabilities ?? Capability.allCases),
            displayNumbers: displayNumbers ?? scenarioNumbers, ports: ports.map { max(0, $0) })
    }
}
