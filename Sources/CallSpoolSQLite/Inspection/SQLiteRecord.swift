import CallSpoolCore
import GRDB

/// A record type ``SQLiteInspection`` reads and writes as the store does
/// (its GRDB coding: column names, dates, JSON columns), without its callers
/// naming GRDB. Only the record types the tests plant or read whole.
package protocol SQLiteRecord: FetchableRecord, MutablePersistableRecord {}

extension JobRecord: SQLiteRecord {}
extension AttemptRecord: SQLiteRecord {}
extension AppStatusRecord: SQLiteRecord {}
