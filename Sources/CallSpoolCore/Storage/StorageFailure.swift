import Foundation

/// Recognises the failures that mean "the store cannot be written now" — a
/// full disk, a read-only filesystem, an I/O error; with PostgreSQL, the
/// server unreachable or refusing for want of resources — as opposed to a
/// bug or a broken invariant. They put the daemon in a storage halt instead
/// of ending a service: a full disk (or a database failover) is an ordinary
/// day for a spool daemon.
public enum StorageFailure {
    /// Why `error` is a storage failure, or nil when it is not one.
    public static func reason(for error: any Error) -> String? {
        if let explained = error as? any StoreErrorExplaining, let reason = explained.storageFailureReason { return reason }
        let code: Int32?
        if let posix = error as? POSIXError {
            code = posix.code.rawValue
        } else {
            let ns = error as NSError
            code = ns.domain == NSPOSIXErrorDomain ? Int32(ns.code) : (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil }
        }
        switch code {
        case ENOSPC?: return "disk full (ENOSPC)"
        case EDQUOT?: return "disk quota exceeded (EDQUOT)"
        case EROFS?: return "read-only filesystem (EROFS)"
        case EIO?: return "I/O error (EIO)"
        default: return nil
        }
    }
}
