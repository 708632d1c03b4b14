import Foundation
import HummingbirdTesting
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

@Suite struct LimitTests {
    @Test func portLimitThenReleaseAfterTheCallEnds() async throws {
        let harness = SimulatorHarness(scenario: SimulatorScenario(limits: SimulatorLimits(ports: 2, requestsPerSecond: 0)), timeScale: 200)
        try await harness.simulator.makeApplication().test(.router) { client in
            let first = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000001"))
            #expect(first.response.idlePort == 1)
            _ = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000002"))
            let third = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000003"))
            #expect(third.status == 500)
            #expect(third.response.resultcode == "1020154")
            #expect(third.response.idlePort == 0)
            // Calls last 1 + 2 + 4 simulated seconds: 35 ms at this scale.
            let freed = await eventually(within: 3) { await harness.simulator.snapshot().portsInUse == 0 }
            #expect(freed)
            let fourth = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000004"))
            #expect(fourth.response.resultcode == "0")
            #expect(fourth.response.idlePort == 1)
        }
        let snapshot = await harness.simulator.snapshot()
        #expect(snapshot.peakPorts == 2)
        #expect(snapshot.resultCodes["1020154"] == 1)
    }

    @Test func idlePortLagsTheReleaseOfAPortByTheConfiguredTime() async throws {
        // The platform's idle count lags its release of a port: right after a
        // call ends, admission can use the port but `idlePort` still counts it busy.
        var timing = SimulatorHarness.fastTiming
        timing.idlePortLagSeconds = 10  // 50 ms of the manual clock at this scale
        let scenario = SimulatorScenario(limits: SimulatorLimits(ports: 3, requestsPerSecond: 0), timing: timing)
        let harness = SimulatorHarness(scenario: scenario, timeScale: 200)
        try await harness.simulator.makeApplication().test(.router) { client in
            #expect(try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000001")).response.idlePort == 2)
            #expect(try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000002")).response.idlePort == 1)
            let freed = await eventually(within: 3) { await harness.simulator.snapshot().portsInUse == 0 }
            #expect(freed)
            // Both ports are free for admission but still counted busy in idlePort.
            let third = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000003"))
            #expect(third.response.resultcode == "0")
            #expect(third.response.idlePort == 0)
            // Past the lag the count is right again (the third call holds one
            // port, the fourth another, whether or not the third has ended:
            // its own release is then the one still lagging).
            harness.clock.advance(seconds: 1)
            let fourth = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000004"))
            #expect(fourth.response.resultcode == "0")
            #expect(fourth.response.idlePort == 1)
        }
    }

    @Test func perCalleeLimitCountsAcceptedCallsInTheWindow() async throws {
        let limits = SimulatorLimits(requestsPerSecond: 0, perCalleeMax: 2, perCalleeWindowSeconds: 3600)
        let harness = SimulatorHarness(scenario: SimulatorScenario(limits: limits))
        try await harness.simulator.makeApplication().test(.router) { client in
            #expect(try await client.notify(harness).response.resultcode == "0")
            #expect(try await client.notify(harness).response.resultcode == "0")
            let third = try await client.notify(harness)
            #expect(third.status == 403)
            #expect(third.response.resultcode == "1013117")
            #expect(try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000009")).response.resultcode == "0")
            harness.clock.advance(seconds: 3601)
            #expect(try await client.notify(harness).response.resultcode == "0")
        }
    }

    @Test func requestRateDisplayNumberBlacklistAndWindow() async throws {
        let harness = SimulatorHarness(scenario: SimulatorScenario(
            limits: SimulatorLimits(ports: 100, requestsPerSecond: 3, perDisplayNumberPerMinute: 2),
            blacklist: ["+8613800000666"]))
        try await harness.simulator.makeApplication().test(.router) { client in
            #expect(try await client.notify(harness).response.resultcode == "0")
            #expect(try await client.notify(harness).response.resultcode == "0")
            let perDisplay = try await client.notify(harness)
            #expect(perDisplay.status == 403)
            #expect(perDisplay.response.resultcode == "1013118")
            let flow = try await client.notify(harness)
            #expect(flow.status == 403)
            #expect(flow.response.resultcode == "1010010")
            harness.clock.advance(seconds: 61)
            let blocked = try await client.notify(harness, SimulatorHarness.notifyBody(callee: "+8613800000666"))
            #expect(blocked.response.resultcode == "1013004")
        }
        // 1795000000 is 19:06 in UTC+8; a 09:00–12:00 window excludes it.
        let closed = SimulatorHarness(scenario: SimulatorScenario(callingWindow: PlatformCallingHours(start: "09:00", end: "12:00")))
        try await closed.simulator.makeApplication().test(.router) { client in
            let answer = try await client.notify(closed)
            #expect(answer.status == 403)
            #expect(answer.response.resultcode == "1013121")
        }
    }

    @Test func twoHundredCallsNeverExceedTenPorts() async throws {
        let harness = SimulatorHarness(scenario: SimulatorScenario(limits: SimulatorLimits(ports: 10, requestsPerSecond: 0)), timeScale: 800)
        try await harness.simulator.makeApplication().test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<20 {
                    group.addTask {
                        for n in 0..<10 {
                            let callee = "+86138\(String(format: "%08d", worker * 10 + n))"
                            while true {
                                let answer = try await client.notify(harness, SimulatorHarness.notifyBody(callee: callee))
                                if answer.response.resultcode == "0" { break }
                                #expect(answer.response.resultcode == "1020154")
                                try await Task.sleep(for: .milliseconds(5))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(await eventually(within: 3) { await harness.simulator.snapshot().completedCalls == 200 })
        }
        let snapshot = await harness.simulator.snapshot()
        #expect(snapshot.acceptedCalls == 200)
        #expect(snapshot.peakPorts <= 10)
        #expect(snapshot.callsPerCallee.count == 200)
    }
}
