@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Synchronization
import Testing
import VoiceCallAPI

/// Storage trouble is a state, not a crash: classification of failures, the
/// low-space pause, recovery, and the bounded buffer of unstored events.
@Suite struct StorageHealthTests {
    @Test func fullReadOnlyAndIOErrorsAreStorageFailuresOthersAreNot() {
        #expect(StorageFailure.reason(for: SQLiteInspection.error(.full)) != nil)
        #expect(StorageFailure.reason(for: SQLiteInspection.error(.readOnly)) != nil)
        #expect(StorageFailure.reason(for: SQLiteInspection.error(.ioError)) != nil)
        #expect(StorageFailure.reason(for: POSIXError(.ENOSPC)) != nil)
        #expect(StorageFailure.reason(for: SQLiteInspection.error(.constraint)) == nil)
        #expect(StorageFailure.reason(for: CancellationError()) == nil)
    }

    @Test func aWriteFailureIsOneStateChangeUntilRecovered() {
        let health = StorageHealth()
        let now = Date()
        #expect(!health.pausesWork)
        #expect(health.recordFailure(SQLiteInspection.error(.full), at: now))
        #expect(health.recordFailure(SQLiteInspection.error(.full), at: now.addingTimeInterval(5)))
        #expect(health.current.failingSince == now)
        #expect(health.pausesWork)
        #expect(health.current.reason?.contains("storage halt") == true)
        health.recordRecovered()
        #expect(!health.pausesWork)
        #expect(!health.recordFailure(SQLiteInspection.error(.constraint), at: now))
        #expect(!health.pausesWork)
    }

    final class FreeSpace: Sendable {
        let bytes = Mutex<Int64>(1 << 30)
    }

    @Test func lowSpacePausesWithARecordAndResumesWhenSpaceReturns() async throws {
        let database = try AppDatabase.inMemory()
        let health = StorageHealth()
        let free = FreeSpace()
        let recovered = Mutex(0)
        let monitor = StorageMonitor(
            health: health, database: database, watched: [("/var/lib/callspool", "store.path")], minFree: 64 << 20,
            clock: SystemWallClock(), freeSpace: { _ in free.bytes.withLock { $0 } }, onRecovered: { recovered.withLock { $0 += 1 } },
            logger: Logger(label: "test"))
        await monitor.check()
        #expect(!health.pausesWork)
        free.bytes.withLock { $0 = 10 << 20 }
        await monitor.check()
        #expect(health.pausesWork)
        let pause = try #require(try database.activePauses(now: Date())[.storage])
        #expect(pause.reason.contains("store.path"))
        #expect(pause.reason.contains("10 MiB"))
        free.bytes.withLock { $0 = 1 << 30 }
        await monitor.check()
        #expect(!health.pausesWork)
        #expect(try database.activePauses(now: Date())[.storage] == nil)
    }

    @Test func aWriteFailureEndsWhenAProbeWriteSucceeds() async throws {
        let database = try AppDatabase.inMemory()
        let health = StorageHealth()
        let recovered = Mutex(0)
        let monitor = StorageMonitor(
            health: health, database: database, watched: [], minFree: 0, clock: SystemWallClock(),
            onRecovered: { recovered.withLock { $0 += 1 } }, logger: Logger(label: "test"))
        health.recordFailure(SQLiteInspection.error(.full), at: Date())
        await monitor.check()
        #expect(!health.pausesWork)
        #expect(recovered.withLock { $0 } == 1)
        #expect(try database.pauses().isEmpty, "the probe leaves nothing behind")
    }

    @Test func theUnstoredBufferIsBoundedInCountAndAge() async {
        let buffer = UnstoredStatusEvents(maxCount: 3, maxAge: .seconds(60))
        let start = Date(timeIntervalSince1970: 1_000_000)
        let info = CallStatusInfo(sessionId: "s")
        for n in 0..<5 {
            await buffer.keep(.init(event: .status(.collectInfo, info), body: "\(n)", nonce: nil, receivedAt: start.addingTimeInterval(Double(n))))
        }
        #expect(await buffer.count == 3)
        #expect(await buffer.dropped == 2)
        let kept = await buffer.startFlush(now: start.addingTimeInterval(10))
        #expect(kept?.map(\.body) == ["2", "3", "4"])
        #expect(await buffer.startFlush(now: start) == nil, "one flush at a time")
        await buffer.finishFlush(putBack: kept ?? [], now: start.addingTimeInterval(120))
        #expect(await buffer.count == 0, "too old by then")
        #expect(await buffer.dropped == 5)
    }

    @Test func minFreeTakesSizes() throws {
        #expect(ByteSize.parse("64MiB") == 64 << 20)
        #expect(ByteSize.parse("512 KiB") == 512 << 10)
        #expect(ByteSize.parse("100MB") == 100_000_000)
        #expect(ByteSize.parse("lots") == nil)
        let loader = ConfigurationLoader(environment: [:])
        let config = try loader.parse(ConfigurationTests.minimal + "\n[store]\nmin_free = \"1GiB\"\n", file: "t.toml", purpose: .daemon)
        #expect(config.store.minFreeBytes == 1 << 30)
        #expect(try loader.parse(ConfigurationTests.minimal, file: "t.toml", purpose: .daemon).store.minFreeBytes == 64 << 20)
        #expect(throws: ConfigurationError.self) {
            try loader.parse(ConfigurationTests.minimal + "\n[store]\nmin_free = \"lots\"\n", file: "t.toml", purpose: .daemon)
        }
    }
}
