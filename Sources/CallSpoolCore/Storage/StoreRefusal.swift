import Foundation

/// Recognises a store refusing data for a reason that will not change when
/// the same data is offered again — a value too long for a column or an
/// index, a byte sequence the database does not take, a violated check —
/// as opposed to a storage failure (``StorageFailure``: wait and retry) or a
/// conflict between transactions (run again).
///
/// Intake rejects a file the store refuses so, with a report, instead of
/// leaving it in `incoming/` to be retried every second forever. Decided by
/// error type and code only, never by message text.
public enum StoreRefusal {
    /// Why the store will never take what it was offered, or nil.
    public static func reason(for error: any Error) -> String? {
        guard StorageFailure.reason(for: error) == nil else { return nil }
        return (error as? any StoreErrorExplaining)?.permanentRefusalReason
    }
}
