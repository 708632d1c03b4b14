/// Which clock the `Created` field of `X-AKSK` is written in.
///
/// The reference says UTC+8 (Beijing time) with a misleading `Z` suffix; its
/// Node.js sample sends real UTC. Both are seen in the wild, so callspool makes
/// it configurable (`platform.created_clock`) and accepts both on callbacks.
public enum CreatedClock: String, Sendable, CaseIterable, Codable {
    case utc = "utc"
    case utcPlus8 = "utc+8"

    /// Seconds added to real UTC before formatting.
    public var offsetSeconds: Int64 {
        switch self {
        case .utc: 0
        case .utcPlus8: 8 * 3600
        }
    }

    /// The other convention (what `auto` switches to on 1010013).
    public var other: CreatedClock { self == .utc ? .utcPlus8 : .utc }
}
