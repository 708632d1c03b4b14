/// How a simulated call ends, with the codes the platform reports for it:
/// the disconnect `stateCode` (appendix 7.1), the CDR's Q.850 cause
/// (`callOutUnaswRsn`) and SIP status.
public enum CallOutcome: String, Codable, Sendable, CaseIterable {
    case answer, noAnswer, busy, poweredOff, reject, unreachable, notExist
    /// Answered, but no key pressed within 5 s after the prompt: the platform
    /// hangs up with stateCode 8008 and sends no collectInfo.
    case answerNoKey

    /// Whether the callee's phone rings before the call ends.
    var rings: Bool { self == .answer || self == .answerNoKey || self == .noAnswer || self == .reject }

    /// Whether the callee picks up.
    var answers: Bool { self == .answer || self == .answerNoKey }

    var stateCode: Int {
        switch self {
        case .answer: 0
        case .answerNoKey: 8008
        case .noAnswer: 8101
        case .busy: 8102
        case .poweredOff: 8104
        case .reject: 8004
        case .unreachable: 8103
        case .notExist: 8100
        }
    }

    var q850: Int {
        switch self {
        case .answer, .answerNoKey: 0
        case .noAnswer: 19
        case .busy: 17
        case .poweredOff: 20
        case .reject: 21
        case .unreachable: 41
        case .notExist: 1
        }
    }

    var sipStatus: Int {
        switch self {
        case .answer, .answerNoKey: 0
        case .noAnswer: 480
        case .busy: 486
        case .poweredOff: 480
        case .reject: 603
        case .unreachable: 503
        case .notExist: 404
        }
    }

    /// The `stateDesc` of a disconnect with `code`.
    static func stateDescription(_ code: Int) -> String {
        switch code {
        case 0: "The user releases the call."
        case 7001: "SP call frequency control."
        case 7002: "App call frequency control."
        case 7003: "Display number frequency control."
        case 7109: "Insufficient voice ports."
        case 8004: "The user hangs up while ringing."
        case 8008: "No key pressed after the prompt."
        case 8100: "The callee does not exist."
        case 8101: "The callee does not answer."
        case 8102: "The callee is busy."
        case 8103: "The callee is unreachable."
        case 8104: "The callee is powered off."
        default: "Call released (\(code))."
        }
    }
}
