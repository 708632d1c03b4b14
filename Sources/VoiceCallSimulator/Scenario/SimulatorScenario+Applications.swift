extension SimulatorScenario {
    /// The applications the platform knows, in scenario order, defaults filled in.
    ///
    /// Without `applications` (or with an empty list) the scenario's
    /// `appKey`, `appSecret` and `displayNumbers` (or the built-in ones) form
    /// the only application, with both capabilities and no own port quota:
    /// what every scenario meant before applications existed. When two
    /// entries share an appKey the first one counts.
    public var resolvedApplications: [SimulatorApplication.Resolved] {
        let numbers = displayNumbers ?? Self.builtIn.displayNumbers ?? []
        guard let applications, !applications.isEmpty else {
            let single = SimulatorApplication(
                appKey: appKey ?? Self.builtIn.appKey ?? "", appSecret: appSecret ?? Self.builtIn.appSecret ?? "")
            return [single.resolved(scenarioNumbers: numbers)]
        }
        var seen: Set<String> = []
        return applications.filter { seen.insert($0.appKey).inserted }.map { $0.resolved(scenarioNumbers: numbers) }
    }

    /// The first (or only) application: what `resolvedAppKey` and friends describe.
    var primaryApplication: SimulatorApplication.Resolved? { resolvedApplications.first }
}
