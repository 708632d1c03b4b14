@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
import Testing

/// `callspool status` for people: the last five errors, remaining pause time,
/// and colour only when asked for (a terminal).
@Suite struct StatusTextTests {
    @Test func lastFiveErrorsMostRecentFirstWithoutOperatorCancels() throws {
        let database = try AppDatabase.inMemory()
        for index in 0..<8 { try StoreFixtures.insertJob(database, id: "j\(index)") }
        try database.write { db in
            for index in 0..<7 {
                try db.execute("UPDATE job SET state = 'failed', errorCode = ?, errorDesc = ?, updatedAt = ? WHERE jobId = ?",
                    ["10130\(index)", "problem \(index)", 1_800_000_000 + index, "j\(index)"])
            }
            try db.execute("UPDATE job SET state = 'canceled', errorDesc = 'canceled by operator', updatedAt = 1900000000 WHERE jobId = 'j7'")
        }
        let view = try StatusView.load(from: database, portLimit: 10, now: Date())
        #expect(view.recentErrors.map(\.id) == ["j6", "j5", "j4", "j3", "j2"])
        #expect(view.recentErrors.first?.code == "101306")
        let text = view.text(now: Date())
        #expect(text.contains("last errors (most recent first)"))
        #expect(text.contains("j6 [failed] 101306 problem 6"))
        #expect(!text.contains("j1 ") && !text.contains("canceled by operator"))
    }

    @Test func colourOnlyWhenEnabled() throws {
        let database = try AppDatabase.inMemory()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try database.setPause(.global, reason: "platform flow control", code: "1010009", until: now.addingTimeInterval(42), now: now)
        let view = try StatusView.load(from: database, portLimit: 10, now: now)
        let plain = view.text(now: now)
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("NOT running"))
        #expect(plain.contains("(42s left)"))
        let coloured = view.text(now: now, style: TerminalStyle(enabled: true))
        #expect(coloured.contains("\u{1B}[31mNOT running\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[33mpaused\u{1B}[0m"))
    }
}
