import Foundation

/// What the guard says about a job just before it would be called.
enum GuardVerdict: Equatable {
    case go
    /// Not now: try again at `until` (a notify job over the daily cap).
    case wait(until: Date, reason: String)
    /// Never: the job ends in `state` with this error (a suppressed callee
    /// is `canceled`, a verify job over a limit `failed` at once: a login
    /// code that cannot go out within seconds is useless).
    case refuse(state: JobState, code: String, description: String, limit: String)
}

extension DispatchPlanner {
    /// The error code of a job kept from a suppressed callee.
    static let suppressedCode = "suppressed"
    /// The error code of a verify job the guard's limits stopped.
    static let rateLimitedCode = "rate_limited"

    /// The guard's checks, in order: the suppression list (notify jobs,
    /// and verify jobs when `suppress_verify`), the verification-code limits
    /// per callee and per prefix, then the application's daily cap. Counts
    /// come from the attempts in the store, so they survive restarts and
    /// are the same for every instance of a shared store.
    ///
    /// - Parameter listed: the suppression entries of the page's callees, by number.
    mutating func guardVerdict(for job: JobRecord, listed: [String: [SuppressionRecord]], now: Date, in tx: any DispatchTransaction) throws -> GuardVerdict {
        let rules = settings.callGuard
        if job.type == .notify || rules.suppressVerify, let entry = listed[job.calleeNbr]?.first(where: { $0.applies(toCampaign: job.campaign) }) {
            return .refuse(
                state: .canceled, code: Self.suppressedCode, description: "not called: the callee \(SuppressionNotes.note(entry))", limit: "suppressed")
        }
        if job.type == .verify {
            if let limit = rules.verifyPerCallee {
                let calls = try tx.verifyCalls(toCallee: job.calleeNbr, since: now.addingTimeInterval(-limit.window.timeInterval))
                if calls >= limit.count {
                    return .refuse(
                        state: .failed, code: Self.rateLimitedCode,
                        description: "not called: \(calls) verification calls to this number in the last \(DurationText.format(limit.window)) ([guard] verify_per_callee = \"\(limit)\")",
                        limit: "verify_per_callee")
                }
            }
            if let limit = rules.verifyPerPrefix {
                let prefix = CalleeNumber.prefix(of: job.calleeNbr, length: rules.prefixLength)
                let calls = try tx.verifyCalls(toPrefix: prefix, since: now.addingTimeInterval(-limit.window.timeInterval))
                if calls >= limit.count {
                    return .refuse(
                        state: .failed, code: Self.rateLimitedCode,
                        description: "not called: \(calls) verification calls to numbers starting \(prefix) in the last \(DurationText.format(limit.window)) ([guard] verify_per_prefix = \"\(limit)\")",
                        limit: "verify_per_prefix")
                }
            }
        }
        if rules.maxCallsPerDay > 0 {
            let day = CallingDay(containing: now, timeZone: settings.dayTimeZone)
            if state.dailyCalls?.dayStart != day.start {
                state.dailyCalls = (day.start, try tx.calls(ofApplication: settings.app, since: day.start))
            }
            let placed = state.dailyCalls?.count ?? 0
            if placed >= rules.maxCallsPerDay {
                let reason = "application \(settings.app) placed \(placed) calls today ([guard] max_calls_per_day = \(rules.maxCallsPerDay))"
                guard job.type == .notify else {
                    return .refuse(state: .failed, code: Self.rateLimitedCode, description: "not called: " + reason, limit: "max_calls_per_day")
                }
                return .wait(until: day.end, reason: reason)
            }
        }
        return .go
    }

    /// The suppression entries of the callees of `page` the guard checks, by number: one read per page.
    func listedCallees(of page: [JobRecord], in tx: any DispatchTransaction) throws -> [String: [SuppressionRecord]] {
        let numbers = Set(page.lazy.filter { $0.type == .notify || settings.callGuard.suppressVerify }.map(\.calleeNbr))
        guard !numbers.isEmpty else { return [:] }
        return Dictionary(grouping: try tx.suppressions(of: numbers.sorted()), by: \.number)
    }

    /// A call was begun: the daily count follows without another read.
    mutating func countDailyCall() {
        if let calls = state.dailyCalls { state.dailyCalls = (calls.dayStart, calls.count + 1) }
    }
}

/// A calendar day in a time zone: where the daily cap starts counting and
/// when a notify job over it may go again.
struct CallingDay: Equatable {
    var start: Date
    var end: Date

    init(containing date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        start = calendar.startOfDay(for: date)
        end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
    }
}
