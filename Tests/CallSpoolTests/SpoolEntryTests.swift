@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Testing
import VoiceCallAPI

/// Hostile entries in incoming/: whatever a writer renames in, intake answers
/// with a report and never blocks (issue 12, items 1–2).
@Suite struct SpoolEntryTests {
    /// Before the fix, a FIFO reached `open` by name without O_NONBLOCK and
    /// the intake thread blocked there forever.
    @Test(.timeLimit(.minutes(1)))
    func fifoSocketDirectoryAndLinkAreRejectedWithAReportWithoutBlocking() throws {
        let spool = try SpoolFixture()
        #expect(mkfifo(spool.layout.incoming + "/pipe.json", 0o660) == 0)
        #expect(mkdir(spool.layout.incoming + "/dir.json", 0o750) == 0)
        #expect(symlink("/etc/passwd", spool.layout.incoming + "/link.json") == 0)
        let socketPath = spool.layout.incoming + "/sock.json"
        let socketFD = try bindUnixSocket(at: socketPath)
        defer { close(socketFD) }
        let expected = ["pipe.json": "FIFO", "dir.json": "directory", "link.json": "symbolic links", "sock.json": "socket"]
        for (name, word) in expected.sorted(by: { $0.key < $1.key }) {
            guard case .rejected(let report) = try spool.intake.process(name: name, settled: false) else {
                Issue.record("\(name) was not rejected")
                continue
            }
            #expect(report.error?.contains(word) == true, "\(name): \(report.error ?? "-")")
            #expect(try spool.report(in: spool.layout.rejected, for: name).error == report.error)
        }
        #expect(spool.listing(spool.layout.incoming).isEmpty)
    }

    /// Before the fix a `.jsonl` was only opened by the reader, whose error
    /// escaped `process`: the file stayed in incoming/ and every rescan logged
    /// it again. Root reads anything, so the test injects the EACCES.
    @Test func unreadableFileIsRejectedOnceNamingTheError() throws {
        var spool = try SpoolFixture()
        try spool.drop("secret.jsonl", JobText.verify("unreadable-1"))
        spool.intakeFileSystem.open = { path, flags in
            guard !path.hasSuffix("/secret.jsonl") || access(path, F_OK) != 0 else { errno = EACCES; return -1 }
            return Glibc.open(path, flags)
        }
        guard case .notReady = try spool.intake.process(name: "secret.jsonl", settled: false) else {
            Issue.record("an unreadable file not yet settled must wait")
            return
        }
        guard case .rejected(let report) = try spool.intake.process(name: "secret.jsonl", settled: true) else {
            Issue.record("an unreadable settled file must be rejected")
            return
        }
        #expect(report.error?.contains("Permission denied") == true)
        #expect(spool.listing(spool.layout.rejected) == ["secret.jsonl", "secret.jsonl.report.json"])
        guard case .skipped = try spool.intake.process(name: "secret.jsonl", settled: true) else {
            Issue.record("a rejected file is gone from incoming/")
            return
        }
    }

    /// Before the fix every rescan wrote a new `NAME.N.report.json` and
    /// logged an error, without end.
    @Test func entryThatCannotBeMovedGetsOneReportAndOneLogLineUntilItChanges() async throws {
        var spool = try SpoolFixture()
        let log = CapturedLog()
        spool.intakeFileSystem.rename = { from, to in
            guard !from.hasSuffix("/incoming/stuck.json") else { errno = EACCES; return -1 }
            return Glibc.rename(from, to)
        }
        var intake = spool.intake
        intake.logger = log.logger(masking: false)
        let service = IntakeService(intake: intake, settle: .milliseconds(1), rescanInterval: .seconds(3600))
        try spool.drop("stuck.json", JobText.notify("stuck-1"))
        for _ in 0..<5 {
            await service.handle("stuck.json", announced: true)
            await service.rescan()
        }
        #expect(spool.listing(spool.layout.processed) == ["stuck.json.report.json"])
        #expect(try spool.report(in: spool.layout.processed, for: "stuck.json").notMoved?.contains("Permission denied") == true)
        #expect(log.lines.filter { $0.contains("stuck.json") && $0.hasPrefix("error") }.count == 1)
        #expect(spool.listing(spool.layout.incoming) == ["stuck.json"])
        // Changed: looked at again (one more report).
        var times = [timeval(tv_sec: 1_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000, tv_usec: 0)]
        #expect(utimes(spool.layout.incoming + "/stuck.json", &times) == 0)
        await service.rescan()
        #expect(spool.listing(spool.layout.processed).filter { $0.hasSuffix(".report.json") }.count == 2)
    }

    /// Before the fix `*.report.json` names were ignored, so a dropped report
    /// stayed in incoming/ forever unnoticed.
    @Test func reportFileDroppedIntoIncomingIsRejected() throws {
        let spool = try SpoolFixture()
        try spool.drop("old.report.json", #"{"file":"old.json"}"#)
        guard case .rejected(let report) = try spool.intake.process(name: "old.report.json", settled: false) else {
            Issue.record("a report file in incoming/ must be rejected")
            return
        }
        #expect(report.error?.contains("report files are written by callspool") == true)
        #expect(spool.listing(spool.layout.incoming).isEmpty)
        #expect(spool.listing(spool.layout.rejected).contains("old.report.json"))
    }

    private func bindUnixSocket(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        return fd
    }
}
