@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Prometheus
import Testing
import VoiceCallAPI

/// contrib/: the Grafana dashboard parses and queries only metrics that a
/// real `/metrics` scrape of callspool contains; so do the alert rules. The
/// rules' syntax and firing behaviour are checked by promtool in .ci/run.
@Suite struct ContribFilesTests {
    static let contrib = TestPaths.root + "/contrib"

    /// A scrape of a registry in which every recorder has run once.
    static func scrape() async throws -> Set<String> {
        let metrics = CallspoolMetrics.prometheus()
        metrics.setJobs([.queued: 1])
        metrics.setPorts(inUse: 1, effectiveLimit: 2, configured: 3, verifyReserve: 1)
        metrics.setPauses([:], halted: false)
        metrics.setQueueOldestAge([.verify: 5])
        metrics.setHeartbeatAge(1)
        metrics.countTransportTrip()
        metrics.countRequest(resultClass: "ok", code: "0")
        metrics.countDisplayNumberRetirement(code: "1010023")
        metrics.recordDispatchLatency(.milliseconds(20))
        metrics.countCallback(eventType: "callout")
        metrics.countCallbackAuth(result: "bad_digest")
        metrics.countIntake(.rejected(FileReport(file: "bad.json", error: "test")))
        metrics.countIntake(.processed(FileReport(file: "good.json", accepted: 1)))
        metrics.countGuardRefusal(app: "otp", limit: "verify_per_prefix")
        metrics.countSuppressed(stage: "dispatch")
        metrics.countOptOut(campaign: "flu")
        metrics.countBilledMinutes([BilledCall(jobRowId: 1, sessionId: "S", app: "default", type: .notify, minutes: 2)])
        metrics.countWebhookDelivery(webhook: "crm", result: "delivered")
        metrics.countAPIRequest(client: "shop", route: "submitJobs", status: 201, duration: .milliseconds(3))
        metrics.setWebhooks([WebhookFigures(webhook: "crm", pending: 1)], configured: ["crm"], now: Date())
        let registry = try #require(metrics.registry)
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let names = String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap {
            $0.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
        }
        return Set(names)
    }

    /// `callspool_*` names in a PromQL expression (label values and
    /// strings excluded).
    static func metricNames(in expression: String) -> Set<String> {
        var names = Set<String>()
        var text = expression
        // Drop label matchers and quoted strings: `{...}` and "...".
        while let open = text.firstIndex(of: "{"), let close = text[open...].firstIndex(of: "}") {
            text.replaceSubrange(open...close, with: " ")
        }
        let tokens = text.split { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
        for token in tokens where token.hasPrefix("callspool_") { names.insert(String(token)) }
        return names
    }

    @Test func dashboardQueriesOnlyExportedMetrics() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.contrib + "/grafana/callspool-dashboard.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 10)
        let queried = expressions.reduce(into: Set<String>()) { $0.formUnion(Self.metricNames(in: $1)) }
        let exported = try await Self.scrape()
        #expect(queried.subtracting(exported).isEmpty, "not exported: \(queried.subtracting(exported).sorted())")
        // The panels the operators asked for are there.
        for name in ["callspool_ports_in_use", "callspool_ports_effective_limit", "callspool_jobs", "callspool_requests_total",
                     "callspool_callback_auth_total", "callspool_dispatch_pauses", "callspool_dispatch_halted", "callspool_ports_verify_reserve",
                     "callspool_queue_oldest_age_seconds", "callspool_heartbeat_age_seconds", "callspool_api_requests_total",
                     "callspool_webhook_deliveries_total", "callspool_webhook_backlog"] {
            #expect(queried.contains(name), "\(name) is on no panel")
        }
        // Every panel has a unique id and a data source variable.
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(Set(ids).count == panels.count)
    }

    @Test func alertRulesUseOnlyExportedMetrics() async throws {
        let text = try String(contentsOfFile: Self.contrib + "/prometheus/callspool-alerts.yml", encoding: .utf8)
        let expressions = text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("expr:") ? String(trimmed.dropFirst(5)) : nil
        }
        #expect(expressions.count == 11)
        let used = expressions.reduce(into: Set<String>()) { $0.formUnion(Self.metricNames(in: $1)) }
        let exported = try await Self.scrape()
        #expect(!used.isEmpty)
        #expect(used.subtracting(exported).isEmpty, "not exported: \(used.subtracting(exported).sorted())")
    }

    @Test func metricNameExtractionSeesThroughPromQL() {
        let names = Self.metricNames(in: #"sum by (le) (rate(callspool_dispatch_latency_seconds_bucket{instance=~"callspool_x"}[5m])) / up"#)
        #expect(names == ["callspool_dispatch_latency_seconds_bucket"])
    }
}
