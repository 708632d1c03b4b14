import Foundation
import Testing
import VoiceCallAPI

/// Every example payload of reference §5.3, §5.4, §6.3, §6.4 and the Node.js
/// sample, decoded as the platform would send it (fixtures in Fixtures/ReferencePayloads.swift).
@Suite struct ReferencePayloadTests {
    static func decode(_ text: String) throws -> CallbackEvent {
        try CallbackEvent.decode(JSONRepair.repairDocumentationQuirks(Array(text.utf8)) ?? Array(text.utf8))
    }

    static func status(_ text: String) throws -> (CallbackEventType, CallStatusInfo) {
        guard case .status(let type, let info) = try decode(text) else {
            throw CallbackDecodingError.invalid("not a status event")
        }
        return (type, info)
    }

    static func fee(_ text: String) throws -> [FeeRecord] {
        guard case .fee(let records) = try decode(text) else { throw CallbackDecodingError.invalid("not a fee event") }
        return records
    }

    static let notifySession = "1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com"

    @Test func theFixturesKeepTheReferenceQuirks() {
        #expect(ReferencePayloads.notifyAlerting.hasPrefix(">{"))
        #expect(ReferencePayloads.notifyDisconnect.contains("\"20  \n19-01-24 02:49:23\""))
        #expect(ReferencePayloads.notifyFee.contains("\"splId\""))
    }

    @Test(arguments: [
        (ReferencePayloads.notifyCallout, CallbackEventType.callout, "2019-01-24 02:48:46", "+86138***0022", "+86138***0021"),
        (ReferencePayloads.notifyAlerting, .alerting, "2019-01-24 02:48:47", "+86138****0022", "+86138****0021"),
        (ReferencePayloads.notifyAnswer, .answer, "2019-01-24 02:49:12", "+86138****0022", "+86138****0021"),
        (ReferencePayloads.verifyCallout, .callout, "2019-01-24 02:48:46", "+86138***0022", "+86138***0021"),
        (ReferencePayloads.verifyAlerting, .alerting, "2019-01-24 02:48:47", "+86138****0022", "+86138****0021"),
        (ReferencePayloads.verifyAnswer, .answer, "2019-01-24 02:49:12", "+86138****0022", "+86138****0021"),
    ])
    func callProgressEvents(body: String, type: CallbackEventType, timestamp: String, caller: String, called: String)
        throws
    {
        let (decodedType, info) = try Self.status(body)
        #expect(decodedType == type)
        #expect(info.sessionId == Self.notifySession)
        #expect(info.timestamp == timestamp)
        #expect(info.caller == caller)
        #expect(info.called == called)
        #expect(info.stateCode == nil)
        #expect(info.digitInfo == nil)
        #expect(info.userData == nil)
    }

    @Test func collectInfoCarriesTheDigitsAsAString() throws {
        let (type, info) = try Self.status(ReferencePayloads.notifyCollectInfo)
        #expect(type == .collectInfo)
        #expect(info.sessionId == "1202_14260_4294967295_20190124024846@callenable245.huaweicaas.com")
        #expect(info.digitInfo == "02")
        #expect(info.timestamp == "2019-01-24 02:49:12")
    }

    @Test func theLineWrappedDisconnectIsRepaired() throws {
        let (type, info) = try Self.status(ReferencePayloads.notifyDisconnect)
        #expect(type == .disconnect)
        #expect(info.sessionId == Self.notifySession)
        #expect(info.timestamp == "2019-01-24 02:49:23")
        #expect(info.stateCode == 0)
        #expect(info.stateDesc == "The user releases the call.")
        #expect(info.caller == "+86138***0022")
    }

    @Test func theVerifyDisconnect() throws {
        let (type, info) = try Self.status(ReferencePayloads.verifyDisconnect)
        #expect(type == .disconnect)
        #expect(info.sessionId == "1202_14260_4294967295_20190124024846@callenable245.huaweicaas.com")
        #expect(info.stateCode == 0)
        #expect(info.stateDesc == "The user releases the call.")
    }

    @Test func theNotifyFeeExample() throws {
        let records = try Self.fee(ReferencePayloads.notifyFee)
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.direction == 0)
        #expect(record.spId == "CaaS_Test_01")  // sent as "splId"
        #expect(record.appKey == "x0GexpPpyRKhbA7ZC7kXBN8uX8vl")
        #expect(record.icid == "CAE-20190124104846-12028700")
        #expect(record.bindNum == "+8675528***02")
        #expect(record.sessionId == Self.notifySession)
        #expect(record.callerNum == "+86138***0022")
        #expect(record.calleeNum == "+86138***0021")
        #expect(record.callEndTime == "2019-01-24 02:49:23")
        #expect(record.fwdUnaswRsn == 0)
        #expect(record.ulFailReason == 0)
        #expect(record.sipStatusCode == 0)
        #expect(record.callOutStartTime == "2019-01-24 02:48:46")
        #expect(record.callOutAlertingTime == "2019-01-24 02:48:51")
        #expect(record.callOutAnswerTime == "2019-01-24 02:49:12")
        #expect(record.callOutUnaswRsn == 0)
        #expect(record.recordFlag == 0)
        #expect(record.ttsPlayTimes == 1)
        #expect(record.ttsTransDuration == 1)
        #expect(record.serviceType == "001")
        #expect(record.hostName == "callenable245.huaweicaas.com")
        #expect(record.wasAnswered)
        #expect(record.dynIVRDigits == [])
    }

    @Test func theVerifyFeeExample() throws {
        let records = try Self.fee(ReferencePayloads.verifyFee)
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.spId == "CaaS_Test_01")
        #expect(record.appKey == "7VN6w60Pl3e1E5C8310517x32698")
        #expect(record.sessionId == "1200_164_4294967295_20190124025808@callenabler245.huaweicaas.com")
        #expect(record.calleeNum == "+86138****7021")
        #expect(record.callEndTime == "2019-01-24 02:58:36")
        #expect(record.callOutAnswerTime == "2019-01-24 02:58:24")
        #expect(record.ttsPlayTimes == 0)
        #expect(record.serviceType == "001")
        #expect(record.wasAnswered)
    }

    @Test func theNodeSampleFeeBody() throws {
        let records = try Self.fee(ReferencePayloads.nodeSampleFee)
        let record = try #require(records.first)
        #expect(record.spId == "CaaS_Test_01")
        #expect(record.appKey == "ka4kESI5s3YyurL1wpx63s9YnEm2")
        #expect(record.sessionId == "1201_612_4294967295_20190124030424@callenabler245.huaweicaas.com")
        #expect(record.bindNum == "+8675512345678")
        #expect(record.callEndTime == "2019-01-24 03:04:49")
        #expect(record.callOutAnswerTime == "2019-01-24 03:04:31")
        #expect(record.serviceType == "002")
        #expect(record.hostName == "callenabler245.huaweicaas.com")
    }

    @Test func theNodeSampleCalloutBody() throws {
        let (type, info) = try Self.status(ReferencePayloads.nodeSampleCallout)
        #expect(type == .callout)
        #expect(info.sessionId == "1201_612_4294967295_20190124030424@callenabler245.huaweicaas.com")
        #expect(info.caller == "+8613800000022")
        #expect(info.called == "+8613800000021")
    }

    @Test func theCallResponseExample() throws {
        let response = try JSONDecoder().decode(CallResponse.self, from: Data(ReferencePayloads.callResponse.utf8))
        #expect(response.resultcode == "0")
        #expect(response.resultdesc == "Success")
        #expect(response.sessionId == "1200_366_0_20161228102743@callenabler.home1.com")
        #expect(response.idlePort == nil)
    }

    @Test func theFeeAcknowledgementExample() throws {
        let response = try JSONDecoder().decode(CallResponse.self, from: Data(ReferencePayloads.feeResponse.utf8))
        #expect(response.resultcode == "0")
        #expect(response.resultdesc == "Success")
        #expect(response.sessionId == nil)
    }
}

/// Lenient typing and refusals of CallbackEvent.decode.
@Suite struct CallbackDecodingTests {
    @Test func numbersSentAsStrings() throws {
        let body = #"{"eventType":"disconnect","statusInfo":{"sessionId":"s1","stateCode":"8101","stateDesc":"no answer","userData":"cs1.j.1"}}"#
        guard case .status(.disconnect, let info) = try CallbackEvent.decode(JSONRepair.repairDocumentationQuirks(Array(body.utf8)) ?? Array(body.utf8)) else {
            Issue.record("not a disconnect")
            return
        }
        #expect(info.stateCode == 8101)
        #expect(info.userData == "cs1.j.1")
    }

    @Test func wrappedStringsAreRepairedWithCRLFLineEndingsToo() throws {
        let body = ReferencePayloads.notifyDisconnect.replacingOccurrences(of: "\n", with: "\r\n")
        guard case .status(.disconnect, let info) = try CallbackEvent.decode(JSONRepair.repairDocumentationQuirks(Array(body.utf8)) ?? Array(body.utf8)) else {
            Issue.record("not a disconnect")
            return
        }
        #expect(info.timestamp == "2019-01-24 02:49:23")
        #expect(info.stateDesc == "The user releases the call.")
    }

    @Test func aLineBreakInsideAWordIsJoinedWithoutABlank() throws {
        let body = "{\"eventType\":\"answer\",\"statusInfo\":{\"sessionId\":\"1202_14260@callena\nbler245.huaweicaas.com\"}}"
        guard case .status(.answer, let info) = try CallbackEvent.decode(JSONRepair.repairDocumentationQuirks(Array(body.utf8)) ?? Array(body.utf8)) else {
            Issue.record("not an answer")
            return
        }
        #expect(info.sessionId == "1202_14260@callenabler245.huaweicaas.com")
    }

    @Test func digitInfoSentAsANumberKeepsItsDigits() throws {
        let body = #"{"eventType":"collectInfo","statusInfo":{"sessionId":"s1","digitInfo":7}}"#
        guard case .status(.collectInfo, let info) = try CallbackEvent.decode(JSONRepair.repairDocumentationQuirks(Array(body.utf8)) ?? Array(body.utf8)) else {
            Issue.record("not collectInfo")
            return
        }
        #expect(info.digitInfo == "7")
    }

    @Test func idlePortSentAsAString() throws {
        let response = try JSONDecoder().decode(
            CallResponse.self, from: Data(#"{"resultcode":"0","sessionId":"s","idlePort":"3"}"#.utf8))
        #expect(response.idlePort == 3)
    }

    @Test func feeRecordNumbersAsStringsAndDynIVRPath() throws {
        let body = #"{"eventType":"fee","feeLst":[{"sessionId":"s1","spId":"sp","direction":"0","ulFailReason":"6","callOutUnaswRsn":"19","dynIVRPath":"0-2-3","callOutAnswerTime":""},{"sessionId":"s2","spld":"table-typo","dynIVRPath":" 1 - 9 "}]}"#
        guard case .fee(let records) = try CallbackEvent.decode(JSONRepair.repairDocumentationQuirks(Array(body.utf8)) ?? Array(body.utf8)) else {
            Issue.record("not a fee event")
            return
        }
        #expect(records.count == 2)
        #expect(records[0].direction == 0)
        #expect(records[0].ulFailReason == 6)
        #expect(records[0].callOutUnaswRsn == 19)
        #expect(records[0].dynIVRDigits == ["0", "2", "3"])
        #expect(!records[0].wasAnswered)
        #expect(records[1].spId == "table-typo")
        #expect(records[1].dynIVRDigits == ["1", "9"])
    }

    @Test func feeRecordsEncodeSpIdCorrectlySpelled() throws {
        guard case .fee(let records) = try CallbackEvent.decode(Array(ReferencePayloads.notifyFee.utf8)) else {
            Issue.record("not a fee event")
            return
        }
        let encoded = String(decoding: try JSONEncoder().encode(CallbackEvent.fee(records)), as: UTF8.self)
        #expect(encoded.contains(#""spId":"CaaS_Test_01""#))
        #expect(!encoded.contains("splId"))
        #expect(try CallbackEvent.decode(Array(encoded.utf8)) == .fee(records))
    }

    @Test(arguments: [
        ("", "notJSON"),
        ("not json", "notJSON"),
        (#"{"eventType":"disconnect","statusInfo":{"sessionId":"s1""#, "notJSON"),
        ("[1,2]", "invalid"),
        (#"{"statusInfo":{"sessionId":"s1"}}"#, "missingEventType"),
        (#"{"eventType":"ringing","statusInfo":{"sessionId":"s1"}}"#, "unknownEventType"),
        (#"{"eventType":"answer"}"#, "missingStatusInfo"),
        (#"{"eventType":"answer","statusInfo":null}"#, "missingStatusInfo"),
        (#"{"eventType":"fee"}"#, "missingFeeList"),
        (#"{"eventType":"answer","statusInfo":{"timestamp":"2019-01-24 02:49:12"}}"#, "invalid"),
        (#"{"eventType":"answer","statusInfo":{"sessionId":""}}"#, "invalid"),
        (#"{"eventType":"fee","feeLst":{"sessionId":"s1"}}"#, "invalid"),
        (">>{\"eventType\":\"answer\",\"statusInfo\":{\"sessionId\":\"s1\"}}", "notJSON"),
    ])
    func malformedBodiesThrow(body: String, kind: String) {
        do {
            let event = try CallbackEvent.decode(JSONRepair.repairDocumentationQuirks(Array(body.utf8)) ?? Array(body.utf8))
            Issue.record("decoded \(event) from \(body)")
        } catch {
            let name: String
            switch error {
            case .notJSON: name = "notJSON"
            case .missingEventType: name = "missingEventType"
            case .unknownEventType(let type):
                name = "unknownEventType"
                #expect(type == "ringing")
            case .missingStatusInfo: name = "missingStatusInfo"
            case .missingFeeList: name = "missingFeeList"
            case .invalid: name = "invalid"
            }
            #expect(name == kind, "\(error)")
        }
    }

    @Test func anyEventTypeRoundTrips() throws {
        for type in CallbackEventType.allCases where type != .fee {
            let event = CallbackEvent.status(type, CallStatusInfo(sessionId: "s", timestamp: "2019-01-24 02:49:12", stateCode: 8101))
            let data = try JSONEncoder().encode(event)
            #expect(try CallbackEvent.decode(Array(data)) == event)
            #expect(event.eventType == type)
        }
    }
}
