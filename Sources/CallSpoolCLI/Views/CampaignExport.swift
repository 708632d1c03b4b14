import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// Output formats of `callspool export`.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header record.
    case csv
    /// One JSON object per line (camelCase keys, sorted).
    case jsonl
}

/// Streams one row per job of a campaign (``ExportRow``), page by page from
/// the store, to a sink: memory stays bounded by one page however large the
/// campaign, and rows come in job row-id order (submission order).
///
/// Each page is a separate read, so jobs changing state while the export runs
/// show the state of the moment their page was read.
public struct CampaignExport: Sendable {
    public var database: any CallStore
    public var campaign: String
    public var format: ExportFormat
    public var pageSize: Int
    /// `[billing]`, for each row's cost.
    public var rate: BillingRate

    public init(database: any CallStore, campaign: String, format: ExportFormat, pageSize: Int = 500, rate: BillingRate = .unpriced) {
        self.database = database
        self.rate = rate
        self.campaign = campaign
        self.format = format
        self.pageSize = max(1, pageSize)
    }

    /// Writes the export: `sink` gets the header (CSV) and then one chunk of
    /// text per page. Returns the number of rows written.
    @discardableResult
    public func write(to sink: (String) throws -> Void) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if format == .csv { try sink(CSV.record(ExportRow.csvHeader)) }
        var after: Int64 = 0
        var count = 0
        while true {
            let page = try database.campaignJobsPage(campaign: campaign, afterRowID: after, limit: pageSize)
            guard let last = page.last?.rowId else { break }
            var chunk = ""
            for job in page {
                let row = ExportRow(job, rate: rate)
                switch format {
                case .csv:
                    chunk += CSV.record(row.csvFields)
                case .jsonl:
                    chunk += String(decoding: try encoder.encode(row), as: UTF8.self) + "\n"
                }
            }
            try sink(chunk)
            count += page.count
            after = last
            if page.count < pageSize { break }
        }
        return count
    }
}
