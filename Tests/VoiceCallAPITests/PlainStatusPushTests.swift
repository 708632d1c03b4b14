import Foundation
import Testing
@testable import VoiceCallAPI

/// The scanner for plain status pushes gives exactly what the full lenient
/// reading gives, and leaves everything that may need leniency to it.
@Suite struct PlainStatusPushTests {
    static func scanned(_ body: String) -> CallbackPayload? {
        Array(body.utf8).withUnsafeBufferPointer { PlainStatusPush.decode($0) }
    }

    static func same(_ a: CallbackPayload, _ b: CallbackPayload) -> Bool {
        a.eventType == b.eventType && a.event == b.event && a.notes == b.notes && a.ignoredBecause == nil && b.ignoredBecause == nil
    }

    /// Bodies as the platform and the bench send them: scanned, and equal
    /// to the full reading.
    @Test(arguments: [
        #"{"eventType":"callout","statusInfo":{"sessionId":"1201_612_4294967295_20190124030424@callenabler245.huaweicaas.com","timestamp":"2019-01-24 03:04:24","caller":"+862011111111","called":"+8613800000000","userData":"cs1.7.1"}}"#,
        #"{"eventType":"collectInfo","statusInfo":{"sessionId":"S1","timestamp":"2019-01-24 03:04:31","digitInfo":"1"}}"#,
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":0,"stateDesc":"The user releases the call.","userData":"cs1.7.1"}}"#,
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":-7,"stateDesc":""}}"#,
        " {\n \"statusInfo\" : { \"sessionId\" : \"S2\" , \"stateCode\" : 7109 } ,\r\n\t\"eventType\" : \"disconnect\" } \n",
        #"{"eventType":"answer","statusInfo":{"sessionId":"S3","timestamp":"","userData":""}}"#,
    ])
    func plainBodiesAreScannedAsTheFullReadingReadsThem(body: String) throws {
        let scanned = try #require(Self.scanned(body), "not taken by the scanner")
        let full = try CallbackPayload.decodeLeniently(Array(body.utf8))
        #expect(Self.same(scanned, full), "\(scanned) vs \(full)")
        #expect(try Self.same(CallbackPayload.decode(Array(body.utf8)), full))
    }

    /// What the encoder of the bench and of the tests writes is plain too.
    /// Found by the fuzzer: a stateCode of twenty digits overflowed the
    /// scanner's accumulator (a trap on a push from the network). Now it is
    /// not plain, and the full reading decides.
    @Test func aHugeNumberIsLeftToTheFullReading() {
        let body = #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":42949672954294967295,"stateDesc":"x"}}"#
        #expect(Self.scanned(body) == nil)
        _ = try? CallbackPayload.decode(Array(body.utf8))
    }

    @Test func encodedStatusEventsAreScanned() throws {
        let event = CallbackEvent.status(.disconnect, CallStatusInfo(
            sessionId: "bench-session-1", timestamp: "2026-11-30 07:00:00", userData: "cs1.1.1", caller: "+8675528000088",
            called: "+8613700000001", stateCode: 0, stateDesc: "The user releases the call."))
        let body = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        let scanned = try #require(Self.scanned(body), "not taken by the scanner: \(body)")
        #expect(scanned.event == event)
    }

    /// Everything that may need leniency, or is not a status push, or is
    /// not JSON: left to the full reading.
    @Test(arguments: [
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","partyType":"callee"}}"#,
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":"0"}}"#,
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":0.5}}"#,
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":1e3}}"#,
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":01}}"#,
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateCode":12345678901}}"#,
        #"{"eventType":"collectInfo","statusInfo":{"sessionId":"S1","digitInfo":1}}"#,
        #"{"eventType":"collectInfo","statusInfo":{"sessionId":12}}"#,
        #"{"eventType":"collectInfo","statusInfo":{"sessionId":"S1","digitInfo":null}}"#,
        #"{"eventType":"collectInfo","statusInfo":{"sessionId":"S\u0031"}}"#,
        #"{"eventType":"disconnect","statusInfo":{"sessionId":"S1","stateDesc":"用户挂机"}}"#,
        #"{"eventType":"answer","statusInfo":{"sessionId":""}}"#,
        #"{"eventType":"answer","statusInfo":{"sessionId":"S1","extra":"x"}}"#,
        #"{"eventType":"answer","statusInfo":{"sessionId":"S1","sessionId":"S2"}}"#,
        #"{"eventType":"answer","eventType":"callout","statusInfo":{"sessionId":"S1"}}"#,
        #"{"eventType":"answer","statusInfo":{"sessionId":"S1"},"other":1}"#,
        #"{"eventType":"answer"}"#,
        #"{"eventType":"unknownType","statusInfo":{"sessionId":"S1"}}"#,
        #"{"eventType":"fee","feeLst":[]}"#,
        #"{"eventType":"answer","statusInfo":{"sessionId":"S1"}} x"#,
        #"{"eventType":"answer","statusInfo":{"sessionId":"S1"}"#,
        #"{"eventType":"answer","statusInfo":{"sessionId":"S1",}}"#,
        "not json",
        "",
    ])
    func anythingElseIsLeftToTheFullReading(body: String) {
        #expect(Self.scanned(body) == nil)
    }

    @Test func anOverlongSessionIdIsLeftToTheFullReading() {
        let long = String(repeating: "s", count: 257)
        #expect(Self.scanned(#"{"eventType":"answer","statusInfo":{"sessionId":"\#(long)"}}"#) == nil)
        let bound = String(repeating: "s", count: 256)
        #expect(Self.scanned(#"{"eventType":"answer","statusInfo":{"sessionId":"\#(bound)"}}"#) != nil)
    }
}
