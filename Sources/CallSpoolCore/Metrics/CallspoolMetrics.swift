import CoreMetrics
import Foundation
import Prometheus
import VoiceCallAPI

/// The daemon's measurements (docs/operations.md), recorded through swift-metrics
/// against a factory that is passed in rather than bootstrapped globally, so
/// two daemons (or two tests) in one process never share series.
///
/// ``prometheus(registry:)`` records into a `PrometheusCollectorRegistry`
/// that ``MetricsService`` serves; ``disabled`` records nothing (the default
/// of every component, so unit tests need no setup). Every series name has a
/// fixed set of label names, as Prometheus requires.
public struct CallspoolMetrics: Sendable {
    public enum Name {
        public static let jobs = "callspool_jobs"
        public static let portsInUse = "callspool_ports_in_use"
        public static let portsEffectiveLimit = "callspool_ports_effective_limit"
        public static let portsConfiguredLimit = "callspool_ports_configured_limit"
        public static let portsVerifyReserve = "callspool_ports_verify_reserve"
        public static let requests = "callspool_requests_total"
        public static let callbacks = "callspool_callbacks_total"
        public static let callbackAuth = "callspool_callback_auth_total"
        public static let dispatchLatency = "callspool_dispatch_latency_seconds"
        public static let displayNumberRetirements = "callspool_display_number_retirements_total"
        public static let pauses = "callspool_dispatch_pauses"
        public static let halted = "callspool_dispatch_halted"
        public static let transportTrips = "callspool_transport_trips_total"
        public static let storageHalted = "callspool_storage_halted"
        public static let droppedCallbackEvents = "callspool_callback_events_dropped_total"
        public static let storageLowSpace = "callspool_storage_low_space"
        public static let intakeFiles = "callspool_intake_files_total"
        public static let intakeJobs = "callspool_intake_jobs_total"
        public static let queueOldestAge = "callspool_queue_oldest_age_seconds"
        public static let heartbeatAge = "callspool_heartbeat_age_seconds"
        public static let appPortsInUse = "callspool_app_ports_in_use"
        public static let appPortsEffectiveLimit = "callspool_app_ports_effective_limit"
        public static let appPortsConfiguredLimit = "callspool_app_ports_configured_limit"
        public static let appHalted = "callspool_app_halted"
        public static let billedMinutes = "callspool_billed_minutes_total"
    }

    /// Buckets of the dispatch latency histogram: the platform answers in
    /// tens of milliseconds normally, `platform.timeout` (10 s) at worst.
    public static let latencyBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    let factory: any MetricsFactory
    /// The registry behind the factory, when there is one to serve.
    public let registry: PrometheusCollectorRegistry?

    init(factory: any MetricsFactory, registry: PrometheusCollectorRegistry?) {
        self.factory = factory
        self.registry = registry
    }

    /// Records nothing.
    public static let disabled = CallspoolMetrics(factory: NOOPMetricsHandler.instance, registry: nil)

    /// Records into `registry` (one per daemon).
    public static func prometheus(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) -> CallspoolMetrics {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Name.dispatchLatency] = latencyBuckets
        factory.durationHistogramBuckets[apiDurationName] = latencyBuckets
        return CallspoolMetrics(factory: factory, registry: registry)
    }

    /// Uses whatever factory the caller has (e.g. the global `MetricsSystem.factory` of an executable).
    public static func using(_ factory: any MetricsFactory) -> CallspoolMetrics {
        CallspoolMetrics(factory: factory, registry: nil)
    }

    // MARK: - Queue and ports (gauges, refreshed by MetricsService)

    public func setJobs(_ counts: [JobState: Int]) {
        for state in JobState.allCases {
            Gauge(label: Name.jobs, dimensions: [("state", state.rawValue)], factory: factory).record(counts[state] ?? 0)
        }
    }

    public func setPorts(inUse: Int, effectiveLimit: Int, configured: Int, verifyReserve: Int = 0) {
        Gauge(label: Name.portsVerifyReserve, factory: factory).record(verifyReserve)
        Gauge(label: Name.portsInUse, factory: factory).record(inUse)
        Gauge(label: Name.portsEffectiveLimit, factory: factory).record(effectiveLimit)
        Gauge(label: Name.portsConfiguredLimit, factory: factory).record(configured)
    }

    /// Each application's ports and whether it is halted (`app` label).
    public func setApplications(_ figures: [ApplicationFigures], halted: Set<String>) {
        for app in figures {
            let dimensions = [("app", app.name)]
            Gauge(label: Name.appPortsInUse, dimensions: dimensions, factory: factory).record(app.inUse)
            Gauge(label: Name.appPortsEffectiveLimit, dimensions: dimensions, factory: factory).record(app.effectiveLimit)
            Gauge(label: Name.appPortsConfiguredLimit, dimensions: dimensions, factory: factory).record(app.configured)
            Gauge(label: Name.appHalted, dimensions: dimensions, factory: factory).record(halted.contains(app.name) ? 1 : 0)
        }
    }

    /// Kinds of pause the gauge reports, always all of them (0 when none).
    public static let pauseKinds = ["global", "flow", "ports", "transport", "storage", "campaign", "display_number", "display_number_retired", "callee"]

    /// Pauses in force by kind, and whether dispatch is halted.
    public func setPauses(_ pauses: [PauseScope: PauseRecord], halted: Bool) {
        var counts: [String: Int] = [:]
        for (scope, record) in pauses {
            let kind: String
            switch scope.base {
            case .global: kind = "global"
            case .ports, .application: kind = "ports"
            case .flow: kind = "flow"
            case .transport: kind = "transport"
            case .storage: kind = "storage"
            case .campaign: kind = "campaign"
            case .displayNumber: kind = Scheduler.isRetirement(record) ? "display_number_retired" : "display_number"
            case .callee: kind = "callee"
            }
            counts[kind, default: 0] += 1
        }
        for kind in Self.pauseKinds {
            Gauge(label: Name.pauses, dimensions: [("kind", kind)], factory: factory).record(counts[kind] ?? 0)
        }
        Gauge(label: Name.halted, factory: factory).record(halted ? 1 : 0)
    }

    /// Status events kept in memory during a storage halt and dropped
    /// (too many or too old) before they could be written.
    public func countDroppedCallbackEvents(_ count: Int) {
        Counter(label: Name.droppedCallbackEvents, factory: factory).increment(by: count)
    }

    /// 1 while the store cannot be written; 1 while free space is below `store.min_free`.
    public func setStorage(halted: Bool, lowSpace: Bool) {
        Gauge(label: Name.storageHalted, factory: factory).record(halted ? 1 : 0)
        Gauge(label: Name.storageLowSpace, factory: factory).record(lowSpace ? 1 : 0)
    }

    /// How long the oldest due queued job of each type has waited (0 when
    /// none): a verify code waiting a minute is already late.
    public func setQueueOldestAge(_ ages: [JobType: TimeInterval]) {
        for type in JobType.allCases {
            Gauge(label: Name.queueOldestAge, dimensions: [("type", type.rawValue)], factory: factory).record(max(0, ages[type] ?? 0))
        }
    }

    /// Seconds since the daemon's last heartbeat was stored: grows when the
    /// heartbeat writer (and so the store) is stuck while metrics still serve.
    public func setHeartbeatAge(_ age: TimeInterval) {
        Gauge(label: Name.heartbeatAge, factory: factory).record(max(0, age))
    }

    // MARK: - Dispatch

    /// The transport circuit breaker opened: dispatch paused after repeated
    /// requests whose fate is unknown.
    public func countTransportTrip() {
        Counter(label: Name.transportTrips, factory: factory).increment()
    }

    /// One platform answer (or its absence): `resultClass` as stored on the
    /// attempt (`ok`, `ports`, `flow_control`, …, `not_sent`, `uncertain`),
    /// `code` the platform's resultcode, else `http_<status>`, else `none`.
    public func countRequest(resultClass: String, code: String, app: String = Configuration.Application.legacyName) {
        Counter(label: Name.requests, dimensions: [("app", app), ("class", resultClass), ("code", code)], factory: factory).increment()
    }

    /// A pool display number retired after the platform refused it (`code`:
    /// 1010023, 1020151, 1013010, 1012001).
    public func countDisplayNumberRetirement(code: String) {
        Counter(label: Name.displayNumberRetirements, dimensions: [("code", code)], factory: factory).increment()
    }

    /// Time from committing the attempt to having the platform's answer.
    public func recordDispatchLatency(_ duration: Duration) {
        let parts = duration.components
        let nanoseconds = parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
        Timer(label: Name.dispatchLatency, factory: factory).recordNanoseconds(max(0, nanoseconds))
    }

    // MARK: - Callbacks

    /// One stored push, by its `eventType` (`fee` for a CDR batch).
    public func countCallback(eventType: String) {
        Counter(label: Name.callbacks, dimensions: [("event", eventType)], factory: factory).increment()
    }

    /// One authentication decision: `ok`, `unchecked` (verification off), or
    /// the rejection (`bad_digest`, `stale`, `replay`, …).
    public func countCallbackAuth(result: String) {
        Counter(label: Name.callbackAuth, dimensions: [("result", result)], factory: factory).increment()
    }

    /// Minutes billed by applied fee CDRs (``BilledMinutes``), by the job's
    /// application and type; each call's CDR is applied, so counted, once.
    public func countBilledMinutes(_ billed: [BilledCall]) {
        for call in billed where call.minutes > 0 {
            let dimensions = [("app", call.app ?? Configuration.Application.legacyName), ("type", call.type.rawValue)]
            Counter(label: Name.billedMinutes, dimensions: dimensions, factory: factory).increment(by: call.minutes)
        }
    }

    // MARK: - Intake

    /// One handled spool file and what became of its jobs.
    public func countIntake(_ result: SpoolIntake.Result) {
        switch result {
        case .processed(let report):
            Counter(label: Name.intakeFiles, dimensions: [("result", "processed")], factory: factory).increment()
            countIntakeJobs("accepted", report.accepted)
            countIntakeJobs("duplicate", report.duplicates)
            countIntakeJobs("rejected", report.rejected.count + (report.rejectedNotListed ?? 0))
            countSuppressed(stage: "intake", report.rejectedByReason[RejectionReason.suppressed.rawValue] ?? 0)
        case .rejected:
            Counter(label: Name.intakeFiles, dimensions: [("result", "rejected")], factory: factory).increment()
        case .notReady, .skipped:
            break
        }
    }

    func countIntakeJobs(_ result: String, _ count: Int) {
        guard count > 0 else { return }
        Counter(label: Name.intakeJobs, dimensions: [("result", result)], factory: factory).increment(by: count)
    }
}
