import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// The report as one self-contained HTML file: inline CSS, inline SVG, no
/// script (and a Content-Security-Policy forbidding any), no external
/// reference, phone numbers masked. Figures sit in
/// elements with `data-metric` attributes so they can be checked by tools.
extension CampaignReport {
    /// What the page may load or run: nothing but its own inline styles (and
    /// `data:` images). The report needs no script; should a value slip past
    /// the escaping, the browser still refuses to run it.
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

    /// `text` with every phone number in it masked (``LogRedaction``, as the
    /// logs do): a job id, a campaign name or a platform description may
    /// carry one (a campaign job without an `id` is named after its callee).
    static func masked(_ text: String) -> String {
        LogRedaction.maskPhoneNumbers(in: text)
    }

    public var html: String {
        let e = HTMLText.escape
        // Displayed values (names, ids, descriptions, labels) with any phone
        // number masked; not the result codes, whose seven digits (1020154)
        // are no phone number and must stay readable.
        let shown = { (text: String) in HTMLText.escape(Self.masked(text)) }
        let percent = summary.total == 0 ? 0 : Int((Double(finished) / Double(summary.total) * 100).rounded())
        let states = JobState.allCases.map { ($0.rawValue, summary.states[$0.rawValue] ?? 0) }
        let outcomes = summary.outcomes.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.map { (label: Self.masked($0.key), value: $0.value) }
        let digits = summary.digits.sorted { $0.key < $1.key }.map { (label: Self.masked($0.key), value: $0.value) }
        let classes = attemptClasses.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.map { (label: Self.masked($0.key), value: $0.value) }
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/>
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>callspool report: \(shown(campaign))</title>
            <style>
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:24px auto;max-width:820px;padding:0 16px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .meta{color:#666}.figures{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
            .figure{background:#f4f6f9;border-radius:6px;padding:8px 14px;min-width:96px}.figure b{display:block;font-size:20px}
            .progress{background:#e3e7ee;border-radius:4px;height:12px;overflow:hidden}.progress span{display:block;height:100%;background:#2e8b57}
            table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eee}
            td.n{text-align:right;font-variant-numeric:tabular-nums}svg.chart text{font:12px system-ui,sans-serif;fill:#333}.empty{color:#888}
            </style></head><body>
            <h1>Campaign <span data-metric="campaign">\(shown(campaign))</span></h1>
            <p class="meta">Generated \(e(Timestamp.format(generatedAt))) by callspool\(summary.paused ? " — campaign paused" : "")</p>
            <div class="figures">
            <div class="figure">jobs<b data-metric="total">\(summary.total)</b></div>
            <div class="figure">finished<b data-metric="finished">\(finished)</b></div>
            <div class="figure">calls placed<b data-metric="calls">\(calls)</b></div>
            <div class="figure">attempts<b data-metric="attempts">\(attempts)</b></div>
            <div class="figure">retries<b data-metric="retries">\(retries)</b></div>
            <div class="figure">throttled<b data-metric="throttled">\(throttled)</b></div>
            <div class="figure">peak calls<b data-metric="peak">\(concurrency.peak)</b></div>
            <div class="figure">billed minutes<b data-metric="billedMinutes">\(summary.billedMinutes)</b></div>
            \(summary.cost.map { "<div class=\"figure\">cost (\(e($0.currency)))<b data-metric=\"cost\">\(e($0.amount))</b></div>" } ?? "")
            </div>
            <div class="progress" title="\(percent) % finished"><span style="width:\(percent)%"></span></div>
            <p><span data-metric="percent">\(percent)</span> % finished\(firstAttemptAt.map { ", first call " + e(Timestamp.format($0)) } ?? "")\(lastAttemptAt.map { ", last " + e(Timestamp.format($0)) } ?? "").</p>

            <h2>Progress by state</h2>
            <table id="states"><tr><th>state</th><th>jobs</th></tr>

            """
        for (state, count) in states {
            page += "<tr><td>\(state)</td><td class=\"n\" data-state=\"\(state)\">\(count)</td></tr>\n"
        }
        page += "</table>\n<h2>Outcomes</h2>\n" + SVGChart.bars(outcomes, id: "outcomes", color: "#2e8b57") + "\n"
        page += "<h2>DTMF answers</h2>\n" + SVGChart.bars(digits, id: "digits", color: "#8e44ad") + "\n"
        page += "<h2>Calls in progress against the port limit</h2>\n"
        page += SVGChart.concurrency(concurrency, limit: portLimit, learned: effectivePortLimit, id: "concurrency") + "\n"
        page += "<h2>Retries and throttling</h2>\n<p>Platform answers to the campaign's call requests, by class; <b>\(retries)</b> attempts were retries or redials, <b>\(throttled)</b> were refused for pace (ports, flow control, frequency or quota limits) and sent again later.</p>\n"
        page += SVGChart.bars(classes, id: "classes", color: "#d35400") + "\n"
        page += billingSection
        page += "<h2>Last errors</h2>\n"
        if errors.isEmpty {
            page += "<p class=\"empty\">No errors.</p>\n"
        } else {
            page += "<table id=\"errors\"><tr><th>when</th><th>job</th><th>callee</th><th>code</th><th>description</th></tr>\n"
            for error in errors {
                page += "<tr><td>\(e(Timestamp.format(error.at)))</td><td>\(shown(error.jobId))</td><td>\(shown(error.calleeNbr))</td><td data-code=\"\(e(error.code))\">\(e(error.code))</td><td>\(shown(error.description))</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "</body></html>\n"
        return page
    }

    /// Billed minutes by application (answered calls, per started minute;
    /// docs/billing.md), with their cost when a price is configured.
    var billingSection: String {
        let e = HTMLText.escape
        var section = "<h2>Billed minutes</h2>\n"
        guard !summary.billedMinutesByApp.isEmpty else { return section + "<p class=\"empty\">No billed minutes.</p>\n" }
        let priced = summary.cost != nil
        section += "<table id=\"billing\"><tr><th>application</th><th>billed minutes</th>\(priced ? "<th>cost</th>" : "")</tr>\n"
        for (app, minutes) in summary.billedMinutesByApp.sorted(by: { $0.key < $1.key }) {
            let cost = rate.cost(minutes: minutes).map { "<td class=\"n\">\(e($0.text))</td>" } ?? ""
            section += "<tr><td>\(e(Self.masked(app)))</td><td class=\"n\" data-app=\"\(e(app))\">\(minutes)</td>\(cost)</tr>\n"
        }
        return section + "</table>\n"
    }
}
