import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

/// The simulator reads request bodies the way the platform does: it knows
/// `posTone` and `collectContentTriggerReplaying` (and records them in its
/// inspection log), while the reference's typos are unknown keys it ignores,
/// so a value sent under one is lost.
@Suite struct FieldNameTests {
    let harness = SimulatorHarness()

    /// Sends `body` to `path`; returns the status, result code and the request's inspection record.
    func send(_ body: String, path: String) async throws -> (Int, String, SimulatorSnapshot.RequestRecord?) {
        let headers = harness.signedHeaders()
        let (status, code) = try await harness.simulator.makeApplication().test(.router) { client in
            let answer = try await client.call(path, headers: headers, body: ByteBuffer(string: body))
            return (answer.status, answer.response.resultcode)
        }
        return (status, code, await harness.simulator.snapshot().requests.last)
    }

    static let verifyStart = #"{"displayNbr":"+8675528000088","calleeNbr":"+8613800000001","languageType":2,"preTone":"pre.wav","verifyCode":"4829""#

    static func notify(_ prompt: String) -> String {
        #"{"displayNbr":"+8675528000088","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"},{"notifyVoice":"press_1.wav","collectInd":1,\#(prompt)}]}"#
    }

    @Test func posToneIsRecorded() async throws {
        let (status, code, record) = try await send(Self.verifyStart + #","posTone":"post.wav"}"#, path: CallVerifyRequest.path)
        #expect(status == 200 && code == "0")
        #expect(record?.posTone == "post.wav")
    }

    @Test func postOneIsIgnoredAndTheToneLost() async throws {
        let (status, code, record) = try await send(Self.verifyStart + #","postOne":"post.wav"}"#, path: CallVerifyRequest.path)
        #expect(status == 200 && code == "0")
        #expect(record?.api == "callVerify")
        #expect(record?.posTone == nil)
    }

    @Test func collectContentTriggerReplayingIsRecorded() async throws {
        let (status, code, record) = try await send(
            Self.notify(#""replayAfterCollection":"true","collectContentTriggerReplaying":"9""#), path: CallNotifyRequest.path)
        #expect(status == 200 && code == "0")
        #expect(record?.collectContentTriggerReplaying == [nil, "9"])
    }

    /// The platform's rule "a trigger only with replayAfterCollection true"
    /// applies to the real name.
    @Test func triggerWithoutReplayIsAParameterError() async throws {
        let (status, code, _) = try await send(
            Self.notify(#""replayAfterCollection":"false","collectContentTriggerReplaying":"9""#), path: CallNotifyRequest.path)
        #expect(status == 500 && code == "1020001")
    }

    /// The misspelling is not read at all: the same body is accepted (the rule
    /// above never sees a trigger) and no trigger is recorded.
    @Test func collectContentTriggerReplacingIsIgnored() async throws {
        let (status, code, record) = try await send(
            Self.notify(#""replayAfterCollection":"false","collectContentTriggerReplacing":"9""#), path: CallNotifyRequest.path)
        #expect(status == 200 && code == "0")
        #expect(record?.collectContentTriggerReplaying == [nil, nil])
    }
}
