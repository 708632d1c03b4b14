/// The scenario a simulator plays: credentials, numbers, limits and how each
/// callee behaves, read from a JSON file (`callspool simulate --scenario`).
///
/// Every field is optional so a scenario only states what differs from the
/// built-in defaults (``SimulatorScenario/builtIn``). Times are in simulated
/// seconds; the simulator's time scale turns them into real time.
public struct SimulatorScenario: Codable, Sendable {
    /// The application key clients sign with (ignored when ``applications`` is given).
    public var appKey: String?
    /// The application secret (request digests and callback signatures;
    /// ignored when ``applications`` is given).
    public var appSecret: String?
    /// The SP account written into fee CDRs (`spId`).
    public var spId: String?
    /// Display numbers the app owns; any other `displayNbr` gets 1010023.
    /// With ``applications``: the numbers of each application that lists none.
    public var displayNumbers: [String]?
    /// Several applications, each with its own credentials, capabilities,
    /// display numbers and port quota. Absent: ``appKey``, ``appSecret`` and
    /// ``displayNumbers`` form the only application.
    public var applications: [SimulatorApplication]?
    /// TTS templates: id → maximum length of each parameter. When set, an
    /// unknown template or a parameter list that does not fit gets 1012005.
    public var templates: [String: [Int]]?
    public var limits: SimulatorLimits?
    /// Callees the carrier refuses (1013004).
    public var blacklist: [String]?
    /// Hours in which the platform places calls; outside them 1013121.
    public var callingWindow: PlatformCallingHours?
    /// How a callee without an entry in ``callees`` behaves.
    public var defaults: CalleeProfile?
    /// Per-callee behaviour (E.164 number → profile), merged over ``defaults``.
    public var callees: [String: CalleeProfile]?
    public var timing: PlaybackTiming?
    /// Serve `GET /_sim/state` and the fault-injection API.
    public var inspection: Bool?
    /// Seed of the random choices (outcomes, durations, digits, session ids).
    public var seed: UInt64?

    public init(
        appKey: String? = nil, appSecret: String? = nil, spId: String? = nil, displayNumbers: [String]? = nil,
        templates: [String: [Int]]? = nil, limits: SimulatorLimits? = nil, blacklist: [String]? = nil,
        callingWindow: PlatformCallingHours? = nil, defaults: CalleeProfile? = nil, callees: [String: CalleeProfile]? = nil,
        timing: PlaybackTiming? = nil, inspection: Bool? = nil, seed: UInt64? = nil,
        applications: [SimulatorApplication]? = nil
    ) {
        self.appKey = appKey
        self.appSecret = appSecret
        self.spId = spId
        self.displayNumbers = displayNumbers
        self.templates = templates
        self.limits = limits
        self.blacklist = blacklist
        self.callingWindow = callingWindow
        self.defaults = defaults
        self.callees = callees
        self.timing = timing
        self.inspection = inspection
        self.seed = seed
        self.applications = applications
    }
}
