@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import Testing
import VoiceCallAPI

/// The rename race of issue 12: a regular file and a FIFO renamed in turn
/// over one name in incoming/ while the real intake service runs. Before the
/// fix intake stat'ed a regular file, then opened the FIFO by name and
/// blocked in open(2) for good; nothing after it was ever queued.
@Suite struct IntakeRaceTests {
    @Test(.timeLimit(.minutes(2)))
    func fifoRenameRaceNeverWedgesIntake() async throws {
        let spool = try SpoolFixture()
        let settle = Duration.milliseconds(200)
        let (results, continuation) = AsyncStream.makeStream(of: String.self)
        let service = IntakeService(intake: spool.intake, settle: settle, rescanInterval: .seconds(1)) { result in
            if case .processed(let report) = result { continuation.yield(report.file) }
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        let incoming = spool.layout.incoming + "/race.json"
        let job = Data(JobText.verify("race").utf8)
        for round in 0..<3_000 {
            let fifo = spool.layout.tmp + "/race.fifo", file = spool.layout.tmp + "/race.file"
            #expect(mkfifo(fifo, 0o660) == 0)
            try job.write(to: URL(fileURLWithPath: file))
            let order = round.isMultiple(of: 2) ? [fifo, file] : [file, fifo]
            for path in order { #expect(rename(path, incoming) == 0) }
        }
        try spool.drop("after-race.json", JobText.verify("after-race"))
        // Wedged intake never queues it; a working one does within settle +
        // a rescan. The bound is generous for a loaded CI machine: how fast
        // is for the benchmarks, this test is about never blocking.
        let queuedWithin = settle + .seconds(10)
        let arrived = await firstResult(named: "after-race.json", in: results, within: queuedWithin)
        #expect(arrived, "a valid file dropped after the race was not queued: intake is wedged")
        #expect(try spool.database.jobDetail(id: "after-race") != nil)
        await group.triggerGracefulShutdown()
        try await running.value
        // Every FIFO that intake saw went to rejected/ with a report saying what it was.
        for name in spool.listing(spool.layout.rejected) where name.hasSuffix(".report.json") {
            let report = try JSONDecoder().decode(FileReport.self, from: Data(contentsOf: URL(fileURLWithPath: spool.layout.rejected + "/" + name)))
            #expect(report.error?.contains("FIFO") == true || report.error?.contains("not valid") == true, "\(name): \(report.error ?? "-")")
        }
    }

    /// Whether `name` comes out of `results` within `limit`.
    private func firstResult(named name: String, in results: AsyncStream<String>, within limit: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await file in results where file == name { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
