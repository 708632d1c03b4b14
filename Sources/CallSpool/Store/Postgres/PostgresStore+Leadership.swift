import Foundation
import PostgresNIO

extension PostgresStore {
    /// Checks, inside a dispatch write, that this instance still holds the
    /// dispatcher lease when one is in use; returns its epoch (nil: no lease).
    func fence(_ session: PostgresSession) throws -> Int64? {
        nil
    }
}
