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

    /// Whatever the serializer does (escapes, key order, spacing), each text
    /// is a whole element: read alone, it is the record read from the push.
    @Test func eachTextReadAloneIsItsRecord() throws {
        var elements: [[String: Any]] = []
        for index in 0..<20 {
            elements.append([
                "sessionId": index % 3 == 0 ? index : "S-\(index)\"}]",
                "userData": "cs1.\(index).1 {[\\\"é😀\u{7}",
                "dynIVRPath": index % 2 == 0 ? "1-2" : NSNull(),
                "extra": ["nested": [1, ["deep": "]}"]], "list": [[], [:]]] as [String: Any],
                "ttsPlayTimes": index,
            ])
        }
        elements.insert(["userData": "no session"], at: 5)
        for options: JSONSerialization.WritingOptions in [[], [.prettyPrinted], [.sortedKeys, .withoutEscapingSlashes]] {
            let data = try JSONSerialization.data(withJSONObject: ["eventType": "fee", "feeLst": elements] as [String: Any], options: options)
            let payload = try CallbackPayload.decode(Array(data))
            guard case .fee(let records) = payload.event else {
                Issue.record("not a fee push")
                return
            }
            let texts = try #require(payload.feeTexts)
            #expect(records.count == 20 && texts.count == 20)
            for (record, text) in zip(records, texts) {
                #expect(try JSONDecoder().decode(FeeRecord.self, from: Data(text.utf8)) == record, "\(text)")
            }
        }
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
