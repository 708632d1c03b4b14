import CallSpoolCore
import Foundation

/// One line of `callspool webhooks status` (and its `--json` element).
public struct WebhookFiguresView: Codable, Sendable, Equatable {
    public var webhook: String
    public var pending: Int
    public var delivered: Int
    public var gaveUp: Int
    /// When the oldest undelivered event was queued (RFC 3339), or null.
    public var oldestPending: String?
    /// Whether the configuration names it (rows of a removed webhook stay until pruned).
    public var configured: Bool

    /// Every configured webhook (zeros when it has no rows), then any other with rows.
    public static func load(figures: [WebhookFigures], configured: [String]) -> [WebhookFiguresView] {
        let byName = Dictionary(figures.map { ($0.webhook, $0) }, uniquingKeysWith: { first, _ in first })
        let names = configured + figures.map(\.webhook).filter { !configured.contains($0) }.sorted()
        return names.map { name in
            let figure = byName[name] ?? WebhookFigures(webhook: name)
            return WebhookFiguresView(
                webhook: name, pending: figure.pending, delivered: figure.delivered, gaveUp: figure.gaveUp,
                oldestPending: figure.oldestPending.map(Timestamp.format), configured: configured.contains(name))
        }
    }

    public static func table(_ views: [WebhookFiguresView]) -> String {
        var lines = ["WEBHOOK              PENDING  DELIVERED  GAVE UP  OLDEST PENDING"]
        for view in views {
            let name = view.webhook + (view.configured ? "" : " (not configured)")
            lines.append(
                name.padding(toLength: max(20, name.count), withPad: " ", startingAt: 0) + " "
                    + String(view.pending).leftPadded(7) + "  " + String(view.delivered).leftPadded(9) + "  " + String(view.gaveUp).leftPadded(7) + "  "
                    + (view.oldestPending ?? "-"))
        }
        if views.contains(where: { $0.gaveUp > 0 }) { lines.append("given-up deliveries are kept: `callspool webhooks replay` sends them again") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
