import Foundation

/// An error of a store driver that says what it means for callspool: that
/// the store cannot be written now (``StorageFailure``: dispatch pauses,
/// nothing is lost) or that it refuses a value for good (``StoreRefusal``:
/// the file goes to `rejected/`).
///
/// Exists so the engine can act on a driver's errors without importing the
/// driver: each driver conforms its own error types (GRDB's
/// `DatabaseError`, the PostgreSQL driver's errors) in its own target.
public protocol StoreErrorExplaining: Error {
    /// Why the store cannot take writes now (a full disk, a read-only
    /// store, an I/O error, an outage), or nil.
    var storageFailureReason: String? { get }
    /// Why the store refuses this data for good (a value too large, a
    /// constraint broken, a type mismatch), or nil.
    var permanentRefusalReason: String? { get }
    /// Whether the write was refused because this instance did not hold the
    /// dispatcher lease at that moment (its own clock found too little of
    /// it left, or another instance took it): the transaction changed
    /// nothing, and trying again may succeed once the lease is renewed.
    var isDispatcherLeaseRefusal: Bool { get }
}

extension StoreErrorExplaining {
    public var isDispatcherLeaseRefusal: Bool { false }
}
