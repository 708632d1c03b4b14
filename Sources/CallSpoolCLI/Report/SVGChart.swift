import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// Inline SVG charts for the campaign report: drawn here, as text, so the
/// report needs no script, no stylesheet and no network to show them.
/// Every mark carries `data-*` attributes with the figure it draws, so
/// tests (and curious readers) can check the picture against the numbers.
public enum SVGChart {
    /// Horizontal bars, one per (label, value), longest scaled to the width.
    public static func bars(_ items: [(label: String, value: Int)], id: String, width: Int = 560, color: String = "#3b6ea5") -> String {
        guard !items.isEmpty else { return ##"<p class="empty">None yet.</p>"## }
        let rowHeight = 26
        let labelWidth = 150
        let height = items.count * rowHeight + 8
        let maxValue = max(1, items.map(\.value).max() ?? 1)
        let barSpace = Double(width - labelWidth - 60)
        var svg = ##"<svg id="\##(id)" class="chart" role="img" width="\##(width)" height="\##(height)" viewBox="0 0 \##(width) \##(height)">"##
        for (index, item) in items.enumerated() {
            let y = index * rowHeight + 4
            let length = max(1, Int((Double(item.value) / Double(maxValue) * barSpace).rounded()))
            svg += ##"<text x="\##(labelWidth - 8)" y="\##(y + 17)" text-anchor="end">\##(HTMLText.escape(item.label))</text>"##
            svg += ##"<rect class="bar" data-label="\##(HTMLText.escape(item.label))" data-value="\##(item.value)" x="\##(labelWidth)" y="\##(y + 3)" width="\##(length)" height="\##(rowHeight - 8)" fill="\##(color)"></rect>"##
            svg += ##"<text x="\##(labelWidth + length + 6)" y="\##(y + 17)">\##(item.value)</text>"##
        }
        return svg + "</svg>"
    }

    /// A step line of calls in progress over time, with the port limit (and
    /// the learned limit when lower) as dashed lines.
    public static func concurrency(_ series: ConcurrencySeries, limit: Int, learned: Int?, id: String, width: Int = 760, height: Int = 260) -> String {
        guard let first = series.points.first?.at, let last = series.points.last?.at else {
            return ##"<p class="empty">No call placed yet.</p>"##
        }
        let left = 40.0, right = 12.0, top = 12.0, bottom = 28.0
        let plotWidth = Double(width) - left - right
        let plotHeight = Double(height) - top - bottom
        let span = max(1, last.timeIntervalSince(first))
        let yMax = Double(max(1, limit, series.peak))
        func x(_ date: Date) -> Double { left + date.timeIntervalSince(first) / span * plotWidth }
        func y(_ value: Int) -> Double { top + plotHeight - Double(value) / yMax * plotHeight }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        var path = ""
        var previous: Int?
        for point in series.points {
            if let previous { path += " L\(f(x(point.at))),\(f(y(previous)))" }
            path += (path.isEmpty ? "M" : " L") + "\(f(x(point.at))),\(f(y(point.calls)))"
            previous = point.calls
        }
        var svg = ##"<svg id="\##(id)" class="chart" role="img" width="\##(width)" height="\##(height)" viewBox="0 0 \##(width) \##(height)" data-peak="\##(series.peak)" data-limit="\##(limit)">"##
        svg += ##"<line x1="\##(f(left))" y1="\##(f(top + plotHeight))" x2="\##(f(left + plotWidth))" y2="\##(f(top + plotHeight))" stroke="#888"></line>"##
        svg += ##"<line x1="\##(f(left))" y1="\##(f(top))" x2="\##(f(left))" y2="\##(f(top + plotHeight))" stroke="#888"></line>"##
        for tick in Set([0, Int(yMax) / 2, Int(yMax)]).sorted() {
            svg += ##"<text x="\##(f(left - 6))" y="\##(f(y(tick) + 4))" text-anchor="end">\##(tick)</text>"##
        }
        svg += ##"<line class="limit" data-value="\##(limit)" x1="\##(f(left))" y1="\##(f(y(limit)))" x2="\##(f(left + plotWidth))" y2="\##(f(y(limit)))" stroke="#c0392b" stroke-dasharray="6 4"></line>"##
        svg += ##"<text x="\##(f(left + plotWidth))" y="\##(f(y(limit) - 4))" text-anchor="end" fill="#c0392b">port limit \##(limit)</text>"##
        if let learned, learned < limit {
            svg += ##"<line class="learned" data-value="\##(learned)" x1="\##(f(left))" y1="\##(f(y(learned)))" x2="\##(f(left + plotWidth))" y2="\##(f(y(learned)))" stroke="#e67e22" stroke-dasharray="2 3"></line>"##
            svg += ##"<text x="\##(f(left + plotWidth))" y="\##(f(y(learned) + 14))" text-anchor="end" fill="#e67e22">learned limit \##(learned)</text>"##
        }
        svg += ##"<path class="calls" d="\##(path)" fill="none" stroke="#3b6ea5" stroke-width="2"></path>"##
        svg += ##"<text x="\##(f(left))" y="\##(height - 8)">\##(Timestamp.format(first))</text>"##
        svg += ##"<text x="\##(f(left + plotWidth))" y="\##(height - 8)" text-anchor="end">\##(Timestamp.format(last))</text>"##
        return svg + "</svg>"
    }
}
