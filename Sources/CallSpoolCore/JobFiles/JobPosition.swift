/// Where a job sits in its file: the only job, an index of a campaign's
/// `jobs` array (from 0), or a line of a `.jsonl` file (from 1).
public enum JobPosition: Sendable, Hashable, CustomStringConvertible {
    case single
    case index(Int)
    case line(Int)

    public var description: String {
        switch self {
        case .single: "job"
        case .index(let index): "jobs[\(index)]"
        case .line(let line): "line \(line)"
        }
    }
}
