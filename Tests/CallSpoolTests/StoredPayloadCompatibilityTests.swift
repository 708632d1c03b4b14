@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// Jobs queued before the field-name fix hold the reference's typos in their
/// stored payload JSON (`postOne`, `collectContentTriggerReplacing`). After
/// the upgrade they must still be dispatched with their tone and trigger.
@Suite struct StoredPayloadCompatibilityTests {
    /// Exactly what the previous version wrote (Swift's synthesized coding of
    /// `JobPayload`, with the old property names).
    static let oldVerify = #"{"verify":{"_0":{"languageType":2,"preTone":"pre.wav","postOne":"post.wav","times":2,"verifyCode":"4829"}}}"#
    static let oldNotify = #"{"notify":{"playInfoList":[{"notifyVoice":"a.wav"},{"notifyVoice":"press_1.wav","collectInd":1,"replayAfterCollection":"true","collectContentTriggerReplacing":"9"}]}}"#

    @Test func oldVerifyPayloadDecodesWithItsTone() throws {
        let payload = try JSONDecoder().decode(JobPayload.self, from: Data(Self.oldVerify.utf8))
        #expect(payload == .verify(.init(languageType: 2, preTone: "pre.wav", posTone: "post.wav", times: 2, verifyCode: "4829")))
    }

    @Test func oldNotifyPayloadDecodesWithItsTrigger() throws {
        let payload = try JSONDecoder().decode(JobPayload.self, from: Data(Self.oldNotify.utf8))
        guard case .notify(let list) = payload else {
            Issue.record("not notify: \(payload)")
            return
        }
        #expect(list.count == 2)
        #expect(list[1].collectContentTriggerReplaying == "9")
        #expect(list[1].replayAfterCollection == "true")
        #expect(list[1].collectInd == 1)
    }

    @Test func payloadsAreWrittenWithThePlatformNamesInTheSameShape() throws {
        let verify = JobPayload.verify(.init(preTone: "pre.wav", posTone: "post.wav", verifyCode: "4829"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(verify), as: UTF8.self)
            == #"{"verify":{"_0":{"languageType":2,"posTone":"post.wav","preTone":"pre.wav","verifyCode":"4829"}}}"#)
        let notify = JobPayload.notify(playInfoList: [PlayContentInfo(notifyVoice: "a.wav", collectInd: 1, replayAfterCollection: "true", collectContentTriggerReplaying: "9")])
        let text = String(decoding: try encoder.encode(notify), as: UTF8.self)
        #expect(text == #"{"notify":{"playInfoList":[{"collectContentTriggerReplaying":"9","collectInd":1,"notifyVoice":"a.wav","replayAfterCollection":"true"}]}}"#)
        #expect(try JSONDecoder().decode(JobPayload.self, from: Data(text.utf8)) == notify)
    }

    /// The old JSON sits in the job table as an older version left it; the
    /// dispatch path (the ticket built when an attempt begins) carries the
    /// tone and the trigger, and erasing a finished job's code keeps the tone.
    @Test func oldRowsInTheStoreAreDispatchedWithToneAndTrigger() throws {
        let database = try AppDatabase.inMemory()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let specs = [
            JobSpec(id: "otp", type: .verify, calleeNbr: "+8613800000001", payload: .verify(.init(preTone: "x.wav", verifyCode: "1"))),
            JobSpec(id: "note", type: .notify, calleeNbr: "+8613800000002", payload: .notify(playInfoList: [PlayContentInfo(notifyVoice: "x.wav")])),
        ]
        _ = try database.insertJobs(specs, intakeKey: "k", sourceFile: "old.jsonl", policy: .init(), now: now)
        try database.write { db in
            try db.execute("UPDATE job SET payload = ? WHERE jobId = 'otp'", [Self.oldVerify])
            try db.execute("UPDATE job SET payload = ? WHERE jobId = 'note'", [Self.oldNotify])
        }
        let tickets = try database.write { db -> [DispatchTicket] in
            try ["otp", "note"].map { id in
                var job = try #require(try db.record(JobRecord.self, "SELECT * FROM job WHERE jobId = ?", [id]))
                return try #require(try db.store.beginAttempt(&job, displayNbr: "+8675528000088", fromPool: true, now: now))
            }
        }
        #expect(tickets[0].payload == .verify(.init(languageType: 2, preTone: "pre.wav", posTone: "post.wav", times: 2, verifyCode: "4829")))
        guard case .notify(let list) = tickets[1].payload else {
            Issue.record("not notify: \(tickets[1].payload)")
            return
        }
        #expect(list[1].collectContentTriggerReplaying == "9")

        let erased = StoredJobPayload(storedText: Self.oldVerify).erasingVerifyCodes().storedText
        #expect(erased.contains(#""posTone":"post.wav""#))
        #expect(!erased.contains("4829"))
    }
}
