import Foundation
import HummingbirdTesting
import VoiceCallAPI
@testable import VoiceCallSimulator

/// A platform with two applications: a notify-only one with its own
/// one-port quota on the first built-in number, and a verify-and-notify one
/// without a quota on the second; a third number belongs to neither.
enum TwoApplications {
    static let notifyNumber = "+8675528000088"
    static let otherNumber = "+8675528000089"
    static let strangerNumber = "+8675500000000"

    static let notifyOnly = SimulatorApplication(
        appKey: "AppKeyNotify0000000000000001", appSecret: "AppSecretNotify000000000001", capabilities: [.notify],
        displayNumbers: [notifyNumber], ports: 1)
    static let both = SimulatorApplication(
        appKey: "AppKeyBoth00000000000000002", appSecret: "AppSecretBoth00000000000002", displayNumbers: [otherNumber])

    static var notifyCredentials: AppCredentials { AppCredentials(appKey: notifyOnly.appKey, appSecret: notifyOnly.appSecret) }
    static var bothCredentials: AppCredentials { AppCredentials(appKey: both.appKey, appSecret: both.appSecret) }

    /// The scenario, with `limits` (default: 10 ports, no request rate limit).
    static func scenario(
        limits: SimulatorLimits = SimulatorLimits(ports: 10, requestsPerSecond: 0), callees: [String: CalleeProfile]? = nil
    ) -> SimulatorScenario {
        SimulatorScenario(limits: limits, callees: callees, applications: [notifyOnly, both])
    }
}

extension TestClientProtocol {
    /// A callnotify to `callee` from `display`, signed with `credentials`.
    func notify(
        as credentials: AppCredentials, _ harness: SimulatorHarness, callee: String = SimulatorHarness.callee, display: String
    ) async throws -> Answer {
        try await call(
            headers: harness.signedHeaders(credentials: credentials),
            body: SimulatorHarness.encode(SimulatorHarness.notifyBody(callee: callee, display: display)))
    }
}
