import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import VoiceCallAPI
@testable import VoiceCallSimulator

@Suite struct ValidationTests {
    let harness = SimulatorHarness(scenario: SimulatorScenario(templates: ["t1": [5], "t2": [2, 2]]))

    func send(_ body: ByteBuffer, path: String = CallNotifyRequest.path) async throws -> (Int, String) {
        let headers = harness.signedHeaders()
        return try await harness.simulator.makeApplication().test(.router) { client in
            let answer = try await client.call(path, headers: headers, body: body)
            return (answer.status, answer.response.resultcode)
        }
    }

    func send(_ request: CallNotifyRequest) async throws -> (Int, String) {
        try await send(SimulatorHarness.encode(request))
    }

    @Test func notJSONOrMissingFieldsIsInvalidRequest() async throws {
        #expect(try await send(ByteBuffer(string: "{not json")) == (403, "1010002"))
        #expect(try await send(ByteBuffer(string: #"{"displayNbr":"+8675528000088"}"#)) == (403, "1010002"))
    }

    @Test func templateWithoutParametersIsInvalidRequest() async throws {
        var request = SimulatorHarness.notifyBody()
        request.playInfoList = [PlayContentInfo(templateId: "t1")]
        #expect(try await send(request) == (403, "1010002"))
    }

    @Test func brokenFieldRulesAreParameterErrors() async throws {
        #expect(try await send(SimulatorHarness.notifyBody(callee: "13800000001")) == (500, "1020001"))
        var tooMany = SimulatorHarness.notifyBody()
        tooMany.playInfoList = Array(repeating: PlayContentInfo(notifyVoice: "a.wav"), count: 6)
        #expect(try await send(tooMany) == (500, "1020001"))
        var braces = SimulatorHarness.notifyBody()
        braces.userData = "{x}"
        #expect(try await send(braces) == (500, "1020001"))
        var badURL = SimulatorHarness.notifyBody()
        badURL.statusUrl = Data("http://host/cb?x=1".utf8).base64EncodedString()
        #expect(try await send(badURL) == (500, "1020001"))
    }

    @Test func unknownDisplayNumber() async throws {
        #expect(try await send(SimulatorHarness.notifyBody(display: "+8675500000000")) == (403, "1010023"))
    }

    @Test func templateParametersMustFitTheTemplate() async throws {
        var tooLong = SimulatorHarness.notifyBody()
        tooLong.playInfoList = [PlayContentInfo(templateId: "t1", templateParas: ["123456"])]
        #expect(try await send(tooLong) == (403, "1012005"))
        var wrongCount = SimulatorHarness.notifyBody()
        wrongCount.playInfoList = [PlayContentInfo(templateId: "t2", templateParas: ["1"])]
        #expect(try await send(wrongCount) == (403, "1012005"))
        var unknown = SimulatorHarness.notifyBody()
        unknown.playInfoList = [PlayContentInfo(templateId: "nope", templateParas: ["1"])]
        #expect(try await send(unknown) == (403, "1012005"))
        var fits = SimulatorHarness.notifyBody()
        fits.playInfoList = [PlayContentInfo(templateId: "t2", templateParas: ["12", "3"])]
        #expect(try await send(fits) == (200, "0"))
    }

    @Test func verifyBodies() async throws {
        let good = CallVerifyRequest(
            displayNbr: SimulatorHarness.display, calleeNbr: SimulatorHarness.callee, preTone: "pre.wav", verifyCode: "4821")
        #expect(try await send(SimulatorHarness.encode(good), path: CallVerifyRequest.path) == (200, "0"))
        var letters = good
        letters.verifyCode = "12ab"
        #expect(try await send(SimulatorHarness.encode(letters), path: CallVerifyRequest.path) == (500, "1020001"))
    }
}
