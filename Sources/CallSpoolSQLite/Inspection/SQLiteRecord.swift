import GRDB

/// A record type ``SQLiteInspection`` reads and writes as the store does
/// (its GRDB coding: column names, dates, JSON columns), without its callers
/// naming GRDB. Only the record types the tests plant or read whole:
/// `JobRecord`, `AttemptRecord` and `AppStatusRecord` declare it beside
/// their GRDB conformances (`Sources/CallSpoolSQLite/Records/`).
package protocol SQLiteRecord: FetchableRecord, MutablePersistableRecord {}
