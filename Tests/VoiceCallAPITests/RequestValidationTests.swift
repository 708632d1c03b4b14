import Foundation
import Testing
import VoiceCallAPI

/// CallNotifyRequest / CallVerifyRequest.validationIssues(): every rule fails on
/// its own field and passes at its limits.
@Suite struct NotifyRequestValidationTests {
    static let valid = CallNotifyRequest(
        displayNbr: "+8675528000088", calleeNbr: "+8613800000002",
        playInfoList: [
            PlayContentInfo(notifyVoice: "welcome.wav"),
            PlayContentInfo(templateId: "appt_remind", templateParas: ["11月22日", "9:30"], collectInd: 1),
        ],
        statusUrl: "aHR0cHM6Ly92b2ljZS1jYi5leGFtcGxlLmNvbS9jYWxsc3Bvb2wvc3RhdHVz",
        feeUrl: "aHR0cHM6Ly92b2ljZS1jYi5leGFtcGxlLmNvbS9jYWxsc3Bvb2wvZmVl",
        returnIdlePort: "true", userData: "cs1.appt-2026-11-22-0042.1")

    @Test func aValidRequestHasNoIssues() throws {
        #expect(Self.valid.validationIssues().isEmpty)
        try Self.valid.validate()
    }

    @Test func theReferenceExampleIsValid() throws {
        // §5.2 示例2 body with real (unmasked) numbers.
        let body = #"{"displayNbr":"+8618612345611","calleeNbr":"+8675581234501","playInfoList":[{"templateId":"test_template", "templateParas":["3","人民公园正门"],"collectInd":5}],"userData":"testUserData"}"#
        let request = try JSONDecoder().decode(CallNotifyRequest.self, from: Data(body.utf8))
        #expect(request.validationIssues().isEmpty)
        #expect(request.playInfoList[0].templateParas == ["3", "人民公园正门"])
    }

    typealias Mutation = @Sendable (inout CallNotifyRequest) -> Void

    static let breaking: [(String, Mutation)] = [
        ("displayNbr", { $0.displayNbr = "075528000088" }),
        ("calleeNbr", { $0.calleeNbr = "+86" }),
        ("calleeNbr", { $0.calleeNbr = "+" + String(repeating: "1", count: 31) }),
        ("playInfoList", { $0.playInfoList = [] }),
        ("playInfoList", { $0.playInfoList = Array(repeating: PlayContentInfo(notifyVoice: "a.wav"), count: 6) }),
        ("playInfoList[1]", { $0.playInfoList[1].notifyVoice = "a.wav" }),
        ("playInfoList[1].templateParas", { $0.playInfoList[1].templateParas = nil }),
        ("playInfoList[1].templateParas[0]", { $0.playInfoList[1].templateParas = ["${x}"] }),
        ("playInfoList[1].collectInd", { $0.playInfoList[1].collectInd = 33 }),
        ("playInfoList[0].replayAfterCollection", { $0.playInfoList[0].replayAfterCollection = "True" }),
        ("statusUrl", { $0.statusUrl = String(repeating: "A", count: 129) }),
        ("feeUrl", { $0.feeUrl = "" }),
        ("returnIdlePort", { $0.returnIdlePort = "yes" }),
        ("userData", { $0.userData = String(repeating: "u", count: 257) }),
        ("userData", { $0.userData = "{json}" }),
        ("userData", { $0.userData = "患者A-1189" }),
    ]

    @Test(arguments: breaking)
    func eachBrokenRuleNamesItsField(field: String, mutate: Mutation) {
        var request = Self.valid
        mutate(&request)
        let issues = request.validationIssues()
        #expect(issues.fields == [field], "\(issues)")
        #expect(throws: ValidationFailure.self) { try request.validate() }
    }

    static let atTheLimits: [Mutation] = [
        { $0.calleeNbr = "+861" },
        { $0.calleeNbr = "+" + String(repeating: "1", count: 30) },
        { $0.playInfoList = Array(repeating: PlayContentInfo(notifyVoice: "a.wav"), count: 5) },
        { $0.playInfoList = [PlayContentInfo(notifyVoice: "a.wav")] },
        { $0.playInfoList[1].collectInd = 32 },
        { $0.playInfoList[1].templateParas = Array(repeating: "x", count: 10) },
        { $0.statusUrl = String(repeating: "A", count: 128) },
        { $0.statusUrl = nil; $0.feeUrl = nil; $0.returnIdlePort = nil; $0.userData = nil },
        { $0.returnIdlePort = "false" },
        { $0.userData = String(repeating: "u", count: 256) },
    ]

    @Test(arguments: atTheLimits)
    func limitsAreInclusive(mutate: Mutation) {
        var request = Self.valid
        mutate(&request)
        #expect(request.validationIssues().isEmpty, "\(request.validationIssues())")
    }

    @Test func everyIssueIsReportedNotJustTheFirst() {
        var request = Self.valid
        request.displayNbr = "x"
        request.playInfoList[1].templateParas = ["ok", "$"]
        request.userData = "{}"
        let failure = ValidationFailure(request.validationIssues())
        #expect(failure.issues.fields == ["displayNbr", "playInfoList[1].templateParas[1]", "userData"])
        #expect(failure.description.contains("playInfoList[1].templateParas[1]: "))
    }
}

@Suite struct VerifyRequestValidationTests {
    static let valid = CallVerifyRequest(
        displayNbr: "+8675528000088", calleeNbr: "+8613800000001", languageType: 2, preTone: "otp_pre.wav",
        verifyCode: "482913", posTone: "otp_post.wav", times: 2,
        statusUrl: "aHR0cHM6Ly92b2ljZS1jYi5leGFtcGxlLmNvbS9jYWxsc3Bvb2wvc3RhdHVz", feeUrl: nil,
        returnIdlePort: "true", userData: "cs1.login-7781.1")

    @Test func aValidRequestHasNoIssues() throws {
        #expect(Self.valid.validationIssues().isEmpty)
        try Self.valid.validate()
    }

    @Test func theReferenceExampleIsValid() throws {
        // §6.2 request example with real (unmasked) numbers.
        let body = #"{"displayNbr":"+8675528123488","calleeNbr":"+8618912340007","languageType":2,"preTone":"welcome.wav","verifyCode":"12345678","times":3,"userData":"cwgtest"}"#
        let request = try JSONDecoder().decode(CallVerifyRequest.self, from: Data(body.utf8))
        #expect(request.validationIssues().isEmpty)
    }

    typealias Mutation = @Sendable (inout CallVerifyRequest) -> Void

    static let breaking: [(String, Mutation)] = [
        ("displayNbr", { $0.displayNbr = "+86755 2800" }),
        ("calleeNbr", { $0.calleeNbr = "13800000001" }),
        ("languageType", { $0.languageType = 1 }),
        ("preTone", { $0.preTone = "" }),
        ("preTone", { $0.preTone = String(repeating: "p", count: 129) }),
        ("verifyCode", { $0.verifyCode = "1" }),
        ("verifyCode", { $0.verifyCode = "123456789" }),
        ("verifyCode", { $0.verifyCode = "12ab" }),
        ("posTone", { $0.posTone = String(repeating: "p", count: 129) }),
        ("times", { $0.times = 10 }),
        ("times", { $0.times = -1 }),
        ("statusUrl", { $0.statusUrl = String(repeating: "A", count: 129) }),
        ("feeUrl", { $0.feeUrl = "" }),
        ("returnIdlePort", { $0.returnIdlePort = "1" }),
        ("userData", { $0.userData = String(repeating: "u", count: 57) }),
        ("userData", { $0.userData = "a{b" }),
        ("userData", { $0.userData = "登录" }),
    ]

    @Test(arguments: breaking)
    func eachBrokenRuleNamesItsField(field: String, mutate: Mutation) {
        var request = Self.valid
        mutate(&request)
        let issues = request.validationIssues()
        #expect(issues.fields == [field], "\(issues)")
        #expect(throws: ValidationFailure.self) { try request.validate() }
    }

    static let atTheLimits: [Mutation] = [
        { $0.verifyCode = "12" },
        { $0.verifyCode = "12345678" },
        { $0.times = 0 },
        { $0.times = 9 },
        { $0.times = nil },
        { $0.preTone = String(repeating: "p", count: 128) },
        { $0.posTone = nil },
        { $0.userData = String(repeating: "u", count: 56) },
        { $0.userData = nil },
    ]

    @Test(arguments: atTheLimits)
    func limitsAreInclusive(mutate: Mutation) {
        var request = Self.valid
        mutate(&request)
        #expect(request.validationIssues().isEmpty, "\(request.validationIssues())")
    }
}
