import Foundation
import Testing
import VoiceCallAPI

/// The request bodies use the field names the platform reads (Huawei's Java
/// SDK `CallVerifyReq` / `PlayContentInfo`), not the reference table's typos
/// `postOne` and `collectContentTriggerReplacing`.
@Suite struct WireFieldNameTests {
    /// The top-level keys of an encoded value.
    static func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func callVerifyBodySendsPosTone() throws {
        let request = CallVerifyRequest(
            displayNbr: "+8675528000088", calleeNbr: "+8613800000001", preTone: "otp_pre.wav", verifyCode: "4829",
            posTone: "otp_post.wav")
        let body = try Self.object(request)
        #expect(body["posTone"] as? String == "otp_post.wav")
        #expect(body["postOne"] == nil)
    }

    @Test func callnotifyPromptSendsCollectContentTriggerReplaying() throws {
        let request = CallNotifyRequest(
            displayNbr: "+8675528000088", calleeNbr: "+8613800000001",
            playInfoList: [PlayContentInfo(notifyVoice: "press_1.wav", collectInd: 1, replayAfterCollection: "true", collectContentTriggerReplaying: "9")])
        let body = try Self.object(request)
        let prompts = try #require(body["playInfoList"] as? [[String: Any]])
        #expect(prompts.first?["collectContentTriggerReplaying"] as? String == "9")
        #expect(prompts.first?["collectContentTriggerReplacing"] == nil)
        // replayAfterCollection is a string on the wire, as the reference types it.
        #expect(prompts.first?["replayAfterCollection"] as? String == "true")
    }

    /// The wire models read only the platform's names, like the platform: a
    /// body using a typo does not carry the value (the simulator relies on this).
    @Test func misspelledKeysAreNotReadByTheWireModels() throws {
        let verify = #"{"displayNbr":"+8675528000088","calleeNbr":"+8613800000001","languageType":2,"preTone":"p.wav","verifyCode":"4829","postOne":"post.wav"}"#
        #expect(try JSONDecoder().decode(CallVerifyRequest.self, from: Data(verify.utf8)).posTone == nil)
        let prompt = #"{"notifyVoice":"a.wav","collectInd":1,"replayAfterCollection":"true","collectContentTriggerReplacing":"9"}"#
        #expect(try JSONDecoder().decode(PlayContentInfo.self, from: Data(prompt.utf8)).collectContentTriggerReplaying == nil)
        let right = #"{"notifyVoice":"a.wav","collectInd":1,"replayAfterCollection":"true","collectContentTriggerReplaying":"9"}"#
        #expect(try JSONDecoder().decode(PlayContentInfo.self, from: Data(right.utf8)).collectContentTriggerReplaying == "9")
    }

    @Test func posToneIsValidatedUnderItsName() {
        var request = CallVerifyRequest(
            displayNbr: "+8675528000088", calleeNbr: "+8613800000001", preTone: "p.wav", verifyCode: "4829")
        request.posTone = ""
        #expect(request.validationIssues().fields == ["posTone"])
    }
}
