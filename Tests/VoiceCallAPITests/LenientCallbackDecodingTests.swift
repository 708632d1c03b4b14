import Foundation
import Testing
@testable import VoiceCallAPI

/// Per-field decoding: only a body that is not JSON or has no eventType is an
/// error; everything else yields what is usable plus notes.
@Suite struct LenientCallbackDecodingTests {
    static func payload(_ body: String) throws -> CallbackPayload {
        try CallbackPayload.decode(Array(body.utf8))
    }

    @Test(arguments: ["callee", "caller", "platform"])
    func partyTypeIsAString(_ party: String) throws {
        let body = #"{"eventType":"disconnect","statusInfo":{"sessionId":"s1","stateCode":0,"partyType":"\#(party)"}}"#
        let payload = try Self.payload(body)
        guard case .status(.disconnect, let info) = payload.event else {
            Issue.record("not a disconnect: \(String(describing: payload.event))")
            return
        }
        #expect(info.partyType == PartyType(rawValue: party))
        #expect(info.partyType?.isDocumented == true)
        #expect(info.stateCode == 0)
        #expect(payload.notes.isEmpty)
    }

    @Test func partyTypeAsANumberOrUnknownIsKeptWithANote() throws {
        let number = try Self.payload(#"{"eventType":"disconnect","statusInfo":{"sessionId":"s1","partyType":1}}"#)
        guard case .status(_, let info) = number.event else { Issue.record("no event"); return }
        #expect(info.partyType?.rawValue == "1")
        #expect(number.notes.map(\.kind) == [.unknownValue])
        #expect(number.notes.first?.field == "statusInfo.partyType")
    }

    @Test func malformedOptionalStatusFieldsReadAsAbsent() throws {
        let body = #"{"eventType":"disconnect","statusInfo":{"sessionId":"s1","stateCode":"busy","stateDesc":{"x":1},"caller":[1],"partyType":{"a":"b"},"timestamp":"2019-01-24 02:49:23"}}"#
        let payload = try Self.payload(body)
        guard case .status(.disconnect, let info) = payload.event else { Issue.record("no event"); return }
        #expect(info.stateCode == nil)
        #expect(info.stateDesc == nil)
        #expect(info.caller == nil)
        #expect(info.partyType == nil)
        #expect(info.timestamp == "2019-01-24 02:49:23")
        #expect(Set(payload.notes.map(\.field)) == ["statusInfo.stateCode", "statusInfo.stateDesc", "statusInfo.caller", "statusInfo.partyType"])
        #expect(payload.notes.allSatisfy { $0.kind == .malformedField && $0.sessionId == "s1" })
        // Notes never carry the value.
        #expect(!payload.notes.contains { $0.detail.contains("busy") })
    }

    @Test func oneBadCDRIsDroppedTheOthersKept() throws {
        let body = #"{"eventType":"fee","feeLst":[{"sessionId":"s1","direction":0},{"callerNum":"+8613800000001"},{"sessionId":"s3","recordFlag":"yes","ulFailReason":{"x":1},"direction":"7","serviceType":1}]}"#
        let payload = try Self.payload(body)
        guard case .fee(let records) = payload.event else { Issue.record("no fee event"); return }
        #expect(records.map(\.sessionId) == ["s1", "s3"])
        #expect(records[1].recordFlag == nil)
        #expect(records[1].ulFailReason == nil)
        #expect(records[1].direction == 7)
        #expect(records[1].serviceType == "001")
        let dropped = payload.notes.filter { $0.kind == .droppedRecord }
        #expect(dropped.map(\.field) == ["feeLst[1]"])
        let fields = Set(payload.notes.filter { $0.kind != .droppedRecord }.map(\.field))
        #expect(fields == ["feeLst[2].recordFlag", "feeLst[2].ulFailReason", "feeLst[2].direction"])
        #expect(payload.notes.first { $0.field == "feeLst[2].recordFlag" }?.fieldPattern == "feeLst[].recordFlag")
    }

    @Test func nonObjectCDRsAndOverlongSessionIdsAreDropped() throws {
        let long = String(repeating: "8", count: 300)
        let body = #"{"eventType":"fee","feeLst":[42,"x",null,{"sessionId":"\#(long)"},{"sessionId":{"a":1}},{"sessionId":"ok"}]}"#
        let payload = try Self.payload(body)
        guard case .fee(let records) = payload.event else { Issue.record("no fee event"); return }
        #expect(records.map(\.sessionId) == ["ok"])
        #expect(payload.notes.filter { $0.kind == .droppedRecord }.count == 5)
        #expect(payload.notes.contains { $0.sessionId == long })
    }

    @Test(arguments: [
        #"{"eventType":"hangup","statusInfo":{"sessionId":"S1"}}"#,
        #"{"eventType":"disconnect"}"#,
        #"{"eventType":"disconnect","statusInfo":"S1"}"#,
        #"{"eventType":"answer","statusInfo":{"caller":"+8613800000001"}}"#,
        #"{"eventType":"fee"}"#,
        #"{"eventType":"fee","feeLst":"none"}"#,
    ])
    func unmatchablePushesDecodeToNoEvent(_ body: String) throws {
        let payload = try Self.payload(body)
        #expect(payload.event == nil)
        #expect(payload.ignoredBecause != nil)
        #expect(payload.notes.contains { $0.kind == .ignoredEvent })
    }

    @Test(arguments: ["", "{not json", "[1,2]", "42", #"{"statusInfo":{"sessionId":"S1"}}"#, #"{"eventType":{"a":1}}"#, #"{"eventType":""}"#])
    func onlyNonJSONOrNoEventTypeThrows(_ body: String) {
        #expect(throws: CallbackDecodingError.self) { try Self.payload(body) }
    }

    @Test func partyTypeRoundTripsAsAString() throws {
        let event = CallbackEvent.status(.disconnect, CallStatusInfo(sessionId: "s", stateCode: 0, partyType: .callee))
        let text = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        #expect(text.contains(#""partyType":"callee""#))
        #expect(try CallbackEvent.decode(Array(text.utf8)) == event)
    }
}
