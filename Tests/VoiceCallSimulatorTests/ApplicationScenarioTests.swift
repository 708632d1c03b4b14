import Foundation
import Testing
@testable import VoiceCallSimulator

/// The `applications` scenario field: defaults, and the single application
/// a scenario without it still describes.
@Suite struct ApplicationScenarioTests {
    @Test func applicationsDecodeWithDefaults() throws {
        let json = #"""
            {"displayNumbers": ["+8675528000001"], "applications": [
              {"appKey": "a", "appSecret": "s"},
              {"appKey": "b", "appSecret": "t", "capabilities": ["verify"], "displayNumbers": ["+8675528000002"], "ports": 3}
            ]}
            """#
        let scenario = try JSONDecoder().decode(SimulatorScenario.self, from: Data(json.utf8))
        let applications = scenario.resolvedApplications
        #expect(applications.map(\.appKey) == ["a", "b"])
        #expect(applications[0].capabilities == [.notify, .verify])
        #expect(applications[0].displayNumbers == ["+8675528000001"])
        #expect(applications[0].ports == nil)
        #expect(applications[1].capabilities == [.verify])
        #expect(applications[1].displayNumbers == ["+8675528000002"])
        #expect(applications[1].ports == 3)
        // The single-application accessors describe the first application.
        #expect(scenario.resolvedAppKey == "a")
        #expect(scenario.resolvedAppSecret == "s")
        #expect(scenario.resolvedDisplayNumbers == ["+8675528000001"])
    }

    @Test func unknownCapabilityOrMissingSecretIsRefused() {
        let fax = Data(#"{"applications": [{"appKey": "a", "appSecret": "s", "capabilities": ["fax"]}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SimulatorScenario.self, from: fax) }
        let noSecret = Data(#"{"applications": [{"appKey": "a"}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SimulatorScenario.self, from: noSecret) }
    }

    @Test func withoutApplicationsTheScenarioIsOneApplication() {
        let builtIn = SimulatorScenario().resolvedApplications
        #expect(builtIn.count == 1)
        #expect(builtIn.first?.appKey == SimulatorScenario.builtIn.appKey)
        #expect(builtIn.first?.appSecret == SimulatorScenario.builtIn.appSecret)
        #expect(builtIn.first?.displayNumbers == SimulatorScenario.builtIn.displayNumbers)
        #expect(builtIn.first?.capabilities == [.notify, .verify])
        #expect(builtIn.first?.ports == nil)
        let own = SimulatorScenario(appKey: "k", appSecret: "s", displayNumbers: ["+8675528000001"])
        #expect(own.resolvedApplications.map(\.appKey) == ["k"])
        #expect(own.resolvedApplications.first?.displayNumbers == ["+8675528000001"])
        #expect(VoiceCallSimulator(configuration: .init(scenario: own)).credentials.appSecret == "s")
    }

    @Test func firstEntryWinsForADuplicateKey() {
        let scenario = SimulatorScenario(applications: [
            SimulatorApplication(appKey: "a", appSecret: "first"), SimulatorApplication(appKey: "a", appSecret: "second"),
        ])
        #expect(scenario.resolvedApplications.map(\.appSecret) == ["first"])
    }
}
