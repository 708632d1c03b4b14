import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
/// One line of `callspool check`: what was checked, how it went, and what
/// to do about it. A ``Status/problem`` makes the check (and a unit's
/// `ExecStartPre=`) fail; a ``Status/warning`` is printed but passes.
public struct CheckItem: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case ok
        case warning
        case problem
    }

    /// `config`, `secret`, `spool`, `store`, `results`, `callbacks`, `display_numbers`, `clock`.
    public var name: String
    public var status: Status
    public var message: String

    public init(_ name: String, _ status: Status, _ message: String) {
        self.name = name
        self.status = status
        self.message = message
    }
}
