import AsyncHTTPClient
import CallSpool
import CallSpoolCLI
import CallSpoolCore
import CallSpoolSQLite
import Crypto
import Foundation
import NIOCore
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// Result webhooks in the daemon as `callspool run` builds it: a login
    /// code submitted over the API is called by the simulator, and its
    /// result reaches the application's receiver signed, also when the
    /// receiver failed at first.
    @Suite struct ResultWebhook {
        static let secret = "e2e-webhook-secret-0123456789"

        /// HMAC-SHA256(secret, "t.body") recomputed here, not with callspool's code.
        static func signatureHolds(_ request: WebhookReceiver.Request) -> Bool {
            guard let header = request.headers["callspool-signature"] else { return false }
            var fields: [String: String] = [:]
            for part in header.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { fields[pair[0]] = pair[1] }
            }
            guard let t = fields["t"], let v1 = fields["v1"], let seconds = Double(t), abs(Date().timeIntervalSince1970 - seconds) < 300 else { return false }
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + request.body, using: SymmetricKey(data: Array(secret.utf8)))
            return mac.map { String(format: "%02x", $0) }.joined() == v1
        }

        @Test(.timeLimit(.minutes(1)))
        func aLoginCodeSubmittedOverHTTPComesBackSignedAfterTheReceiverRecovered() async throws {
            // The receiver fails the first try (503): the result arrives on the retry.
            let receiver = try WebhookReceiver { index, _ in .status(index == 0 ? 503 : 200) }
            let port = try FreePort.pick()
            var options = DaemonHarness.Options(scenario: APISubmission.scenario)
            options.config.extra = """
                [api]
                listen = "127.0.0.1:\(port)"
                [api.clients.shop]
                scopes = ["submit", "read"]
                [webhooks.shop]
                url = "\(receiver.url)"
                clients = ["shop"]
                timeout = "2s"
                """
            options.environment = ["CALLSPOOL_API_TOKEN_SHOP": APISubmission.token, "CALLSPOOL_WEBHOOK_SECRET_SHOP": Self.secret]
            try await DaemonHarness.run(options) { daemon in
                let submitted = try await APISubmission.request(
                    post: true, "http://127.0.0.1:\(port)/v1/jobs", body: JobLine.verify("otp-hook", callee: "+8613900000043", code: "582913"))
                #expect(submitted.status == 201, "\(submitted.body)")
                // A job dropped into the spool is not the shop client's: not sent to this webhook.
                try daemon.submit([JobLine.verify("otp-file", callee: "+8613900000044", code: "111222")])
                #expect(try await daemon.waitFor(.completed, count: 2, timeout: .seconds(20)), "\(daemon.states)")
                #expect(try await eventually(timeout: .seconds(15)) { receiver.requests.count >= 2 }, "retried after the 503: \(receiver.requests.count)")
                let requests = receiver.requests
                #expect(requests.count == 2, "once after recovery, and only the API client's job")
                #expect(requests.allSatisfy(Self.signatureHolds))
                #expect(requests[0].body == requests[1].body && requests[0].headers["callspool-event-id"] == requests[1].headers["callspool-event-id"])
                let body = try #require(try JSONSerialization.jsonObject(with: Data(requests[1].body)) as? [String: Any])
                #expect(body["event"] as? String == "job.final" && body["id"] as? String == "otp-hook")
                #expect(body["state"] as? String == "completed" && body["outcome"] as? String == "answered", "\(requests[1].text)")
                #expect(!requests[1].text.contains("582913"), "never the code")
                let status = try await APISubmission.request(post: false, "http://127.0.0.1:\(port)/v1/status")
                let view = try #require(try JSONSerialization.jsonObject(with: Data(status.body.utf8)) as? [String: Any])
                let hooks = try #require(view["webhooks"] as? [[String: Any]])
                #expect(hooks.first?["name"] as? String == "shop" && hooks.first?["gaveUp"] as? Int == 0)
            }
        }
    }
}

extension EndToEnd.ResultWebhook {
    /// The built `callspool run` is SIGKILLed while the receiver holds a
    /// webhook request without answering; started again, it sends the
    /// event again at once (the same event id), not when the cut-off
    /// try's claim would have run out (50 s): at least once, and soon.
    @Test(.timeLimit(.minutes(1)))
    func anEventCutOffBySigkillIsSentAgainWhenTheDaemonRestarts() async throws {
        let executable = try ChildDaemon.executable()
        let scratch = try ScratchDirectory("webhook-kill")
        defer { scratch.remove() }
        let receiver = try WebhookReceiver { index, _ in index == 0 ? .hold(seconds: 20) : .status(200) }
        let platform = try await SimulatorFixture.start(scenario: EndToEnd.APISubmission.scenario, timeScale: 20)
        do {
            let callbackPort = try FreePort.pick()
            let secretFile = scratch.path + "/webhook_secret"
            try Self.secret.write(toFile: secretFile, atomically: true, encoding: .utf8)
            chmod(secretFile, 0o600)
            var config = DaemonConfig()
            config.extra = """
                [webhooks.crm]
                url = "\(receiver.url)"
                secret_file = "\(secretFile)"
                timeout = "10s"
                """
            let configPath = scratch.path + "/callspool.toml"
            try config.toml(directory: scratch.path, platformPort: platform.port, callbackPort: callbackPort, credentials: platform.simulator.credentials)
                .write(toFile: configPath, atomically: true, encoding: .utf8)
            let log = scratch.path + "/daemon.log"
            let first = try ChildDaemon(executable: executable, config: configPath, log: log)
            #expect(try await eventually { isListening(port: callbackPort) }, "the daemon did not start:\n\(first.logTail)")
            try scratch.submit([JobLine.notify("kill-hook", callee: JobLine.callee(7))], spool: scratch.path + "/spool")
            #expect(try await eventually(timeout: .seconds(20)) { !receiver.requests.isEmpty }, "no webhook request:\n\(first.logTail)")
            first.stop(SIGKILL)
            let second = try ChildDaemon(executable: executable, config: configPath, log: log)
            #expect(try await eventually(timeout: .seconds(10)) { receiver.requests.count >= 2 }, "not sent again after the restart:\n\(second.logTail)")
            let requests = receiver.requests
            #expect(requests.count == 2)
            #expect(requests[0].headers["callspool-event-id"] == requests[1].headers["callspool-event-id"] && requests[0].body == requests[1].body)
            #expect(requests.allSatisfy(Self.signatureHolds))
            let store = try AppDatabase.open(path: scratch.path + "/store.sqlite")
            #expect(try await eventually { try store.webhookFigures().first?.delivered == 1 }, "\((try? store.webhookFigures()) ?? [])")
            second.stop(SIGTERM)
        } catch {
            try? await platform.stop()
            throw error
        }
        try await platform.stop()
    }
}
