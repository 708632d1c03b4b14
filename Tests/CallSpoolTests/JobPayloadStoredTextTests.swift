@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// Intake writes each job's payload with ``JobPayload/storedText`` instead
/// of `JSONEncoder`: the JSON must be the encoder's (the same keys and
/// values; the encoder's key order is a hash order), so every row decodes
/// as before.
@Suite struct JobPayloadStoredTextTests {
    static let awkward = "a\"b\\c/d\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}é客户\u{2028}😀"

    static let payloads: [JobPayload] = [
        .verify(.init(preTone: "p.wav", verifyCode: "4829")),
        .verify(.init(languageType: 2, preTone: awkward, posTone: "post.wav", times: 3, verifyCode: "0012")),
        .notify(playInfoList: [PlayContentInfo(notifyVoice: "a.wav")]),
        .notify(playInfoList: [
            PlayContentInfo(templateId: "appt", templateParas: ["客户1", "9:30", awkward], collectInd: 1),
            PlayContentInfo(notifyVoice: awkward, collectInd: 0, replayAfterCollection: "true", collectContentTriggerReplaying: "9"),
            PlayContentInfo(),
        ]),
    ]

    @Test(arguments: payloads)
    func sameBytesAsJSONEncoder(payload: JobPayload) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(payload), as: UTF8.self)
        #expect(try JSONValue.parse(Data(payload.storedText.utf8)) == JSONValue.parse(Data(expected.utf8)))
        #expect(try JSONDecoder().decode(JobPayload.self, from: Data(payload.storedText.utf8)) == payload)
    }

    @Test func everyControlCharacterIsEscapedAlike() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for value in 0..<0x80 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let payload = JobPayload.notify(playInfoList: [PlayContentInfo(notifyVoice: "x\(Character(scalar))y")])
            let expected = try encoder.encode(payload)
            #expect(try JSONValue.parse(Data(payload.storedText.utf8)) == JSONValue.parse(expected), "U+\(String(value, radix: 16))")
            #expect(try JSONDecoder().decode(JobPayload.self, from: Data(payload.storedText.utf8)) == payload)
        }
    }

    /// 2,000 generated payloads (seeded, so a failure repeats): every
    /// optional present or absent, strings drawn from quotes, backslashes,
    /// slashes, controls, non-ASCII and astral characters. The stored text
    /// must parse to the encoder's JSON and decode back to the payload.
    @Test func generatedPayloadsRoundTripAndMatchTheEncoder() throws {
        var random = SeededRandom(state: 26)
        let alphabet: [Character] = ["a", "Z", "0", "\"", "\\", "/", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "客", "\u{2028}", "😀", " ", "{", "]"]
        func string() -> String { String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "a" }) }
        func maybe<T>(_ make: () -> T) -> T? { Bool.random(using: &random) ? make() : nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for round in 0..<2_000 {
            let payload: JobPayload
            if Bool.random(using: &random) {
                payload = .verify(.init(
                    languageType: Int.random(in: 1...3, using: &random), preTone: string(), posTone: maybe(string),
                    times: maybe { Int.random(in: 1...3, using: &random) }, verifyCode: String(Int.random(in: 0...99_999_999, using: &random))))
            } else {
                payload = .notify(playInfoList: (0..<Int.random(in: 1...5, using: &random)).map { _ in
                    PlayContentInfo(
                        notifyVoice: maybe(string), templateId: maybe(string),
                        templateParas: maybe { (0..<Int.random(in: 0...4, using: &random)).map { _ in string() } },
                        collectInd: maybe { Int.random(in: 0...32, using: &random) }, replayAfterCollection: maybe(string),
                        collectContentTriggerReplaying: maybe(string))
                })
            }
            let stored = Data(payload.storedText.utf8)
            #expect(try JSONValue.parse(stored) == JSONValue.parse(try encoder.encode(payload)), "payload \(round)")
            #expect(try JSONDecoder().decode(JobPayload.self, from: stored) == payload, "payload \(round)")
        }
    }
}
