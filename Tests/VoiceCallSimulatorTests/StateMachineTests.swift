import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

@Suite struct StateMachineTests {
    func call(_ script: CallScript, kind: IncomingCall.Kind = .notify(collect: [1, 2], ttsPrompts: 2)) -> SimulatedCall {
        SimulatedCall(
            sessionId: "S1",
            incoming: IncomingCall(
                kind: kind, displayNbr: "+8675528000088", calleeNbr: "+8613800000001", userData: "cs1.a.1",
                statusURL: "http://127.0.0.1:1/s", feeURL: "http://127.0.0.1:1/f", returnIdlePort: true),
            script: script, acceptedAt: 1_795_000_000, appKey: "k", spId: "sp", icid: "CAE-1")
    }

    func kinds(_ steps: [PlaybackStep]) -> [String] {
        steps.map { step in
            switch step.action {
            case .status(let type, _): type.rawValue
            case .releasePort: "release"
            case .fee: "fee"
            }
        }
    }

    @Test func answeredCallWithDigits() {
        var playback = SimulatedCall.Playback(call: call(CallScript(
            outcome: .answer, calloutSeconds: 1, ringSeconds: 3, talkSeconds: 9, digits: ["1", "23"], feeDelaySeconds: 2)))
        let steps = playback.drain()
        #expect(kinds(steps) == ["callout", "alerting", "answer", "collectInfo", "collectInfo", "release", "disconnect", "fee"])
        #expect(steps.map(\.at) == [0, 1, 4, 7, 10, 13, 13, 15])
        #expect(playback.phase == .billed)
        guard case .status(_, let collect) = steps[3].action, case .status(_, let hangup) = steps[6].action,
            case .status(_, let callout) = steps[0].action, case .fee(let cdr) = steps[7].action
        else {
            Issue.record("unexpected step kinds")
            return
        }
        #expect(collect.digitInfo == "1")
        #expect(collect.userData == nil)
        #expect(collect.caller == nil)
        #expect(callout.userData == "cs1.a.1")
        #expect(callout.caller == "+8675528000088")
        #expect(hangup.stateCode == 0)
        #expect(hangup.userData == "cs1.a.1")
        #expect(cdr.dynIVRPath == "1-23")
        #expect(cdr.callOutAnswerTime == "2026-11-18 11:06:44")
        #expect(cdr.callOutStartTime == "2026-11-18 11:06:40")
        #expect(cdr.callEndTime == "2026-11-18 11:06:53")
        #expect(cdr.failTime == nil)
        #expect(cdr.ttsPlayTimes == 2)
        #expect(cdr.userData == "cs1.a.1")
    }

    @Test(arguments: [
        (CallOutcome.noAnswer, ["callout", "alerting", "release", "disconnect", "fee"], 8101),
        (.reject, ["callout", "alerting", "release", "disconnect", "fee"], 8004),
        (.busy, ["callout", "release", "disconnect", "fee"], 8102),
        (.poweredOff, ["callout", "release", "disconnect", "fee"], 8104),
    ])
    func unansweredCalls(outcome: CallOutcome, expected: [String], code: Int) {
        var playback = SimulatedCall.Playback(call: call(CallScript(outcome: outcome, digits: ["5"])))
        let steps = playback.drain()
        #expect(kinds(steps) == expected)
        guard case .fee(let cdr) = steps.last?.action else {
            Issue.record("no fee")
            return
        }
        #expect(cdr.callOutAnswerTime == nil)
        #expect(cdr.dynIVRPath == nil)
        #expect(cdr.ulFailReason == code)
        #expect(cdr.failTime != nil)
    }

    @Test func forcedStateCodeAndDroppedDisconnect() {
        var throttled = SimulatedCall.Playback(call: call(CallScript(outcome: .answer, digits: ["1"], disconnectStateCode: 7109)))
        let steps = throttled.drain()
        #expect(kinds(steps) == ["callout", "release", "disconnect", "fee"])
        if case .status(_, let info) = steps[1].action { #expect(info.stateCode == 7109) }
        var dropped = SimulatedCall.Playback(call: call(CallScript(outcome: .busy, dropDisconnect: true)))
        #expect(kinds(dropped.drain()) == ["callout", "release", "fee"])
    }

    @Test func verifyCallsCollectNothingAndEmptyDigitsAreSkipped() {
        var verify = SimulatedCall.Playback(call: call(CallScript(outcome: .answer, digits: ["1"]), kind: .verify(times: 2)))
        #expect(kinds(verify.drain()) == ["callout", "alerting", "answer", "release", "disconnect", "fee"])
        var silent = SimulatedCall.Playback(call: call(CallScript(outcome: .answer, digits: ["", "7"])))
        let steps = silent.drain()
        #expect(kinds(steps).filter { $0 == "collectInfo" }.count == 1)
        if case .fee(let cdr) = steps.last?.action { #expect(cdr.dynIVRPath == "7") }
    }

    @Test func resolverIsDeterministicForASeed() {
        let profile = CalleeProfile(outcome: .weighted([.answer: 1, .busy: 1]), ringSeconds: .uniform(min: 1, max: 9))
        let timing = PlaybackTiming().resolved
        var first = SeededRandom(seed: 7)
        var second = SeededRandom(seed: 7)
        let a = (0..<20).map { _ in CallScriptResolver.resolve(profile: profile, kind: .notify(collect: [3], ttsPrompts: 1), timing: timing, random: &first) }
        let b = (0..<20).map { _ in CallScriptResolver.resolve(profile: profile, kind: .notify(collect: [3], ttsPrompts: 1), timing: timing, random: &second) }
        #expect(a == b)
        #expect(Set(a.map(\.outcome)) == [.answer, .busy])
        #expect(a.allSatisfy { $0.digits.count == 1 && $0.digits[0].count == 3 })
    }
}
