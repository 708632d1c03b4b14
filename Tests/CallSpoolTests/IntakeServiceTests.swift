@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import ServiceLifecycle
import Testing
import VoiceCallAPI

@Suite struct IntakeServiceTests {
    /// Runs the real service (inotify thread included) and waits for results
    /// through its callback, never by sleeping.
    @Test(.timeLimit(.minutes(1)))
    func processesFilesPresentAtStartAndDroppedWhileRunning() async throws {
        let spool = try SpoolFixture()
        try spool.drop("early.json", JobText.verify("early"))
        let (results, continuation) = AsyncStream.makeStream(of: String.self)
        let service = IntakeService(intake: spool.intake, settle: .seconds(2), rescanInterval: .seconds(3600)) { result in
            switch result {
            case .processed(let report), .rejected(let report): continuation.yield(report.file)
            default: break
            }
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        var iterator = results.makeAsyncIterator()
        #expect(await iterator.next() == "early.json")
        try spool.drop("late.jsonl", JobText.verify("late"))
        #expect(await iterator.next() == "late.jsonl")
        // A broken file renamed in is rejected once its (old) mtime says it has settled.
        let broken = spool.layout.tmp + "/broken.json"
        try Data("{\"type\":".utf8).write(to: URL(fileURLWithPath: broken))
        var times = [timeval(tv_sec: 1_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000, tv_usec: 0)]
        #expect(utimes(broken, &times) == 0)
        #expect(rename(broken, spool.layout.incoming + "/broken.json") == 0)
        #expect(await iterator.next() == "broken.json")
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try spool.database.jobDetail(id: "early") != nil)
        #expect(try spool.database.jobDetail(id: "late") != nil)
        #expect(spool.listing(spool.layout.rejected) == ["broken.json", "broken.json.report.json"])
    }
}
