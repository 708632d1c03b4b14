import CallSpoolCore
import Foundation

/// Tells a PostgreSQL outage — the server unreachable, shutting down, out
/// of disk or connections, a read-only standby where the writable endpoint
/// should be — from a refused statement or a broken invariant, so the daemon
/// treats it as it treats a full disk with SQLite: a storage halt (intake
/// and dispatch wait, pushes get 503, everything resumes by itself once a
/// probe write succeeds) instead of failed passes and ended services.
///
/// Decided by the error's type and case and by the server's SQLSTATE only,
/// never by message text.
enum PostgresOutage {
    /// Why `error` means the PostgreSQL store cannot take writes now, or nil.
    static func reason(for error: any Error) -> String? {
        switch error {
        case let store as PostgresStoreError:
            switch store {
            // A refusal while running (a rotated password) halts work until
            // it is fixed, as an outage does; at start-up the daemon tells
            // the two apart (``PostgresStoreError/passesWithTime``).
            case .timedOut, .cannotConnect, .connectionLost, .refused: return "PostgreSQL store unavailable: \(store.description)"
            case .badURL, .outdated, .newer, .notLeader: return nil
            }
        case let statement as PostgresStatementError:
            guard let condition = condition(sqlState: statement.sqlState) else { return nil }
            return "PostgreSQL store unavailable: \(condition) (SQLSTATE \(statement.sqlState))"
        default:
            return nil
        }
    }

    /// The outage a SQLSTATE names, or nil when it names none: class 53
    /// (insufficient resources: disk full, out of memory, too many
    /// connections), 57P01–57P03 (the server shutting down or not taking
    /// connections yet), class 08 (connection exceptions), 25006 (a
    /// read-only transaction: the endpoint is a standby) and 58030 (an I/O
    /// error on the server).
    static func condition(sqlState: String) -> String? {
        switch sqlState {
        case "53100": "the server's disk is full"
        case "53200": "the server is out of memory"
        case "53300": "the server has too many connections"
        case "57P01": "the server is shutting down (administrator command)"
        case "57P02": "the server is shutting down (crash of another session)"
        case "57P03": "the server does not take connections now (starting up or recovering)"
        case "25006": "the server takes no writes (a read-only standby?)"
        case "58030": "I/O error on the server"
        default:
            switch sqlState.prefix(2) {
            case "53": "the server lacks resources"
            case "08": "the connection failed"
            default: nil
            }
        }
    }
}

extension PostgresStoreError {
    /// Whether waiting can cure the error: the server is down, restarting,
    /// unreachable or silent. A refusal, a bad URL or a schema of another
    /// version stay what they are until someone changes something.
    public var passesWithTime: Bool {
        switch self {
        case .timedOut, .cannotConnect, .connectionLost: true
        case .refused, .badURL, .outdated, .newer, .notLeader: false
        }
    }
}
