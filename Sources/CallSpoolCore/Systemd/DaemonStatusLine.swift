import Foundation

/// The one-line `STATUS=` text systemd shows in `systemctl status`: queue
/// figures, ports, and the first active pause or halt (with how many more).
public enum DaemonStatusLine {
    public static func make(
        counts: [JobState: Int], ports: (inUse: Int, effectiveLimit: Int, configured: Int), pauses: [PauseRecord], halt: HaltRecord?, now: Date
    ) -> String {
        var parts = [
            "queued \(counts[.queued, default: 0])",
            "in call \(counts[.inCall, default: 0])",
            "ports \(ports.inUse)/\(ports.effectiveLimit)" + (ports.effectiveLimit < ports.configured ? " (of \(ports.configured))" : ""),
        ]
        if let halt {
            let app = halt.app == Configuration.Application.legacyName ? "" : " (\(halt.app))"
            parts.append("HALTED\(app) \(halt.code): \(halt.reason)")
        }
        let active = pauses.filter { ($0.until ?? .distantFuture) > now }
        if let first = active.first {
            var text = "paused \(first.scope): \(first.reason)"
            if let until = first.until { text += " (\(Int(until.timeIntervalSince(now).rounded(.up)))s left)" }
            if active.count > 1 { text += " +\(active.count - 1) more" }
            parts.append(text)
        }
        return parts.joined(separator: ", ")
    }
}
