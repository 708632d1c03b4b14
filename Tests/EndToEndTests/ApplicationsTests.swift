import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import VoiceCallAPI
import VoiceCallSimulator

extension EndToEnd {
    /// Two VoiceCall applications in one daemon, as customers who send
    /// reminders and login codes hold them: a notify-only application with a
    /// port quota of 3 and a verify-only one with 2, each with its own bound
    /// display number, on a simulator that answers 1010040, 1012001 and
    /// 1020165 as the platform does.
    @Suite struct Applications {
        static let notifyKey = "AppKeyNotify01"
        static let verifyKey = "AppKeyVerify02"
        static let notifySecret = "SecretNotify01"
        static let verifySecret = "SecretVerify02"
        static let notifyNumber = "+8675528000088"
        static let verifyNumber = "+8675528000089"

        static let scenario = """
        {"applications": [
            {"appKey": "\(notifyKey)", "appSecret": "\(notifySecret)", "capabilities": ["notify"], "displayNumbers": ["\(notifyNumber)"], "ports": 3},
            {"appKey": "\(verifyKey)", "appSecret": "\(verifySecret)", "capabilities": ["verify"], "displayNumbers": ["\(verifyNumber)"], "ports": 2}],
         "limits": {"ports": 20, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.5, "talkSeconds": {"min": 4, "max": 8}}}
        """

        /// callspool's view: each application's quota as configured (the
        /// notify one a port above the platform's, to be learned), `verifySecret`
        /// as the operator typed it.
        static func options(verifySecret: String = Applications.verifySecret) -> DaemonHarness.Options {
            var options = DaemonHarness.Options(scenario: scenario)
            options.timeScale = 10
            options.config.limits = ["max_concurrent_calls": "8", "verify_reserved_ports": "\"auto\""]
            options.config.apps = [
                .init(name: "reminders", appKey: notifyKey, appSecret: notifySecret, types: ["notify"], displayNumbers: [notifyNumber], maxConcurrentCalls: 4),
                .init(name: "otp", appKey: verifyKey, appSecret: verifySecret, types: ["verify"], displayNumbers: [verifyNumber], maxConcurrentCalls: 2),
            ]
            return options
        }

        static func campaign(jobs: Int) -> String {
            let entries = (0..<jobs).map { #"{"calleeNbr":"\#(JobLine.callee($0))"}"# }.joined(separator: ",")
            return #"{"campaign":"remind","type":"notify","defaults":{"playInfoList":[{"notifyVoice":"a.wav","collectInd":1}]},"jobs":[\#(entries)]}"#
        }

        static func codes(_ count: Int) -> [String] {
            (0..<count).map { JobLine.verify("otp\($0)", callee: JobLine.callee($0, prefix: "+86139")) }
        }

        @Test(.timeLimit(.minutes(2)))
        func aCampaignAndLoginCodesGoOutOnTheirOwnApplicationsWithinTheirQuotas() async throws {
            try await DaemonHarness.run(Self.options()) { daemon in
                try daemon.submit(contents: Self.campaign(jobs: 30), fileName: "remind.json")
                #expect(try await eventually { try daemon.counts()[.inCall, default: 0] >= 3 }, "\(daemon.states)")
                try daemon.submit(Self.codes(6))
                // Login codes go out on their own application while the campaign fills its ports.
                #expect(try await eventually(timeout: .seconds(30)) {
                    (0..<6).allSatisfy { daemon.record("otp\($0)")?.state == .completed }
                }, "\(daemon.states)")
                let queuedWhenCodesDone = try daemon.counts()[.queued, default: 0]
                #expect(queuedWhenCodesDone > 0, "the campaign was over before the codes: nothing shows they did not wait for it")
                #expect(try await daemon.waitFor(.completed, count: 36, timeout: .seconds(90)), "\(daemon.states)")

                let snapshot = await daemon.simulator.snapshot()
                let notify = try #require(snapshot.applications[Self.notifyKey])
                let verify = try #require(snapshot.applications[Self.verifyKey])
                #expect(notify.acceptedCalls == 30 && verify.acceptedCalls == 6)
                #expect(notify.peakPorts <= 3 && verify.peakPorts <= 2)
                // Nothing went out with the wrong application: no capability or number refusal.
                for app in [notify, verify] {
                    #expect(app.rejections.keys.allSatisfy { $0.hasSuffix("/1020165") }, "\(app.rejections)")
                }
                // The notify application learned its quota of 3 after a refusal or two.
                #expect((notify.rejections["403/1020165"] ?? 0) <= 3, "\(notify.rejections)")
                for index in 0..<6 {
                    let job = try daemon.job("otp\(index)").job
                    #expect(job.app == "otp" && job.displayNbr == nil)
                    #expect(try daemon.job("otp\(index)").attempts.map(\.displayNbr) == [Self.verifyNumber])
                }
                #expect(try daemon.job(JobFile.campaignJobID(campaign: "remind", callee: JobLine.callee(0))).job.app == "reminders")
                #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "somebody was called twice")

                let status = try StatusView.load(
                    from: daemon.database, portLimit: 8, now: daemon.clock.now, applications: daemon.configuration.applications)
                #expect(status.apps.map(\.name) == ["otp", "reminders"])
                #expect(status.apps.map(\.types) == [["verify"], ["notify"]])
                #expect(status.apps.allSatisfy { $0.halted == nil && !$0.appKey.contains("Notify01") && !$0.appKey.contains("Verify02") })
            }
        }

        @Test(.timeLimit(.minutes(2)))
        func aWrongSecretOnTheVerifyApplicationHaltsOnlyVerifyJobsAndItsSecretChangesNoReminder() async throws {
            try await DaemonHarness.run(Self.options(verifySecret: "TypoSecret")) { daemon in
                try daemon.submit(contents: Self.campaign(jobs: 12), fileName: "remind.json")
                try daemon.submit(Self.codes(3))
                // The verify application halts on its bad digest; the campaign completes meanwhile.
                #expect(try await eventually { try daemon.database.halt(app: "otp") != nil }, "\(daemon.states)")
                #expect(try await daemon.waitFor(.completed, count: 12, timeout: .seconds(60)), "\(daemon.states)")
                #expect(try daemon.database.halt(app: "reminders") == nil)
                for index in 0..<3 {
                    #expect(try daemon.job("otp\(index)").job.state == .queued, "a login code was burnt instead of kept queued")
                }
                let verify = try #require(await daemon.simulator.snapshot().applications[Self.verifyKey])
                #expect(verify.acceptedCalls == 0)
                #expect(verify.rejections.keys.allSatisfy { $0 == "401/1010010" }, "\(verify.rejections)")

                // A push signed with the verify application's secret (as configured in
                // callspool) about a reminder's call is refused and changes nothing.
                let reminder = try daemon.job(JobFile.campaignJobID(campaign: "remind", callee: JobLine.callee(0))).job
                let session = try #require(reminder.sessionId)
                let answer = try await Self.postCollectInfo(
                    port: daemon.configuration.callbacks.listen.port, path: daemon.configuration.callbacks.statusURL.path,
                    url: daemon.configuration.callbacks.statusURL.string, appKey: Self.verifyKey, secret: "TypoSecret",
                    sessionId: session, digits: "9")
                #expect(answer == 401)
                #expect(try daemon.job(JobFile.campaignJobID(campaign: "remind", callee: JobLine.callee(0))).job.digits == reminder.digits)

                let status = try StatusView.load(
                    from: daemon.database, portLimit: 8, now: daemon.clock.now, applications: daemon.configuration.applications)
                #expect(status.apps.first { $0.name == "otp" }?.halted?.code == "1010010")
                #expect(status.apps.first { $0.name == "reminders" }?.halted == nil)
                #expect(status.halted?.app == "otp")
            }
        }

        /// POSTs a `collectInfo` push signed with `secret`; returns the HTTP status.
        static func postCollectInfo(
            port: Int, path: String, url: String, appKey: String, secret: String, sessionId: String, digits: String
        ) async throws -> Int {
            let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "")
            let created = CivilTime.formatCreated(epochSeconds: Int64(Date().timeIntervalSince1970))
            let digest = Digest.callback(appSecret: secret, url: url, nonce: nonce, created: created, separated: true)
            var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(RequestSigner.token(appKey: appKey, digest: digest, nonce: nonce, created: created), forHTTPHeaderField: "X-AKSK")
            request.httpBody = Data("""
                {"eventType":"collectInfo","statusInfo":{"sessionId":"\(sessionId)","timestamp":"2026-11-30 10:00:00","digitInfo":"\(digits)"}}
                """.utf8)
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
    }
}
