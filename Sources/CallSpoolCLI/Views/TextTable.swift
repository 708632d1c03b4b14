import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
/// Aligned plain-text tables for the CLI's human output (`jobs`, `campaigns`, `job`'s attempts).
public struct TextTable: Sendable {
    public var headers: [String]
    public var rows: [[String]] = []
    /// Columns that may be shortened (with "…") to fit `width`.
    public var shrinkable: Set<Int>
    public var width: Int

    public init(_ headers: [String], shrinkable: Set<Int> = [], width: Int = 80) {
        self.headers = headers
        self.shrinkable = shrinkable
        self.width = width
    }

    /// Cells are shown with their control characters escaped (``TerminalText``):
    /// they hold stored text (ids, campaign names) that must not drive the terminal.
    public mutating func add(_ row: [String]) { rows.append(row.map(TerminalText.visible)) }

    public func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        var total = widths.reduce(0, +) + 2 * (widths.count - 1)
        for index in shrinkable.sorted(by: >) where total > width && index < widths.count {
            let cut = min(total - width, max(0, widths[index] - max(8, headers[index].count)))
            widths[index] -= cut
            total -= cut
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, width) in widths.enumerated() {
                var cell = index < cells.count ? cells[index] : ""
                if cell.count > width { cell = String(cell.prefix(max(1, width - 1))) + "…" }
                parts.append(index == widths.count - 1 ? cell : cell + String(repeating: " ", count: width - cell.count))
            }
            return parts.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
