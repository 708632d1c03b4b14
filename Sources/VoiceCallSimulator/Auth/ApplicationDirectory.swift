import VoiceCallAPI

/// The platform's applications by appKey, built once from the scenario.
///
/// Authentication (whose secret), admission (which APIs, which numbers,
/// which quota) and callback signing (whose secret signs a call's pushes)
/// all look an application up here, so they agree on what a key may do.
struct ApplicationDirectory: Sendable {
    /// In scenario order; the first is the one `VoiceCallSimulator.credentials` describes.
    let applications: [SimulatorApplication.Resolved]
    private let byKey: [String: SimulatorApplication.Resolved]
    /// Every number bound to some application: a number outside it gets
    /// 1010023, a number inside it but not bound to the caller 1012001.
    let allDisplayNumbers: Set<String>

    init(_ applications: [SimulatorApplication.Resolved]) {
        self.applications = applications
        self.byKey = Dictionary(applications.map { ($0.appKey, $0) }, uniquingKeysWith: { first, _ in first })
        self.allDisplayNumbers = Set(applications.flatMap(\.displayNumbers))
    }

    init(scenario: SimulatorScenario) {
        self.init(scenario.resolvedApplications)
    }

    func application(appKey: String) -> SimulatorApplication.Resolved? {
        byKey[appKey]
    }

    /// The credentials that sign the pushes of a call placed with `appKey`.
    /// Calls are only placed by known applications; an unknown key (which
    /// cannot be admitted) falls back to the first application.
    func signingCredentials(appKey: String) -> AppCredentials {
        let application = byKey[appKey] ?? applications.first
        return application?.credentials ?? AppCredentials(appKey: appKey, appSecret: "")
    }
}
