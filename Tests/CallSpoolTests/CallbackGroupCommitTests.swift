@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// Pushes committed together (``CallbackCommitter``, ``AppDatabase/recordCallbacks(_:)``)
/// each get their own result: all are stored, a call's end is reported to
/// the push that ended it, and a push that cannot be stored fails alone.
@Suite struct CallbackGroupCommitTests {
    static func status(_ type: CallbackEventType, session: String, stateCode: Int? = nil) -> CallbackPush {
        var info = CallStatusInfo(sessionId: session, timestamp: "2026-11-21 10:00:00")
        info.stateCode = stateCode
        return CallbackPush(event: .status(type, info), body: "{}", now: CallbackFixture.now)
    }

    @Test func concurrentPushesAreAllCommittedWithTheirOwnResults() async throws {
        let fixture = try CallbackFixture()
        let rowID = try fixture.jobInCall("ends", session: "live-1")
        let committer = CallbackCommitter(database: fixture.database)
        let outcomes = await withTaskGroup(of: (String, CallbackCommit?).self) { group in
            for index in 0..<60 {
                group.addTask { ("stray-\(index)", try? await committer.commit(Self.status(.callout, session: "stray-\(index)")).get()) }
            }
            group.addTask { ("live-1", try? await committer.commit(Self.status(.disconnect, session: "live-1", stateCode: 0)).get()) }
            return await group.reduce(into: [(String, CallbackCommit?)]()) { $0.append($1) }
        }
        #expect(outcomes.count == 61)
        #expect(outcomes.allSatisfy { $0.1 != nil }, "a push failed")
        let strays = outcomes.filter { $0.0.hasPrefix("stray") }.compactMap(\.1)
        #expect(strays.count == 60 && strays.allSatisfy { $0.pending == 1 && $0.signals.isEmpty })
        let live = outcomes.first { $0.0 == "live-1" }?.1
        #expect(live?.signals.map(\.jobRowId) == [rowID])
        #expect(try fixture.count("callEvent") == 61)
        #expect(try fixture.job(rowID).state == .completed)
    }

    @Test func aPushThatCannotBeStoredFailsAlone() async throws {
        let fixture = try CallbackFixture()
        // A trigger standing in for a store-level failure of one session's rows.
        try await fixture.database.write { db in
            try db.execute("""
                CREATE TEMP TRIGGER refuse_poison BEFORE INSERT ON callEvent WHEN NEW.sessionId = 'poison'
                BEGIN SELECT RAISE(ABORT, 'refused for the test'); END
                """)
        }
        let results = await fixture.database.recordCallbacks([
            Self.status(.callout, session: "a"), Self.status(.callout, session: "poison"), Self.status(.callout, session: "b"),
        ])
        #expect(results.count == 3)
        #expect((try? results[0].get()) != nil)
        #expect((try? results[1].get()) == nil)
        #expect((try? results[2].get()) != nil)
        #expect(try fixture.count("callEvent") == 2)
    }
}
