import CallSpool
import CallSpoolCore
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// Who may be called, through the daemon and the simulator: suppressed
    /// numbers (at intake and after queueing), a DTMF opt-out that keeps the
    /// callee off the next campaign, numbers in several spellings, and a
    /// login-code flood to one prefix stopped at the limit.
    @Suite struct WhoMayBeCalled {
        static let scenario = """
        {"limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": 1}}
        """

        static func report(_ daemon: DaemonHarness, _ name: String) throws -> FileReport {
            let path = daemon.configuration.spool.dir + "/processed/" + name + ".report.json"
            return try JSONDecoder().decode(FileReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        }

        static func campaign(_ name: String, callees: [String], extraDefaults: String = "") -> String {
            let jobs = callees.map { #"{"calleeNbr":"\#($0)"}"# }.joined(separator: ",")
            return #"{"campaign":"\#(name)","type":"notify","defaults":{"playInfoList":[{"notifyVoice":"a.wav","collectInd":1}]\#(extraDefaults)},"jobs":[\#(jobs)]}"#
        }

        @Test(.timeLimit(.minutes(1)))
        func suppressedNumbersAndOptOutsAreNeverCalled() async throws {
            let clock = TestClock()
            try await DaemonHarness.run(.init(scenario: Self.scenario, clock: clock)) { daemon in
                let listed = "+8613500000001"
                let presser = "+8613500000002"
                let other = "+8613500000003"
                let later = "+8613500000004"
                _ = try daemon.database.suppress([
                    SuppressionRecord(number: listed, reason: "asked by phone", source: .operator, createdAt: clock.now, createdBy: "alice")
                ])
                await daemon.simulator.setProfile(CalleeProfile(digits: ["9"]), for: presser)
                // The suppressed number written the local way is still the same person.
                try daemon.submit(
                    contents: Self.campaign("flu", callees: ["0086 135-0000-0001", presser, "86 135 0000 0003"], extraDefaults: #","optOut":{"digits":"9"}"#),
                    fileName: "flu.json")
                // A reminder queued for later, whose number is suppressed before it is due.
                try daemon.submit([JobLine.notify("later", callee: later, extra: #""notBefore":"\#(Timestamp.format(clock.now.addingTimeInterval(3600)))""#)])
                #expect(try await daemon.waitFor(.completed, count: 2, timeout: .seconds(30)), "\(daemon.states)")

                let flu = try Self.report(daemon, "flu.json")
                #expect(flu.accepted == 2)
                #expect(flu.rejectedByReason == ["suppressed": 1])
                #expect(flu.rejected.first?.index == 0 && flu.rejected.first?.reason == .suppressed)
                #expect(flu.warnings.filter { $0.field == "calleeNbr" }.count == 2, "two numbers rewritten to E.164")
                #expect(await daemon.requests(to: listed).isEmpty, "a suppressed number is never called")
                #expect(await daemon.requests(to: other).count == 1, "\"86 135 0000 0003\" was called as +8613500000003")

                let pressed = try daemon.job(JobFile.campaignJobID(campaign: "flu", callee: presser)).job
                #expect(pressed.digits == ["9"] && pressed.optedOut)
                let entry = try #require(try daemon.database.suppressions(of: [presser]).first)
                #expect(entry.source == .dtmfOptOut && entry.campaign == "flu" && entry.scope == "")

                _ = try daemon.database.suppress([
                    SuppressionRecord(number: later, reason: "moved away", source: .operator, createdAt: clock.now, createdBy: "bob")
                ])
                clock.advance(.seconds(3601))
                #expect(try await eventually { daemon.record("later")?.state == .canceled }, "\(String(describing: daemon.record("later")))")
                #expect(daemon.record("later")?.errorCode == "suppressed")
                #expect(await daemon.requests(to: later).isEmpty)

                // The person who pressed 9 is kept off the next campaign.
                try daemon.submit(contents: Self.campaign("flu2", callees: [presser, other]), fileName: "flu2.json")
                #expect(try await eventually { (try? Self.report(daemon, "flu2.json")) != nil })
                let flu2 = try Self.report(daemon, "flu2.json")
                #expect(flu2.accepted == 1 && flu2.rejectedByReason == ["suppressed": 1])
                #expect(try await daemon.waitFor(.completed, count: 3, timeout: .seconds(30)), "\(daemon.states)")
                #expect(await daemon.requests(to: presser).count == 1, "called once, in the first campaign only")
            }
        }

        @Test(.timeLimit(.minutes(1)))
        func aLoginCodeFloodToOnePrefixStopsAtTheLimit() async throws {
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.config.guardRules = ["verify_per_prefix": "\"3/1h\"", "verify_per_callee": "\"off\""]
            try await DaemonHarness.run(options) { daemon in
                let callees = (0..<6).map { "+86135111100\(String(format: "%02d", $0))" }
                try daemon.submit(callees.enumerated().map { JobLine.verify("otp\($0.offset)", callee: $0.element) })
                #expect(try await eventually { (try daemon.counts()[.failed] ?? 0) == 3 }, "\(daemon.states)")
                #expect(try await daemon.waitFor(.completed, count: 3, timeout: .seconds(30)), "\(daemon.states)")
                let snapshot = await daemon.simulator.snapshot()
                #expect(snapshot.requests.count == 3, "nobody past the limit was called")
                let failed = try daemon.database.jobs(state: .failed)
                #expect(failed.allSatisfy { $0.errorCode == "rate_limited" && $0.errorDesc?.contains("verify_per_prefix") == true })
            }
        }

        /// The counts are the store's: the daemon restarted on the same store
        /// (a crash, an upgrade) still knows the codes it sent before.
        @Test(.timeLimit(.minutes(1)))
        func aRestartKeepsTheLoginCodeCounts() async throws {
            let directory = try ScratchDirectory("guard-restart")
            defer { directory.remove() }
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.directory = directory
            options.config.guardRules = ["verify_per_callee": "\"2/1h\"", "verify_per_prefix": "\"off\""]
            let callee = "+8613522220000"
            try await DaemonHarness.run(options) { daemon in
                try daemon.submit([JobLine.verify("a", callee: callee), JobLine.verify("b", callee: callee)])
                #expect(try await daemon.waitFor(.completed, count: 2, timeout: .seconds(30)), "\(daemon.states)")
            }
            try await DaemonHarness.run(options) { daemon in
                #expect(await daemon.simulator.snapshot().requests.isEmpty, "a new platform: nothing sent to it yet")
                try daemon.submit([JobLine.verify("c", callee: callee)])
                #expect(try await eventually { daemon.record("c")?.state == .failed }, "\(String(describing: daemon.record("c")))")
                #expect(daemon.record("c")?.errorCode == "rate_limited")
                #expect(await daemon.requests(to: callee).isEmpty, "the third code in the hour is not sent after the restart")
            }
        }
    }
}
