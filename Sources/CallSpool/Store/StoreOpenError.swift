/// Why a command could not open the store: told apart from SQLite's own
/// errors so the CLI can name the path and say what to do.
public enum StoreOpenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No store file at the path (read-only commands never create one).
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let path):
            "no store at \(path): check store.path in the configuration (or --config); the daemon creates it on its first start"
        }
    }
}
