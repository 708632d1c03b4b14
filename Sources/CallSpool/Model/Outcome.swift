/// How a placed call ended (DESIGN §4, contract names).
public enum Outcome: String, Codable, Sendable, CaseIterable {
    case answered
    case noAnswer = "no_answer"
    case busy
    case unreachable
    case poweredOff = "powered_off"
    case rejected
    /// The platform refused after accepting (7001–7003, 7109): requeued, not final.
    case throttled
    case error

    /// The outcome of a disconnect `stateCode` (appendix 7.1).
    public init(stateCode: Int) {
        switch stateCode {
        case 0: self = .answered
        case 8101, 8003: self = .noAnswer
        case 8102: self = .busy
        case 8100, 8103, 8105: self = .unreachable
        case 8104: self = .poweredOff
        case 8004, 8009: self = .rejected
        case 7001, 7002, 7003, 7109: self = .throttled
        default: self = .error
        }
    }

    /// Outcomes a redial policy may name.
    public static let redialable: [Outcome] = [.noAnswer, .busy, .unreachable, .poweredOff, .rejected, .error]
}
