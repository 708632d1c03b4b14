import Foundation

extension SimulatorScenario {
    /// Credentials and numbers used when a scenario gives none; printed by
    /// `callspool simulate` so a user can configure callspool against it.
    public static let builtIn = SimulatorScenario(
        appKey: "SimAppKey0000000000000000001",
        appSecret: "SimAppSecret000000000000000001",
        spId: "CaaS_Sim_01",
        displayNumbers: ["+8675528000088", "+8675528000089"]
    )

    /// The first (or only) application's key; see ``resolvedApplications``.
    public var resolvedAppKey: String { primaryApplication?.appKey ?? "" }
    /// The first (or only) application's secret.
    public var resolvedAppSecret: String { primaryApplication?.appSecret ?? "" }
    public var resolvedSpId: String { spId ?? Self.builtIn.spId ?? "" }
    /// The first (or only) application's display numbers.
    public var resolvedDisplayNumbers: [String] { primaryApplication?.displayNumbers ?? [] }
    public var resolvedLimits: SimulatorLimits.Resolved { (limits ?? SimulatorLimits()).resolved }
    public var resolvedTiming: PlaybackTiming.Resolved { (timing ?? PlaybackTiming()).resolved }

    /// The profile of `callee`: its own entry merged over ``defaults``.
    public func profile(for callee: String) -> CalleeProfile {
        let base = defaults ?? CalleeProfile()
        guard let own = callees?[callee] else { return base }
        return own.merged(over: base)
    }

    /// Reads a scenario file.
    public static func load(path: String) throws -> SimulatorScenario {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(SimulatorScenario.self, from: data)
    }
}
