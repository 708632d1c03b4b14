/// One application of a scenario's `applications`.
///
/// On the real platform credentials belong to an application: it has
/// capabilities (voice notification, voice verification code), display
/// numbers bound to it and, optionally, a port quota of its own. A scenario
/// lists several so callspool can be tested against a platform where one
/// key may place calls another may not. Omitted fields take defaults (see
/// ``SimulatorScenario/resolvedApplications``).
public struct SimulatorApplication: Codable, Sendable, Hashable {
    /// An API the platform lets an application call.
    public enum Capability: String, Codable, Sendable, Hashable, CaseIterable {
        /// Voice notification (`callnotify`).
        case notify
        /// Voice verification code (`callVerify`).
        case verify
    }

    /// The key the application signs requests with (X-AKSK / X-WSSE `Username`).
    public var appKey: String
    /// Its secret: request digests and the signatures of its calls' pushes.
    public var appSecret: String
    /// The APIs it may call; default both. Any other gets 403/1010040.
    public var capabilities: [Capability]?
    /// The display numbers bound to it; default the scenario's `displayNumbers`.
    /// A number bound only to another application gets 403/1012001.
    public var displayNumbers: [String]?
    /// Its own concurrent-call quota; beyond it 403/1020165. Default none:
    /// only the platform-wide `limits.ports` applies.
    public var ports: Int?

    public init(
        appKey: String, appSecret: String, capabilities: [Capability]? = nil, displayNumbers: [String]? = nil,
        ports: Int? = nil
    ) {
        self.appKey = appKey
        self.appSecret = appSecret
        self.capabilities = capabilities
        self.displayNumbers = displayNumbers
        self.ports = ports
    }
}
