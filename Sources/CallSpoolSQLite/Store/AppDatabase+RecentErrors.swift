import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    /// The jobs whose last attempt or ending left an error (code or
    /// description), most recently changed first; operator cancels excluded.
    public func recentErrors(limit: Int = 5) throws -> [RecentError] {
        try reader.read { db in
            let errorCode = Column("errorCode"), errorDesc = Column("errorDesc"), updatedAt = Column("updatedAt")
            return try JobRecord
                .filter(errorCode != nil || errorDesc != nil)
                .filter(JobRecord.Columns.state != JobState.canceled.rawValue)
                .order(updatedAt.desc, JobRecord.Columns.rowId.desc)
                .limit(limit)
                .fetchAll(db)
                .map { RecentError(id: $0.jobId, state: $0.state.rawValue, code: $0.errorCode, description: $0.errorDesc, at: Timestamp.format($0.updatedAt)) }
        }
    }
}
