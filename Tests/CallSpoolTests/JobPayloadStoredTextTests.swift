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
}
