import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// One page of a campaign's jobs in row-id order, starting after
    /// `afterRowID` (keyset paging: each page is its own short read, so an
    /// export never holds the whole campaign nor a long read transaction).
    public func campaignJobsPage(campaign: String, afterRowID: Int64, limit: Int) throws -> [JobRecord] {
        try reader.read { db in
            try JobRecord
                .filter(JobRecord.Columns.campaign == campaign && JobRecord.Columns.rowId > afterRowID)
                .order(JobRecord.Columns.rowId)
                .limit(limit)
                .fetchAll(db)
        }
    }

    /// Whether the store knows the campaign (it has a row or any job).
    public func campaignExists(_ campaign: String) throws -> Bool {
        try reader.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM campaign WHERE name = ?) OR EXISTS (SELECT 1 FROM job WHERE campaign = ?)
                """, arguments: [campaign, campaign]) ?? false
        }
    }
}
