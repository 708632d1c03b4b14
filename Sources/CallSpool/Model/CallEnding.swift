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

    /// A `disconnect` event: the outcome of its `stateCode` (appendix 7.1). A
    /// disconnect without a code is an `error`.
    public static func disconnect(stateCode: Int?, stateDesc: String?) -> CallEnding {
        CallEnding(outcome: stateCode.map(Outcome.init(stateCode:)) ?? .error, stateCode: stateCode, stateDesc: stateDesc)
    }

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
    /// 5. `ulFailReason` teardown points (appendix 7.3): 513, 514 (timeouts),
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
        case 513, 514, 552, 408, 487: .noAnswer
        case 515, 603: .rejected
        case 521, 404, 410, 480, 484: .unreachable
        case 486, 600: .busy
        default: nil
        }
    }
}
