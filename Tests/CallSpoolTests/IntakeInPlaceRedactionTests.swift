@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// Small verify files are redacted within their own inode (no new copy, no
/// removed original: on ext4 without a journal every freed inode slows
/// every later create for a minute); the copy-and-remove path stays for
/// files the daemon may not rewrite; a crash mid-way leaves no code behind.
@Suite struct IntakeInPlaceRedactionTests {
    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & 0o777
    }

    /// Before: each kept copy was a new file (another inode) and the
    /// original was removed.
    @Test func keptCopyIsTheOriginalInodeRedacted() throws {
        let spool = try SpoolFixture()
        let names = try IntakeBatchTests.dropSettled(spool, count: 5)
        // A code longer than the placeholder: the redacted text is shorter
        // than the original, and nothing of the old text may remain after it.
        let long = #"{"type":"verify","id":"long","calleeNbr":"+8613800000009","verifyCode":"12345678901234567890123","preTone":"p.wav"}"#
        try spool.drop("long.json", long)
        let all = names + ["long.json"]
        var inodes: [String: UInt64] = [:]
        for name in all { inodes[name] = Self.inode(spool.layout.incoming + "/" + name) }
        let outcomes = spool.intake.process(all.map { SpoolIntake.Request(name: $0, settled: true) })
        #expect(outcomes.count == all.count)
        for outcome in outcomes {
            guard case .success(.processed) = outcome.result else {
                Issue.record("\(outcome.name): \(outcome.result)")
                continue
            }
        }
        #expect(spool.listing(spool.layout.incoming).isEmpty)
        for name in all {
            let kept = spool.layout.processed + "/" + name
            #expect(Self.inode(kept) == inodes[name], "\(name) was copied, not redacted in place")
            #expect(Self.mode(kept) == 0o600)
            let text = try String(contentsOfFile: kept, encoding: .utf8)
            #expect(text.contains(#""verifyCode":"[erased]""#))
            #expect(!text.contains("1234"))
            #expect(try spool.report(in: spool.layout.processed, for: name).accepted == (name == "long.json" ? 0 : 1))
        }
        let redactedLong = long.replacingOccurrences(of: #""12345678901234567890123""#, with: #""[erased]""#)
        #expect(try String(contentsOfFile: spool.layout.processed + "/long.json", encoding: .utf8) == redactedLong)
        #expect(spool.listing(spool.layout.processed).count == 2 * all.count)
    }

    /// A file with another link cannot be rewritten (the other name would
    /// change too): it is copied, redacted, and the original zeroed.
    @Test func linkedFileKeepsTheCopyPath() throws {
        let spool = try SpoolFixture()
        let names = try IntakeBatchTests.dropSettled(spool, count: 1)
        let original = spool.layout.incoming + "/" + names[0]
        let other = spool.layout.tmp + "/other-link"
        #expect(link(original, other) == 0)
        let before = Self.inode(original)
        let outcomes = spool.intake.process([SpoolIntake.Request(name: names[0], settled: true)])
        guard case .success(.processed) = outcomes.first?.result else {
            Issue.record("\(outcomes)")
            return
        }
        let kept = spool.layout.processed + "/" + names[0]
        #expect(Self.inode(kept) != before)
        #expect(Self.mode(kept) == 0o600)
        #expect(try String(contentsOfFile: kept, encoding: .utf8).contains("[erased]"))
        let left = try Data(contentsOf: URL(fileURLWithPath: other))
        #expect(!left.isEmpty && left.allSatisfy { $0 == 0 }, "the original was not zeroed")
        #expect(spool.listing(spool.layout.incoming).isEmpty)
    }

    /// What a crash between the move out of incoming/ and the final name
    /// leaves: the original, codes and all, under `.NAME.redacting`. The
    /// next start zeroes and removes it before taking anything in.
    @Test(.timeLimit(.minutes(1)))
    func leftoverOfACrashIsErasedAtStart() async throws {
        let spool = try SpoolFixture()
        let leftover = spool.layout.processed + "/.crashed.json.redacting"
        try Data(JobText.verify("crashed").utf8).write(to: URL(fileURLWithPath: leftover))
        let watcher = spool.layout.tmp + "/watcher"
        #expect(link(leftover, watcher) == 0)
        let oldCopy = spool.layout.rejected + "/.old.json.redacting"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: oldCopy))
        try spool.drop("early.json", JobText.verify("early"))
        let (results, continuation) = AsyncStream.makeStream(of: String.self)
        let service = IntakeService(intake: spool.intake, settle: .seconds(2), rescanInterval: .seconds(3600)) { result in
            if case .processed(let report) = result { continuation.yield(report.file) }
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        var iterator = results.makeAsyncIterator()
        #expect(await iterator.next() == "early.json")
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(!FileManager.default.fileExists(atPath: oldCopy))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: watcher))
        #expect(!bytes.isEmpty && bytes.allSatisfy { $0 == 0 }, "the leftover's codes were not overwritten")
        #expect(spool.listing(spool.layout.processed) == ["early.json", "early.json.report.json"])
    }
}
