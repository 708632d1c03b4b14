import Foundation
import VoiceCallAPI

/// How one call ended, as stored on its job: the outcome plus the platform's
/// code and text, whether learnt from a `disconnect` event or from a fee CDR.
public struct CallEnding: Sendable, Hashable {
    public var outcome: Outcome
    public var stateCode: Int?
    public var stateDesc: String?

    public init(outcome: Outcome, stateCode: Int?, stateDesc: String?) {
        self.outcome = outcome
        self.stateCode = stateCode
        self.stateDesc = stateDesc
    }

    /// A `disconnect` event: the outcome of its `stateCode` (appendix 7.1).
    ///
    /// `stateCode` is optional in the reference. Without it the event's other
    /// fields are asked: `stateDesc` is "the description of the cause code",
    /// so a description that starts with a documented code ("8101 …") or is
    /// the reference's own text for code 0 ("The user releases the call.")
    /// tells the outcome. `partyType` (who hung up) does not: a callee can
    /// hang up while it rings as well as after answering. When nothing tells,
    /// nil: the outcome is left to the fee CDR (the port is freed anyway).
    public static func disconnect(stateCode: Int?, stateDesc: String?) -> CallEnding? {
        if let stateCode {
            return CallEnding(outcome: Outcome(stateCode: stateCode), stateCode: stateCode, stateDesc: stateDesc)
        }
        guard let code = describedStateCode(stateDesc) else { return nil }
        return CallEnding(outcome: Outcome(stateCode: code), stateCode: code, stateDesc: stateDesc)
    }

    /// The hang-up cause a `stateDesc` names, when it names one plainly.
    static func describedStateCode(_ description: String?) -> Int? {
        guard let text = description?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        let lowered = text.lowercased()
        if lowered == "the user releases the call." || lowered == "the user releases the call" || text == "接通后主动挂机" {
            return 0
        }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let code = Int(digits), documentedStateCodes.contains(code) else { return nil }
        // "8101 callee did not answer" names a code; "8101abc" does not.
        if let next = text.dropFirst(digits.count).first, next.isLetter { return nil }
        return code
    }

    /// Every hang-up cause code of appendix 7.1 (and the same range in 7.3).
    public static let documentedStateCodes: Set<Int> = [
        0, 7001, 7002, 7003, 7004, 7108, 7109,
        8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007, 8008, 8009, 8010, 8011, 8012, 8015, 8017, 8018, 8020,
        8100, 8101, 8102, 8103, 8104, 8105, 8106, 8107, 8108, 8109, 8110, 8111,
    ]

    /// A fee CDR standing in for a lost `disconnect`. In order:
    ///
    /// 1. `callOutAnswerTime` set → `answered` (stateCode 0).
    /// 2. `ulFailReason` that is an appendix-7.1 hang-up code (7001–7109,
    ///    8000–8111; the teardown table reuses them) → as a disconnect with it.
    /// 3. `ulFailReason` 522 (voice ports exhausted) → `throttled`, reported as
    ///    stateCode 7109 so the dispatcher shrinks its port limit.
    /// 4. `callOutUnaswRsn`, a Q.850 cause (appendix 7.2): 17 → `busy`;
    ///    16, 18, 19, 102 → `no_answer`; 20 → `powered_off`; 21 → `rejected`;
    ///    1, 22, 28 (no such / changed / invalid number) and 2, 3, 27, 34, 38,
    ///    41, 42, 44, 47 (no route, network trouble) → `unreachable`; other
    ///    non-zero causes → `error`.
    /// 5. `ulFailReason` teardown points (appendix 7.3): 100 (no key pressed
    ///    after the prompt: the person answered) → `answered`; 513, 514 (timeouts),
    ///    552 → `no_answer`; 515 (callee cancelled) → `rejected`; 521 (dropped
    ///    before ringing) → `unreachable`; and the SIP codes the platform puts
    ///    there when no Q.850 came back: 486, 600 → `busy`; 408, 487 →
    ///    `no_answer`; 404, 410, 480, 484 → `unreachable`; 603 → `rejected`.
    /// 6. Otherwise `no_answer`: the call was placed and nobody answered.
    ///
    /// `stateCode` is kept only for appendix-7.1 codes (the disconnect
    /// vocabulary); `stateDesc` records which CDR fields decided.
    public static func feeRecord(_ record: FeeRecord) -> CallEnding {
        let fields = "ulFailReason=\(record.ulFailReason.map(String.init) ?? "-") callOutUnaswRsn=\(record.callOutUnaswRsn.map(String.init) ?? "-")"
        if record.wasAnswered {
            return CallEnding(outcome: .answered, stateCode: 0, stateDesc: "answered (from fee CDR)")
        }
        let fail = record.ulFailReason ?? 0
        if (7001...7109).contains(fail) || (8000...8111).contains(fail) {
            return CallEnding(outcome: Outcome(stateCode: fail), stateCode: fail, stateDesc: "from fee CDR: \(fields)")
        }
        if fail == 522 {
            return CallEnding(outcome: .throttled, stateCode: 7109, stateDesc: "voice ports exhausted (from fee CDR: \(fields))")
        }
        if let cause = record.callOutUnaswRsn, cause != 0 {
            return CallEnding(outcome: q850Outcome(cause), stateCode: nil, stateDesc: "from fee CDR: \(fields)")
        }
        if let outcome = teardownOutcome(fail) {
            return CallEnding(outcome: outcome, stateCode: nil, stateDesc: "from fee CDR: \(fields)")
        }
        return CallEnding(outcome: .noAnswer, stateCode: nil, stateDesc: "not answered (from fee CDR: \(fields))")
    }

    static func q850Outcome(_ cause: Int) -> Outcome {
        switch cause {
        case 17: .busy
        case 16, 18, 19, 102: .noAnswer
        case 20: .poweredOff
        case 21: .rejected
        case 1, 22, 28, 2, 3, 27, 34, 38, 41, 42, 44, 47: .unreachable
        default: .error
        }
    }

    static func teardownOutcome(_ point: Int) -> Outcome? {
        switch point {
        case 100: .answered  // answered, but no key pressed within 5 s of the prompt
        case 513, 514, 552, 408, 487: .noAnswer
        case 515, 603: .rejected
        case 521, 404, 410, 480, 484: .unreachable
        case 486, 600: .busy
        default: nil
        }
    }
}
