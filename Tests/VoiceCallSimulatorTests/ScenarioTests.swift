import Foundation
import Testing
@testable import VoiceCallSimulator

@Suite struct ScenarioTests {
    static let examplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("jobs/simulator/scenario.json").path

    @Test func exampleScenarioLoads() throws {
        let scenario = try SimulatorScenario.load(path: Self.examplePath)
        #expect(scenario.resolvedLimits.ports == 10)
        #expect(scenario.profile(for: "+8613800000004").outcome == .fixed(.noAnswer))
        #expect(scenario.profile(for: "+8613800000004").talkSeconds == .uniform(min: 10, max: 30))
        #expect(scenario.profile(for: "+8613800000003").talkSeconds == .exponential(mean: 20))
        #expect(scenario.profile(for: "+8613800000011").ringSeconds == .oneOf([4, 6]))
        #expect(scenario.profile(for: "+8613800000006").outcome == .weighted([.answer: 0.5, .poweredOff: 0.5]))
        #expect(scenario.seed == 42)
    }

    @Test func badScenarioValuesAreRefused() {
        let data = Data(#"{"defaults": {"outcome": "maybe"}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SimulatorScenario.self, from: data) }
    }

    @Test func builtInDefaults() {
        let scenario = SimulatorScenario()
        #expect(scenario.resolvedAppKey == SimulatorScenario.builtIn.appKey)
        #expect(scenario.resolvedDisplayNumbers == ["+8675528000088", "+8675528000089"])
        #expect(scenario.resolvedLimits.ports == 10)
        #expect(scenario.resolvedTiming.feeMaxRetries == 6)
    }

    @Test func callingWindowSpansMidnight() {
        let night = PlatformCallingHours(start: "21:00", end: "08:00", utcOffsetHours: 0)
        #expect(night.contains(epochSeconds: 22 * 3600))
        #expect(night.contains(epochSeconds: 3 * 3600))
        #expect(!night.contains(epochSeconds: 12 * 3600))
    }
}
