import Foundation
import Metrics

extension CallspoolMetrics {
    /// `callspool_webhook_deliveries_total{webhook,result}`: tries of result
    /// webhooks by what became of them: `delivered` (2xx), `retry` (to be
    /// tried again), `rejected` (a 4xx: given up), `expired` (failing past `max_age`: given up).
    public static let webhookDeliveriesName = "callspool_webhook_deliveries_total"
    /// `callspool_webhook_backlog{webhook}`: events queued and not delivered yet.
    public static let webhookBacklogName = "callspool_webhook_backlog"
    /// `callspool_webhook_gave_up{webhook}`: events given up and kept for a replay.
    public static let webhookGaveUpName = "callspool_webhook_gave_up"
    /// `callspool_webhook_oldest_age_seconds{webhook}`: how long the oldest undelivered event has waited.
    public static let webhookOldestAgeName = "callspool_webhook_oldest_age_seconds"

    /// `callspool_api_requests_total{client,route,status}`: HTTP API answers
    /// (client `-` without a valid token; route `unknown` for no route).
    public static let apiRequestsName = "callspool_api_requests_total"
    /// `callspool_api_request_duration_seconds{route}`: from the request's head to its answer.
    public static let apiDurationName = "callspool_api_request_duration_seconds"

    public func countAPIRequest(client: String, route: String, status: Int, duration: Duration) {
        Counter(label: Self.apiRequestsName, dimensions: [("client", client), ("route", route), ("status", String(status))], factory: factory).increment()
        let parts = duration.components
        let nanoseconds = parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
        Timer(label: Self.apiDurationName, dimensions: [("route", route)], factory: factory).recordNanoseconds(max(0, nanoseconds))
    }

    public func countWebhookDelivery(webhook: String, result: String) {
        Counter(label: Self.webhookDeliveriesName, dimensions: [("webhook", webhook), ("result", result)], factory: factory).increment()
    }

    /// Every configured webhook's gauges (0 for one without rows).
    public func setWebhooks(_ figures: [WebhookFigures], configured: [String], now: Date) {
        let byName = Dictionary(figures.map { ($0.webhook, $0) }, uniquingKeysWith: { first, _ in first })
        for name in configured {
            let figure = byName[name] ?? WebhookFigures(webhook: name)
            Gauge(label: Self.webhookBacklogName, dimensions: [("webhook", name)], factory: factory).record(figure.pending)
            Gauge(label: Self.webhookGaveUpName, dimensions: [("webhook", name)], factory: factory).record(figure.gaveUp)
            let age = figure.oldestPending.map { max(0, now.timeIntervalSince($0)) } ?? 0
            Gauge(label: Self.webhookOldestAgeName, dimensions: [("webhook", name)], factory: factory).record(age)
        }
    }
}
