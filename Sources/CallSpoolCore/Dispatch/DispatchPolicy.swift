import Foundation
import VoiceCallAPI

/// The rules of the result-code table (docs/result-codes.md) in one pure
/// value: given a refused request, its ticket and what the scheduler
/// remembers (push-backs in a row, whether the `Created` convention was
/// switched), it says what becomes of the job, which pause or halt starts,
/// whether the port limit comes down or a pool number is retired, and what
/// the scheduler remembers next.
///
/// It exists so the rules live in one place apart from the data: no store,
/// no actor, no clock of its own (`now` and the randomness for jitter are
/// passed in), tested against every code of the table (`DispatchPolicyTests`).
/// The ``DispatchPlanner`` records a decision through the store's
/// transaction and applies it to its copy of the ``SchedulerState``; the
/// ``Scheduler`` takes that state only after the commit.
struct DispatchPolicy {
    var settings: SchedulerSettings

    /// What decisions depend on and change, carried in ``SchedulerState``.
    struct Memory: Equatable {
        var portPushBacks = 0
        var flowPushBacks = 0
        /// Quota refusals in a row per scope (cleared by an accepted call there).
        var quotaPushBacks: [PauseScope: Int] = [:]
        var createdClockSwitched = false
    }

    struct PausePlan: Equatable {
        var scope: PauseScope
        var reason: String
        var code: String?
        var until: Date
    }

    struct HaltPlan: Equatable {
        var code: String
        var reason: String
    }

    struct Decision: Equatable {
        /// What the job becomes (recorded with the attempt).
        var fate: Disposition
        /// The class recorded with the attempt.
        var resultClass: String
        var pause: PausePlan?
        var halt: HaltPlan?
        /// The platform is short of ports: the learned limit comes down.
        var lowerPortLimit = false
        /// A pool display number is unusable: retire it (the job takes another).
        var retireDisplayNumber = false
        /// A clock-skew code with `created_clock = "auto"`: try the other convention once.
        var switchCreatedClock = false
        /// A halt's probe met passing trouble: the next probe waits `backoff.halt`.
        var reprobe = false
    }

    /// Codes that may mean the `Created` time was read in the wrong clock
    /// convention: 1010013 ("time out limit") and 1023006, whose causes the
    /// reference lists clock skew among.
    static let clockSkewCodes: Set<String> = ["1010013", "1023006"]

    func decide(
        _ rejection: CallRejection, ticket: DispatchTicket, memory: inout Memory, wasProbe: Bool, now: Date, random: inout AnyRandom
    ) -> Decision {
        let code = rejection.resultcode
        let description = rejection.explanation
        let lowered = rejection.idlePort == 0
        func requeue(_ at: Date, _ resultClass: String = "\(rejection.resultClass)") -> Decision {
            Decision(fate: .requeue(at: at), resultClass: resultClass, lowerPortLimit: lowered)
        }
        switch rejection.resultClass {
        case .ok:
            return Decision(fate: .unknown(reason: "success code under HTTP \(rejection.httpStatus)"), resultClass: "uncertain", lowerPortLimit: lowered)
        case .ports:
            let pause = Backoff.pause(floor: settings.backoff.ports, repeats: memory.portPushBacks, cap: .seconds(3600), using: &random)
            memory.portPushBacks += 1
            var decision = requeue(now)
            decision.lowerPortLimit = true
            decision.pause = PausePlan(
                scope: settings.scope(.ports), reason: "platform out of ports (until a call ends)", code: code,
                until: now.addingTimeInterval(pause.timeInterval))
            return decision
        case .flowControl:
            let pause = Backoff.pause(floor: settings.backoff.flow, repeats: memory.flowPushBacks, cap: .seconds(3600), using: &random)
            memory.flowPushBacks += 1
            let until = now.addingTimeInterval(pause.timeInterval)
            var decision = requeue(until)
            decision.pause = PausePlan(scope: settings.scope(.flow), reason: "platform flow control: \(description)", code: code, until: until)
            return decision
        case .frequency(let scope):
            switch scope {
            case .sp, .app:
                let until = now.addingTimeInterval(settings.backoff.flow.timeInterval)
                var decision = requeue(until)
                decision.pause = PausePlan(scope: settings.scope(.flow), reason: "\(scope.rawValue) call frequency limit: \(description)", code: code, until: until)
                return decision
            case .displayNumber:
                let until = now.addingTimeInterval(settings.backoff.flow.timeInterval)
                // A pool number is swapped for another at once; a job's own number waits.
                var decision = requeue(ticket.displayFromPool ? now : until)
                decision.pause = PausePlan(
                    scope: .displayNumber(ticket.displayNbr), reason: "display number frequency limit: \(description)", code: code, until: until)
                return decision
            case .callee:
                let until = now.addingTimeInterval(settings.backoff.callee.timeInterval)
                var decision = requeue(until)
                decision.pause = PausePlan(scope: .callee(ticket.calleeNbr), reason: "callee frequency limit: \(description)", code: code, until: until)
                return decision
            }
        case .quota(let scope):
            let pause = quotaPause(scope, code: code ?? "-", description: description, ticket: ticket, memory: &memory, now: now, random: &random)
            // A pool number is swapped for another at once; anything else waits out the pause.
            var decision = requeue(scope == .displayNumber && ticket.displayFromPool ? now : pause.until)
            decision.pause = pause
            return decision
        case .number:
            guard ticket.displayFromPool else {
                // The job named this number itself: only the job can be wrong.
                return Decision(fate: .fail(code: code ?? "-", description: description), resultClass: "job", lowerPortLimit: lowered)
            }
            var decision = requeue(now)
            decision.retireDisplayNumber = true
            return decision
        case .timeWindow:
            let opening = settings.defaults.window.nextOpening(after: now.addingTimeInterval(60))
            return requeue(max(opening, now.addingTimeInterval(1800)))
        case .transient:
            var decision = requeue(now.addingTimeInterval(settings.retry.delay(attempt: ticket.attempt - 1, using: &random).timeInterval))
            decision.reprobe = wasProbe
            return decision
        case .unknown:
            guard ticket.attempt < settings.unknownCodeTries else {
                return Decision(
                    fate: .fail(code: code ?? "http_\(rejection.httpStatus)", description: "\(description) (unknown code, \(ticket.attempt) tries)"),
                    resultClass: "unknown", lowerPortLimit: lowered)
            }
            return requeue(now.addingTimeInterval(settings.retry.delay(attempt: ticket.attempt - 1, using: &random).timeInterval))
        case .halt:
            var decision = requeue(now)
            // 1010013 is clock skew; the reference also names it as a cause of
            // 1023006. Either way the other Created convention gets one try.
            if let code, Self.clockSkewCodes.contains(code), settings.createdClock == .auto, !memory.createdClockSwitched {
                memory.createdClockSwitched = true
                decision.switchCreatedClock = true
                return decision
            }
            decision.halt = HaltPlan(code: code ?? "http_\(rejection.httpStatus)", reason: description)
            return decision
        case .job:
            return Decision(fate: .fail(code: code ?? "-", description: description), resultClass: "job", lowerPortLimit: lowered)
        }
    }

    /// The scope a quota code (1013001–1013003) limits: the SP and the
    /// application quotas stop the application's dispatch, a display
    /// number's only that number.
    func quotaScope(_ scope: FrequencyScope, ticket: DispatchTicket) -> PauseScope {
        switch scope {
        case .displayNumber: .displayNumber(ticket.displayNbr)
        case .callee: .callee(ticket.calleeNbr)
        case .sp, .app: settings.scope(.flow)
        }
    }

    /// A quota is likely daily, so retrying every `backoff.flow` all day is
    /// pointless: the pause starts at `backoff.flow` and doubles on each
    /// refusal in a row, up to `backoff.quota` (jitter included).
    func quotaPause(
        _ scope: FrequencyScope, code: String, description: String, ticket: DispatchTicket, memory: inout Memory, now: Date, random: inout AnyRandom
    ) -> PausePlan {
        let pauseScope = quotaScope(scope, ticket: ticket)
        let repeats = memory.quotaPushBacks[pauseScope, default: 0]
        memory.quotaPushBacks[pauseScope] = repeats + 1
        let ceiling = settings.backoff.quota
        let grown = Backoff.pause(floor: min(settings.backoff.flow, ceiling), repeats: repeats, cap: ceiling, using: &random)
        let pause = min(grown, ceiling)
        let subject = scope == .displayNumber ? "display number" : scope.rawValue
        return PausePlan(
            scope: pauseScope, reason: "\(subject) call quota used up: \(description) (refusal \(repeats + 1) in a row)", code: code,
            until: now.addingTimeInterval(pause.timeInterval))
    }
}
