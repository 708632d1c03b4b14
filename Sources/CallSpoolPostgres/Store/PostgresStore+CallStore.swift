import CallSpoolCore
import Foundation

/// The PostgreSQL store is a ``CallStore``: its operations are in the
/// `PostgresStore+*.swift` files, one per concern, like the SQLite store's.
extension PostgresStore: CallStore {}
