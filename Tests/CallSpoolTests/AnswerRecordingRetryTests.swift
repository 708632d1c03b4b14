@testable import CallSpoolCore
@testable import CallSpoolPostgres
import Foundation
import Logging
import Synchronization
import Testing

/// Answers refused because this instance's dispatcher lease looked short a
/// moment (a renewal late under load) are tried again, not dropped: dropped,
/// their jobs stayed `dispatching` while the same lease went on (found by the
/// 1-hour PostgreSQL soak: 4 jobs of 54,000).
@Suite struct AnswerRecordingRetryTests {
    struct Unrelated: Error {}

    @Test func aLeaseRefusalIsTriedAgainUntilTheLeaseIsRenewed() async throws {
        let calls = Mutex(0)
        try await DispatchService.keepRecording(storage: nil, logger: Logger(label: "test"), interval: .milliseconds(5)) {
            let call = calls.withLock { $0 += 1; return $0 }
            if call <= 2 { throw PostgresStoreError.notLeader(instance: "b", epoch: 0) }
        }
        #expect(calls.withLock { $0 } == 3, "recorded on the third try, once the term was renewed")
    }

    @Test func aLeaseThatStaysLostIsGivenUpAfterTheGrace() async throws {
        let calls = Mutex(0)
        await #expect(throws: PostgresStoreError.self) {
            try await DispatchService.keepRecording(
                storage: nil, logger: Logger(label: "test"), interval: .milliseconds(5), leaseGrace: .milliseconds(60)
            ) {
                calls.withLock { $0 += 1 }
                throw PostgresStoreError.notLeader(instance: "b", epoch: 7)
            }
        }
        #expect(calls.withLock { $0 } > 1, "tried again within the grace")
    }

    @Test func anotherErrorIsNotTriedAgain() async throws {
        let calls = Mutex(0)
        await #expect(throws: Unrelated.self) {
            try await DispatchService.keepRecording(storage: nil, logger: Logger(label: "test"), interval: .milliseconds(5)) {
                calls.withLock { $0 += 1 }
                throw Unrelated()
            }
        }
        #expect(calls.withLock { $0 } == 1)
        #expect(PostgresStoreError.connectionLost("x").isDispatcherLeaseRefusal == false)
    }
}
