import Foundation
import Testing
@testable import VoiceCallAPI

/// A fee push's CDRs as sent (``CallbackPayload/feeTexts``): each kept
/// record's `feeLst` element, byte for byte, for the store's `raw` column.
@Suite struct FeeListTextTests {
    static func payload(_ body: String) throws -> CallbackPayload {
        try CallbackPayload.decode(Array(body.utf8))
    }

    @Test func eachRecordGetsItsElementAsSentAndADroppedOneIsSkipped() throws {
        let first = #"{ "sessionId" : "S1", "userData":"a,b}]", "x":{"y":[1,{"z":"\"]"}]}, "ttsPlayTimes": 2 }"#
        let dropped = #"{"userData":"no session"}"#
        let third = #"{"sessionId":3,"callOutAnswerTime":"2026-12-05 00:00:01","fwdUnaswRsn":1.5e0,"recordFlag":null}"#
        let body = "{\"before\":{\"feeLst\":[{}]}, \"eventType\" : \"fee\",\n \"feeLst\" : [\n \(first) ,\(dropped),\t\(third)\n], \"after\":[\"]\"]}"
        let payload = try Self.payload(body)
        guard case .fee(let records) = payload.event else {
            Issue.record("not a fee push: \(String(describing: payload.event))")
            return
        }
        #expect(records.map(\.sessionId) == ["S1", "3"])
        #expect(payload.feeTexts == [first, third])
    }

    @Test func anEmptyListHasNoTexts() throws {
        let payload = try Self.payload(#"{"eventType":"fee","feeLst":[]}"#)
        #expect(payload.feeTexts == [])
    }

    @Test func aStatusPushHasNone() throws {
        let payload = try Self.payload(#"{"eventType":"disconnect","statusInfo":{"sessionId":"s1","stateCode":0}}"#)
        #expect(payload.feeTexts == nil)
    }

    /// Two `feeLst` keys: the scanner cannot tell which one the decoder
    /// read, so it gives none (the store then keeps the whole body).
    @Test func aRepeatedFeeListGivesNone() throws {
        let payload = try Self.payload(#"{"eventType":"fee","feeLst":[{"sessionId":"A"}],"feeLst":[{"sessionId":"B"}]}"#)
        #expect(payload.feeTexts == nil)
    }
}
