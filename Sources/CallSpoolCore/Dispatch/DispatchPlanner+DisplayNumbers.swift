import Foundation
import VoiceCallAPI

extension DispatchPlanner {
    /// Retires a pool display number the platform refused as unusable
    /// (1010023 not applied for, 1020151 invalid, 1013010 blacklisted,
    /// 1012001 not bound to the app): it is paused with the code, so the jobs
    /// that would have drawn it take another number instead of failing one
    /// after another. The retirement lasts `backoff.halt`, then the number is
    /// tried again (an operator may have fixed the account meanwhile). When no
    /// number of the pool is left, dispatch halts with the reason: every job
    /// stays queued, and the halt's probe tries again.
    mutating func retire(displayNumber number: String, code: String, description: String, now: Date, in tx: any DispatchTransaction) throws {
        let until = now.addingTimeInterval(settings.backoff.halt.timeInterval)
        try tx.setPause(
            .displayNumber(number), reason: "display number retired: \(description) (tried again after backoff.halt)",
            code: code, until: until, now: now)
        notes.append(.displayNumberRetired(code: code))
        log(.error, "display number refused by the platform; retired from the pool", [
            "displayNbr": "\(PhoneMask.mask(number))", "code": "\(code)", "reason": "\(description)", "until": "\(Timestamp.format(until))",
        ])
        let pool = settings.defaults.displayNumbers
        let pauses = try tx.activePauses(now: now)
        let left = pool.filter { pauses[.displayNumber($0)].map { !Scheduler.isRetirement($0) } ?? true }
        if left.isEmpty, state.halt == nil {
            try enterHalt(code: code, reason: "every display number of \(settings.app == Configuration.Application.legacyName ? "defaults.display_numbers" : "apps.\(settings.app).display_numbers") was refused by the platform (last: \(description)); fix the numbers or the application, then reload", now: now, in: tx)
        }
    }
}

extension Scheduler {
    /// Whether a display-number pause is a retirement (a number-class code),
    /// not a frequency or quota pause that ends by itself.
    static func isRetirement(_ pause: PauseRecord) -> Bool {
        guard let code = pause.code else { return false }
        return ResultCode.classify(httpStatus: 403, resultcode: code) == .number
    }
}
