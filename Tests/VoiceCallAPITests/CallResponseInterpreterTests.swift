import Foundation
import Testing
import VoiceCallAPI

/// HTTP status + body → CallAttemptResult (pure).
@Suite struct CallResponseInterpreterTests {
    static func interpret(_ status: Int, _ body: String) -> CallAttemptResult {
        CallResponseInterpreter.interpret(httpStatus: status, body: Array(body.utf8))
    }

    static func rejection(_ result: CallAttemptResult) -> CallRejection? {
        if case .rejected(let rejection) = result { return rejection }
        return nil
    }

    @Test func theReferenceResponseIsAccepted() {
        let result = Self.interpret(200, ReferencePayloads.callResponse)
        #expect(
            result
                == .accepted(
                    .init(
                        sessionId: "1200_366_0_20161228102743@callenabler.home1.com", idlePort: nil, httpStatus: 200,
                        resultdesc: "Success")))
    }

    @Test(arguments: [
        #"{"resultcode":"0","resultdesc":"Success","sessionId":"s-1","idlePort":3}"#,
        #"{"resultcode":"0","resultdesc":"Success","sessionId":"s-1","idlePort":"3"}"#,
        #"{"resultcode":0,"resultdesc":"Success","sessionId":"s-1","idlePort":" 3 "}"#,
        #"{"resultcode":"0","resultdesc":"Success","sessionId":"s-1","idlePort":3.0,"extra":{"x":1}}"#,
    ])
    func acceptedWithSessionIdAndIdlePort(body: String) {
        #expect(
            Self.interpret(200, body)
                == .accepted(.init(sessionId: "s-1", idlePort: 3, httpStatus: 200, resultdesc: "Success")))
    }

    @Test(arguments: [
        #"{"resultcode":"0","resultdesc":"Success"}"#,
        #"{"resultcode":"0","resultdesc":"Success","sessionId":""}"#,
        #"{"resultcode":"0","resultdesc":"Success","sessionId":null}"#,
    ])
    func successWithoutSessionIdIsUncertain(body: String) {
        guard case .uncertain(let reason) = Self.interpret(200, body) else {
            Issue.record("expected .uncertain, got \(Self.interpret(200, body))")
            return
        }
        #expect(reason.contains("sessionId"))
    }

    @Test func aSuccessStatusWithAnUnreadableBodyIsUncertain() {
        guard case .uncertain = Self.interpret(200, "<html>ok</html>") else {
            Issue.record("expected .uncertain")
            return
        }
    }

    @Test func insufficientPortsIsARejectionOfClassPorts() throws {
        let body = #"{"resultcode":"1020154","resultdesc":"Insufficient voice ports.","idlePort":"0"}"#
        let rejection = try #require(Self.rejection(Self.interpret(500, body)))
        #expect(rejection.httpStatus == 500)
        #expect(rejection.resultcode == "1020154")
        #expect(rejection.resultClass == .ports)
        #expect(rejection.idlePort == 0)
        #expect(rejection.explanation == "Insufficient voice ports.")
    }

    @Test(arguments: [
        (403, #"{"resultcode":"1013117","resultdesc":"Callee call frequency restricted."}"#, ResultClass.frequency(.callee)),
        (401, #"{"resultcode":"1010010","resultdesc":"Invalid digest."}"#, .halt),
        (403, #"{"resultcode":"1010010","resultdesc":"flow control"}"#, .flowControl),
        (403, #"{"resultcode":"1013121"}"#, .timeWindow),
        (500, #"{"resultcode":"1020001","resultdesc":"Parameter error."}"#, .job),
        (200, #"{"resultcode":"1020165","resultdesc":"ports"}"#, .ports),
    ])
    func platformCodesAreClassified(status: Int, body: String, expected: ResultClass) throws {
        let rejection = try #require(Self.rejection(Self.interpret(status, body)))
        #expect(rejection.resultClass == expected)
    }

    @Test func aMissingDescriptionFallsBackToTheReferenceText() throws {
        let rejection = try #require(Self.rejection(Self.interpret(403, #"{"resultcode":"1013121"}"#)))
        #expect(rejection.resultdesc == nil)
        #expect(rejection.explanation == "Call black time forbidden.")
        #expect(rejection.description.contains("1013121"))
        #expect(rejection.description.contains("time_window"))
    }

    @Test func theGatewayErrorShapeIsARejection() throws {
        // Reference §3.3 error body.
        let body = """
            {
              "error": {
                "code": "111400060",
                "message": "instance name exists."
              }
            }
            """
        let rejection = try #require(Self.rejection(Self.interpret(400, body)))
        #expect(rejection.resultcode == "111400060")
        #expect(rejection.resultdesc == "instance name exists.")
        #expect(rejection.resultClass == .unknown)

        let digest = #"{"error":{"code":"1010010","message":"Invalid digest."}}"#
        let halted = try #require(Self.rejection(Self.interpret(401, digest)))
        #expect(halted.resultClass == .halt)
    }

    @Test func aNonJSON502IsATransientRejection() throws {
        let rejection = try #require(Self.rejection(Self.interpret(502, "<html><body>502 Bad Gateway</body></html>")))
        #expect(rejection.httpStatus == 502)
        #expect(rejection.resultcode == nil)
        #expect(rejection.resultClass == .transient)
        #expect(rejection.resultdesc?.contains("502 Bad Gateway") == true)
    }

    @Test func anEmpty503IsATransientRejectionWithoutDescription() throws {
        let rejection = try #require(Self.rejection(Self.interpret(503, "")))
        #expect(rejection.resultClass == .transient)
        #expect(rejection.resultdesc == nil)
        #expect(rejection.explanation == "HTTP 503")
    }

    @Test func aLongErrorBodyIsCut() throws {
        let rejection = try #require(Self.rejection(Self.interpret(500, String(repeating: "x", count: 5000))))
        #expect((rejection.resultdesc?.count ?? 0) <= 120)
    }
}
