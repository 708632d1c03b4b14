/// Why a command could not open the store: told apart from SQLite's own
/// errors so the CLI can name the path and say what to do.
public enum StoreOpenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No store file at the path (read-only commands never create one).
    case missing(String)
    /// A store written by an older callspool, opened read-only: the daemon
    /// of this version upgrades it when it starts.
    case outdated(String)

    public var description: String {
        switch self {
        case .missing(let path):
            "no store at \(path): check store.path in the configuration (or --config); the daemon creates it on its first start"
        case .outdated(let path):
            "the store at \(path) was written by an older callspool: start the daemon of this version once (it upgrades the store), then try again"
        }
    }
}
