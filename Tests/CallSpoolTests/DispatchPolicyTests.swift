@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// ``DispatchPolicy`` against every code of the result-code table
/// (docs/result-codes.md), without a store or an actor: for each code, the
/// job's fate, the pause or halt, the port limit and what is remembered.
@Suite struct DispatchPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func settings(app: String = "default") -> SchedulerSettings {
        let limits = Configuration.Limits(
            maxConcurrentCalls: 10, requestsPerSecond: 100, perDisplayNumberPerMinute: 60, perCalleeMax: 3,
            perCalleeWindow: .seconds(86_400), verifyReservedPorts: 0, callLease: .seconds(600))
        let backoff = Configuration.Backoff(ports: .seconds(60), flow: .seconds(60), callee: .seconds(3600), halt: .seconds(300), quota: .seconds(3600))
        let defaults = Configuration.Defaults(
            displayNumbers: ["+8675528000001"], verifyTTL: .seconds(300), notifyTTL: .seconds(86_400),
            window: CallingWindow(startMinute: 8 * 60, endMinute: 21 * 60, timeZone: "Asia/Shanghai"))
        var settings = SchedulerSettings(limits: limits, backoff: backoff, defaults: defaults, createdClock: .auto)
        settings.app = app
        return settings
    }

    static func ticket(attempt: Int = 1, fromPool: Bool = true) -> DispatchTicket {
        DispatchTicket(
            jobRowId: 7, jobId: "j", type: .notify, attempt: attempt, userData: "cs1.7.\(attempt)", calleeNbr: "+8613800000001",
            displayNbr: "+8675528000001", payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), expiresAt: now.addingTimeInterval(86_400),
            campaign: nil, displayFromPool: fromPool)
    }

    static func decide(
        _ entry: ResultCode, ticket: DispatchTicket = ticket(), memory: inout DispatchPolicy.Memory, wasProbe: Bool = false, app: String = "default"
    ) -> DispatchPolicy.Decision {
        var random = AnyRandom(SeededRandom(state: 11))
        let rejection = CallRejection(httpStatus: entry.httpStatus, resultcode: entry.code, resultdesc: entry.description)
        return DispatchPolicy(settings: settings(app: app)).decide(rejection, ticket: ticket, memory: &memory, wasProbe: wasProbe, now: now, random: &random)
    }

    static var refusals: [ResultCode] { ResultCode.table.filter { $0.resultClass != .ok || $0.httpStatus != 200 } }

    @Test(arguments: refusals)
    func everyCodeOfTheTableGetsItsClassRule(entry: ResultCode) throws {
        var memory = DispatchPolicy.Memory()
        let decision = Self.decide(entry, memory: &memory)
        let fromOwnNumber = Self.decide(entry, ticket: Self.ticket(fromPool: false), memory: &memory)
        switch entry.resultClass {
        case .ok:
            #expect(decision.fate == .unknown(reason: "success code under HTTP \(entry.httpStatus)"))
        case .ports:
            #expect(decision.fate == .requeue(at: Self.now))
            #expect(decision.lowerPortLimit)
            #expect(decision.pause?.scope == .ports)
            #expect(try #require(decision.pause?.until) >= Self.now.addingTimeInterval(60))
        case .flowControl:
            let pause = try #require(decision.pause)
            #expect(pause.scope == .flow)
            #expect(decision.fate == .requeue(at: pause.until), "the job waits out the pause")
        case .frequency(let scope):
            let pause = try #require(decision.pause)
            switch scope {
            case .sp, .app: #expect(pause.scope == .flow)
            case .displayNumber:
                #expect(pause.scope == .displayNumber("+8675528000001"))
                #expect(decision.fate == .requeue(at: Self.now), "a pool number is swapped at once")
                #expect(fromOwnNumber.fate == .requeue(at: try #require(fromOwnNumber.pause?.until)), "a job's own number waits")
            case .callee:
                #expect(pause.scope == .callee("+8613800000001"))
                #expect(pause.until == Self.now.addingTimeInterval(3600))
            }
        case .quota:
            #expect(decision.pause != nil)
            #expect(memory.quotaPushBacks.values.reduce(0, +) == 2, "both decisions counted")
        case .number:
            #expect(decision.fate == .requeue(at: Self.now) && decision.retireDisplayNumber)
            #expect(fromOwnNumber.fate == .fail(code: entry.code, description: entry.description) && !fromOwnNumber.retireDisplayNumber)
        case .timeWindow:
            guard case .requeue(let at) = decision.fate else { throw Failure("not requeued: \(decision.fate)") }
            #expect(at >= Self.now.addingTimeInterval(1800))
        case .transient:
            guard case .requeue(let at) = decision.fate else { throw Failure("not requeued: \(decision.fate)") }
            #expect(at >= Self.now && at <= Self.now.addingTimeInterval(2))
            #expect(decision.pause == nil && decision.halt == nil)
        case .halt:
            // Never burn the queue: the job waits, queued, for the halt's probe.
            #expect(decision.fate == .requeue(at: Self.now))
            if DispatchPolicy.clockSkewCodes.contains(entry.code) {
                #expect(decision.switchCreatedClock && decision.halt == nil, "the other Created convention gets one try first")
                #expect(fromOwnNumber.halt?.code == entry.code, "then it halts")
            } else {
                #expect(decision.halt == DispatchPolicy.HaltPlan(code: entry.code, reason: entry.description))
            }
        case .job:
            #expect(decision.fate == .fail(code: entry.code, description: entry.description))
            #expect(decision.resultClass == "job" && decision.pause == nil && decision.halt == nil)
        case .unknown:
            Issue.record("the table classifies every code: \(entry.code)")
        }
    }

    @Test func anApplicationsPausesAreItsOwn() throws {
        var memory = DispatchPolicy.Memory()
        let ports = try #require(ResultCode.lookup(httpStatus: 500, resultcode: "1020154"))
        let decision = Self.decide(ports, memory: &memory, app: "otp")
        #expect(decision.pause?.scope == .of(.ports, app: "otp"))
    }

    @Test func pushBacksInARowGrowThePauses() throws {
        var memory = DispatchPolicy.Memory()
        let ports = try #require(ResultCode.lookup(httpStatus: 500, resultcode: "1020154"))
        let first = Self.decide(ports, memory: &memory)
        let second = Self.decide(ports, memory: &memory)
        #expect(memory.portPushBacks == 2)
        #expect(second.pause!.until > first.pause!.until)
        let quota = try #require(ResultCode.table.first { if case .quota(.app) = $0.resultClass { true } else { false } })
        var pauses: [Date] = []
        for _ in 0..<8 { pauses.append(Self.decide(quota, memory: &memory).pause!.until) }
        #expect(pauses.last! <= Self.now.addingTimeInterval(3600), "capped at backoff.quota")
        #expect(pauses.last! > pauses.first!)
    }

    @Test func anUnknownCodeIsRetriedABoundedNumberOfTimesThenFails() {
        var memory = DispatchPolicy.Memory()
        var random = AnyRandom(SeededRandom(state: 3))
        let policy = DispatchPolicy(settings: Self.settings())
        let strange = CallRejection(httpStatus: 403, resultcode: "1999999", resultdesc: "strange")
        let early = policy.decide(strange, ticket: Self.ticket(attempt: 1), memory: &memory, wasProbe: false, now: Self.now, random: &random)
        let last = policy.decide(strange, ticket: Self.ticket(attempt: 3), memory: &memory, wasProbe: false, now: Self.now, random: &random)
        guard case .requeue = early.fate else {
            Issue.record("retried first: \(early.fate)")
            return
        }
        #expect(last.fate == .fail(code: "1999999", description: "strange (unknown code, 3 tries)"))
    }

    @Test func aTransientFailureOfAHaltProbeWaitsForTheNextProbe() throws {
        var memory = DispatchPolicy.Memory()
        let transient = try #require(ResultCode.table.first { $0.resultClass == .transient })
        #expect(Self.decide(transient, memory: &memory, wasProbe: true).reprobe)
        #expect(!Self.decide(transient, memory: &memory, wasProbe: false).reprobe)
    }

    @Test func anIdlePortOfZeroLowersTheLimitWhateverTheCode() {
        var memory = DispatchPolicy.Memory()
        var random = AnyRandom(SeededRandom(state: 3))
        let rejection = CallRejection(httpStatus: 403, resultcode: "1013004", resultdesc: "blacklisted", idlePort: 0)
        let decision = DispatchPolicy(settings: Self.settings()).decide(rejection, ticket: Self.ticket(), memory: &memory, wasProbe: false, now: Self.now, random: &random)
        #expect(decision.lowerPortLimit)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
