import Hummingbird
import Logging
import VoiceCallAPI

/// A faithful fake Huawei Cloud VoiceCall platform.
///
/// It exists so users can run campaigns before spending money, and so every
/// end-to-end test and benchmark of callspool has a platform that checks
/// signatures, enforces limits and pushes signed callbacks the way the real one
/// does (the README simulator section). The CLI (`callspool simulate`) and the tests build it the
/// same way: `VoiceCallSimulator(configuration:)`, then ``makeApplication(host:port:onServerRunning:)``.
/// Applications made from one simulator share its platform state (ports,
/// rate windows, inspection log); each plays the calls it accepted.
public struct VoiceCallSimulator: Sendable {
    public struct Configuration: Sendable {
        public var scenario: SimulatorScenario
        public var clock: SimulatorClock
        /// Overrides the scenario's seed; default 1.
        public var seed: UInt64?
        /// Overrides the scenario's `inspection`.
        public var inspection: Bool?
        /// Nonces of the outbound callback signatures.
        public var nonces: any NonceSource
        /// The convention of `Created` in outbound signatures (the reference's UTC+8 by default).
        public var createdClock: CreatedClock
        public var logger: Logger

        public init(
            scenario: SimulatorScenario = SimulatorScenario(), clock: SimulatorClock = SimulatorClock(), seed: UInt64? = nil,
            inspection: Bool? = nil, nonces: any NonceSource = SecureNonceSource(), createdClock: CreatedClock = .utcPlus8,
            logger: Logger = Logger(label: "callspool.simulator")
        ) {
            self.scenario = scenario
            self.clock = clock
            self.seed = seed
            self.inspection = inspection
            self.nonces = nonces
            self.createdClock = createdClock
            self.logger = logger
        }
    }

    public let configuration: Configuration
    /// The scenario's applications, shared by authentication, admission and callback signing.
    let applications: ApplicationDirectory
    let state: PlatformState
    let faults = ConnectionFaultSwitch()

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let seed = configuration.seed ?? configuration.scenario.seed ?? 1
        let applications = ApplicationDirectory(scenario: configuration.scenario)
        self.applications = applications
        self.state = PlatformState(
            scenario: configuration.scenario, applications: applications, clock: configuration.clock, seed: seed)
    }

    /// The key and secret clients must sign with (of the first application
    /// when the scenario has several; see ``applicationCredentials``).
    public var credentials: AppCredentials {
        AppCredentials(appKey: configuration.scenario.resolvedAppKey, appSecret: configuration.scenario.resolvedAppSecret)
    }

    /// The display numbers the simulated app (the first application) owns.
    public var displayNumbers: [String] { configuration.scenario.resolvedDisplayNumbers }

    /// Every application's key and secret, in scenario order.
    public var applicationCredentials: [AppCredentials] { applications.applications.map(\.credentials) }

    /// Whether `GET /_sim/state` and the fault API are served.
    public var inspectionEnabled: Bool { configuration.inspection ?? configuration.scenario.inspection ?? false }

    /// What the simulator saw and did so far.
    public func snapshot() async -> SimulatorSnapshot {
        await state.snapshot()
    }

    /// Switches a platform-wide transport fault on (nil: off). Requests that
    /// hang under ``ConnectionFault/hang`` end, unanswered, when it is cleared.
    public func setConnectionFault(_ fault: ConnectionFault?) {
        faults.set(fault)
    }

    /// Connections and requests a transport fault was applied to so far.
    public var connectionFaultHits: Int { faults.hits }

    /// Injects faults or behaviour for one callee at run time (nil removes them).
    public func setProfile(_ profile: CalleeProfile?, for callee: String) async {
        await state.setProfile(profile, for: callee)
    }
}
