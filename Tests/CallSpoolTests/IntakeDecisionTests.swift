@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// Whether intake waits for a file to settle or rejects it at once is
/// decided by the kind of ``JobFileError``, never by the wording of its
/// reason. Before, a reason starting with "unknown format" or "file is …
/// over the limit" was taken as permanent, and a reason quotes the file's
/// own keys: a complete campaign file with a key of that wording was
/// rejected before it settled, unlike every other malformed file.
@Suite struct IntakeDecisionTests {
    static let lookalikes = [
        #"{"unknown format":1,"campaign":"x","jobs":[]}"#,
        #"{"file is 9 bytes, over the limit":1,"campaign":"x","jobs":[]}"#,
    ]

    @Test(arguments: lookalikes)
    func reasonWordingDoesNotMakeAFilePermanent(text: String) throws {
        let spool = try SpoolFixture()
        try spool.drop("look.json", text)
        guard case .notReady(let reason) = try spool.intake.process(name: "look.json", settled: false) else {
            Issue.record("a malformed file waits until it settles")
            return
        }
        #expect(reason.contains("unknown field in a campaign file"))
        guard case .rejected(let report) = try spool.intake.process(name: "look.json", settled: true) else {
            Issue.record("rejected once settled")
            return
        }
        #expect(report.error == reason)
    }

    @Test func tooLargeAndUnknownFormatAreRejectedWithoutWaiting() throws {
        let spool = try SpoolFixture(maxFileBytes: 64)
        try spool.drop("big.json", String(repeating: " ", count: 100) + "{}")
        try spool.drop("job.txt", JobText.verify("x"))
        guard case .rejected(let big) = try spool.intake.process(name: "big.json", settled: false) else {
            Issue.record("an oversized file is rejected at once")
            return
        }
        #expect(big.error == "file is 102 bytes, over the limit of 64 (spool.max_file_bytes); split it into smaller files")
        guard case .rejected(let text) = try spool.intake.process(name: "job.txt", settled: false) else {
            Issue.record("a file of unknown format is rejected at once")
            return
        }
        #expect(text.error == "unknown format: the name must end in .json or .jsonl")
    }

    @Test(arguments: [
        ("empty.json", "", JobFileError.Kind.notJSONObject),
        ("cut.json", #"{"campaign":"x","jobs":[{"calleeNbr":"+86"#, .notJSONObject),
        ("array.json", "[1]", .notJSONObject),
        ("trailing.json", "{} x", .notJSONObject),
        ("typo.json", #"{"campaign":"x","default":{},"jobs":[]}"#, .malformed),
        ("job.txt", "{}", .unknownFormat),
    ])
    func kindsOfUnreadableFiles(name: String, text: String, kind: JobFileError.Kind) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(name, text)
        #expect {
            _ = try JobFile.open(path)
        } throws: { error in
            (error as? JobFileError)?.kind == kind
        }
    }

    @Test func kindOfOversizedFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("huge.json", String(repeating: " ", count: 5000) + "{}")
        #expect(throws: JobFileError(file: "huge.json", kind: .tooLarge, reason: "file is 5002 bytes, over the limit of 4096 (spool.max_file_bytes); split it into smaller files")) {
            _ = try JobFile.open(path, maxBytes: 4096)
        }
    }
}
