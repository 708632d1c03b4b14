import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import VoiceCallAPI

extension StatusView {
    /// The human form of `callspool status`; `style` colours it (only on a
    /// terminal). Stored text (reasons, ids, descriptions, names) is shown
    /// with its control characters escaped (``TerminalText``).
    public func text(now: Date, style: TerminalStyle = .plain) -> String {
        visibleOnTerminal().render(now: now, style: style)
    }

    func render(now: Date, style: TerminalStyle) -> String {
        var lines: [String] = []
        if daemon.running {
            lines.append("daemon    \(style.green("running")) (pid \(daemon.pid.map(String.init) ?? "?"), version \(daemon.version ?? "?"), since \(daemon.startedAt ?? "?"))")
        } else if let beat = daemon.heartbeatAt {
            let age = Timestamp.parse(beat).map { " — \(DurationText.format(.seconds(Int(now.timeIntervalSince($0).rounded(.down))))) ago" } ?? ""
            lines.append("daemon    \(style.red("NOT running")) (last heartbeat \(beat)\(age))")
        } else {
            lines.append("daemon    \(style.red("NOT running")) (never started on this store)")
        }
        if let instances {
            let lead = leader.map { "\($0.name) dispatches (epoch \($0.epoch), lease renewed \(String(format: "%.1f", $0.leaseAge)) s ago)" } ?? style.red("nobody dispatches (no instance holds the lease)")
            lines.append("leader    \(lead)")
            for instance in instances {
                lines.append("instance  \(instance.name)\(instance.leader ? " (dispatcher)" : "") version \(instance.version), heartbeat \(instance.heartbeatAt)")
            }
        }
        lines.append("ports     \(ports.inUse) in use of \(ports.effectiveLimit) (configured \(ports.limit))")
        if let reserve = ports.reserve {
            lines.append("reserve   \(reserve) for verify jobs (\(ports.reserveReason ?? "-"))")
        }
        let order = JobState.allCases.map(\.rawValue)
        lines.append("jobs      " + order.map { "\($0) \(jobs[$0] ?? 0)" }.joined(separator: "  "))
        if let halted {
            lines.append("\(style.red("HALTED"))    \(halted.code): \(halted.reason) (since \(halted.since); probe at \(halted.probeAt ?? "?"))")
        }
        for pause in pauses {
            var until = pause.until.map { "until \($0)" } ?? "until resumed"
            if let date = pause.until.flatMap(Timestamp.parse), date > now {
                until += " (\(DurationText.format(.seconds(Int(date.timeIntervalSince(now).rounded(.up))))) left)"
            }
            lines.append("\(style.yellow("paused"))    \(pause.scope): \(pause.reason)\(pause.code.map { " [\($0)]" } ?? "") \(until)")
        }
        if apps.count > 1 {
            for app in apps {
                var line = "app       \(app.name) (\(app.types.joined(separator: ", ")), key \(app.appKey)): ports \(app.ports.inUse) of \(app.ports.effectiveLimit) (configured \(app.ports.limit))"
                if let reserve = app.ports.reserve, reserve > 0 { line += ", \(reserve) kept for verify" }
                if let halted = app.halted { line += "  " + style.red("HALTED") + " \(halted.code): \(halted.reason)" }
                for pause in app.pauses { line += "  " + style.yellow("paused") + " \(pause.scope)" }
                lines.append(line)
            }
        }
        for webhook in webhooks ?? [] {
            var line = "webhook   \(webhook.name): \(webhook.backlog) waiting, \(webhook.delivered) delivered"
            if let oldest = webhook.oldestPending { line += " (oldest waiting since \(oldest))" }
            if webhook.gaveUp > 0 { line += "  " + style.red("\(webhook.gaveUp) given up") + " (callspool webhooks replay)" }
            lines.append(line)
        }
        if !recentErrors.isEmpty {
            lines.append("last errors (most recent first)")
            for error in recentErrors {
                let code = error.code.map { style.red($0) + " " } ?? ""
                lines.append("  \(error.at)  \(error.id) [\(error.state)] \(code)\(error.description ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension JobListItem {
    /// `callspool jobs` as an aligned table.
    public static func table(_ items: [JobListItem]) -> String {
        var table = TextTable(["ID", "TYPE", "CAMPAIGN", "STATE", "OUTCOME", "DIGITS"], shrinkable: [0, 2])
        for item in items {
            table.add([item.id, item.type, item.campaign ?? "-", item.state, item.outcome ?? "-", item.digits.isEmpty ? "-" : item.digits.joined(separator: ",")])
        }
        return table.render()
    }
}

extension JobView {
    /// `callspool job ID` for people: fields, attempts, event timeline, CDR
    /// (control characters in values escaped, ``TerminalText``).
    public var text: String {
        var lines = [
            "id          \(id)",
            "type        \(type)\(campaign.map { "  (campaign \($0))" } ?? "")",
            "state       \(state)\(outcome.map { "  outcome \($0)" } ?? "")\(stateCode.map { "  stateCode \($0)" } ?? "")",
            "callee      \(PhoneMask.mask(calleeNbr))  display \(displayNbr.map(PhoneMask.mask) ?? "(from pool)")\(app.map { "  app \($0)" } ?? "")",
            "digits      \(digits.isEmpty ? "-" : digits.joined(separator: ", "))\(optedOut ? "  (opted out: suppressed)" : "")",
            "billed      \(billedMinutes) min\(cost.map { "  cost \($0.text)" } ?? "")",
            "expires     \(expiresAt)\(notBefore.map { "  not before \($0)" } ?? "")",
        ]
        if let error { lines.append("error       \(error.code): \(error.description)") }
        for change in suppression.prefix(5) {
            let scope = change.scope.isEmpty ? "every campaign" : "campaign \(change.scope)"
            let why = change.reason.isEmpty ? "" : ": \(change.reason)"
            lines.append("suppression \(change.at)  \(change.action == "add" ? "added" : "removed") for \(scope) by \(change.actor) (\(change.source))\(why)")
        }
        if !attempts.isEmpty {
            var table = TextTable(["#", "AT", "HTTP", "RESULT", "SESSION"], shrinkable: [4])
            for attempt in attempts {
                table.add(["\(attempt.n)", attempt.at, attempt.httpStatus.map(String.init) ?? "-", attempt.resultcode ?? "-", attempt.sessionId ?? "-"])
            }
            lines.append("")
            lines += table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        if !events.isEmpty {
            lines.append("")
            for event in events {
                var detail = ""
                if let digits = event.digitInfo { detail += " digits \(digits)" }
                if let code = event.stateCode { detail += " stateCode \(code)\(event.stateDesc.map { " (\($0))" } ?? "")" }
                lines.append("\(event.receivedAt)  \(event.eventType)\(detail)")
            }
        }
        if let cdr {
            lines.append("")
            lines.append("cdr         end \(cdr.callEndTime ?? "-")  answered \(cdr.callOutAnswerTime ?? "-")  keys \(cdr.dynIVRPath ?? "-")")
        }
        // One line each: a control character in a value is shown, never sent.
        return lines.map(TerminalText.visible).joined(separator: "\n")
    }
}

extension CampaignSummary {
    /// `callspool campaigns`: one row per campaign, then billed minutes per
    /// application over all campaigns (and their cost with a price).
    public static func table(_ summaries: [CampaignSummary], rate: BillingRate = .unpriced) -> String {
        var table = TextTable(["CAMPAIGN", "TOTAL", "QUEUED", "DONE", "FAILED", "BILLED MIN", "OUTCOMES", "DIGITS"], shrinkable: [0, 6, 7])
        for summary in summaries {
            let outcomes = summary.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let digits = summary.digits.sorted { $0.value > $1.value }.prefix(4).map { "\($0.key):\($0.value)" }.joined(separator: " ")
            table.add([
                summary.campaign + (summary.paused ? " (paused)" : ""), "\(summary.total)", "\(summary.states["queued"] ?? 0)",
                "\(summary.states["completed"] ?? 0)", "\(summary.states["failed"] ?? 0)", billedText(summary.billedMinutes, rate: rate),
                outcomes.isEmpty ? "-" : outcomes, digits.isEmpty ? "-" : digits,
            ])
        }
        var text = table.render()
        let byApp = billedMinutesByApp(summaries)
        if !byApp.isEmpty {
            var apps = TextTable(["APP", "BILLED MIN"], shrinkable: [0])
            for (app, minutes) in byApp.sorted(by: { $0.key < $1.key }) { apps.add([app, billedText(minutes, rate: rate)]) }
            text += "\n\n" + apps.render()
        }
        return text
    }

    /// Billed minutes per application, summed over `summaries`.
    public static func billedMinutesByApp(_ summaries: [CampaignSummary]) -> [String: Int] {
        summaries.reduce(into: [:]) { total, summary in
            for (app, minutes) in summary.billedMinutesByApp { total[app, default: 0] += minutes }
        }
    }

    /// "12", or "12 (1.44 CNY)" with a price.
    static func billedText(_ minutes: Int, rate: BillingRate) -> String {
        "\(minutes)" + (rate.cost(minutes: minutes).map { " (\($0.text))" } ?? "")
    }

    /// The summary with its ``cost`` at `rate`.
    public func priced(at rate: BillingRate) -> CampaignSummary {
        var summary = self
        summary.cost = rate.cost(minutes: billedMinutes)
        return summary
    }
}
