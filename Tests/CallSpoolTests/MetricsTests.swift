@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing
import VoiceCallAPI

/// The Prometheus endpoint: each component records into the registry it was
/// given, and `GET /metrics` serves the series (docs/operations.md).
@Suite struct MetricsTests {
    /// The intake fixture's clock, so the verify jobs are not yet expired.
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    func settings() -> SchedulerSettings {
        let limits = Configuration.Limits(
            maxConcurrentCalls: 4, requestsPerSecond: 1000, perDisplayNumberPerMinute: 60, perCalleeMax: 3,
            perCalleeWindow: .seconds(86_400), verifyReservedPorts: 0, callLease: .seconds(600))
        let backoff = Configuration.Backoff(ports: .seconds(60), flow: .seconds(60), callee: .seconds(3600), halt: .seconds(300))
        let defaults = Configuration.Defaults(
            displayNumbers: ["+8675528000088"], verifyTTL: .seconds(300), notifyTTL: .seconds(86_400),
            window: CallingWindow(startMinute: 0, endMinute: 24 * 60, timeZone: "Asia/Shanghai"))
        var settings = SchedulerSettings(limits: limits, backoff: backoff, defaults: defaults, createdClock: .auto)
        settings.slowStart = false
        return settings
    }

    /// Scrapes `/metrics` of a live server on a loopback port.
    func scrape(_ service: MetricsService) async throws -> String {
        try await service.makeApplication().test(.live) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == MetricsService.contentType)
                return String(buffer: response.body)
            }
        }
    }

    @Test func scrapeShowsRequestsCallbacksIntakeQueueAndLatency() async throws {
        let metrics = CallspoolMetrics.prometheus()
        // Intake: one file of three jobs, one of them a duplicate of another.
        let spool = try SpoolFixture()
        try spool.drop("a.jsonl", JobText.verify("v1") + "\n" + JobText.verify("v2", callee: "+8613800000002") + "\n" + JobText.verify("v1") + "\n")
        metrics.countIntake(try spool.intake.process(name: "a.jsonl", settled: true))
        // Dispatch: one accepted, one refused for lack of ports.
        let database = spool.database
        let scheduler = Scheduler(database: database, settings: settings(), clock: clock, metrics: metrics)
        try await scheduler.start()
        let tickets = try await scheduler.tick().tickets
        try #require(tickets.count == 2)
        try await scheduler.complete(tickets[0], with: .accepted(.init(sessionId: "S1", idlePort: nil)))
        try await scheduler.complete(tickets[1], with: .rejected(.init(httpStatus: 200, resultcode: "1020154", resultdesc: nil)))
        metrics.recordDispatchLatency(.milliseconds(30))
        // Callbacks: one authentic status event, one forgery.
        let callbacks = try CallbackFixture(metrics: metrics)
        try await callbacks.app().test(.router) { client in
            let authentic = try await client.pushStatus(CallbackFixture.status("callout", session: "S9"))
            #expect(authentic == 200)
            let forged = try await client.pushStatus(CallbackFixture.status("answer", session: "S9"), headers: CallbackFixture.signedHeaders(secret: "wrong"))
            #expect(forged == 401)
        }
        var refresher = MetricsRefresher(metrics: metrics, database: database, portFigures: { await scheduler.portFigures }, logger: Logger(label: "test"))
        refresher.applicationFigures = {
            [ApplicationFigures(
                name: "otp", maskedAppKey: "K…1", types: ["verify"], inUse: 2, effectiveLimit: 3, configured: 4, reserve: 0, reserveReason: "-",
                createdClock: "utc+8")]
        }
        await refresher.refresh()

        let registry = try #require(metrics.registry)
        let text = try await scrape(MetricsService(
            registry: registry, listen: ListenAddress(host: "127.0.0.1", port: 0), refresher: nil, logger: Logger(label: "test")))
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            #"callspool_intake_files_total{result="processed"} 1"#,
            #"callspool_intake_jobs_total{result="accepted"} 2"#,
            #"callspool_intake_jobs_total{result="duplicate"} 1"#,
            #"callspool_requests_total{app="default",class="ok",code="0"} 1"#,
            #"callspool_requests_total{app="default",class="ports",code="1020154"} 1"#,
            #"callspool_callbacks_total{event="callout"} 1"#,
            #"callspool_callback_auth_total{result="ok"} 1"#,
            #"callspool_callback_auth_total{result="bad_digest"} 1"#,
            #"callspool_jobs{state="in_call"} 1.0"#,
            #"callspool_jobs{state="queued"} 1.0"#,
            #"callspool_jobs{state="failed"} 0.0"#,
            "callspool_ports_in_use 1.0",
            "callspool_ports_configured_limit 4.0",
            // The refused request lowered the effective limit to the calls in progress.
            "callspool_ports_effective_limit 1.0",
            #"callspool_dispatch_latency_seconds_bucket{le="0.05"} 1"#,
            #"callspool_dispatch_latency_seconds_bucket{le="0.025"} 0"#,
            "callspool_dispatch_latency_seconds_count 1",
            #"callspool_app_ports_in_use{app="otp"} 2.0"#,
            #"callspool_app_ports_effective_limit{app="otp"} 3.0"#,
            #"callspool_app_ports_configured_limit{app="otp"} 4.0"#,
            #"callspool_app_halted{app="otp"} 0.0"#,
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
    }

    @Test func disabledMetricsRecordNothingAndOnlyMetricsIsServed() async throws {
        CallspoolMetrics.disabled.countRequest(resultClass: "ok", code: "0")
        #expect(CallspoolMetrics.disabled.registry == nil)
        let metrics = CallspoolMetrics.prometheus()
        let registry = try #require(metrics.registry)
        let service = MetricsService(registry: registry, listen: ListenAddress(host: "127.0.0.1", port: 0), refresher: nil, logger: Logger(label: "test"))
        try await service.makeApplication().test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).isEmpty)
            }
            try await client.execute(uri: "/other", method: .get) { response in #expect(response.status == .notFound) }
        }
    }
}
