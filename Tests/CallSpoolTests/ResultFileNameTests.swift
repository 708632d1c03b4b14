@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// Results files are named after the job id, encoded so that any id is a
/// safe, distinct, bounded file name inside results.dir.
@Suite struct ResultFileNameTests {
    @Test func plainIdsKeepTheirName() {
        #expect(ResultFileName.forJob(id: "appt-7") == "appt-7.json")
        #expect(ResultFileName.forJob(id: "Flu_2026.batch-3") == "Flu_2026.batch-3.json")
    }

    @Test func slashesLeadingDotsAndPercentAreEncoded() {
        #expect(ResultFileName.encode("../etc/passwd") == "%2E.%2Fetc%2Fpasswd")
        #expect(ResultFileName.encode(".hidden") == "%2Ehidden")
        #expect(ResultFileName.encode("a b%c~d") == "a%20b%25c%7Ed")
        #expect(ResultFileName.encode("患者") == "%E6%82%A3%E8%80%85")
        for id in ["/", ".", "..", "a/b", "~", "%2F"] {
            let name = ResultFileName.forJob(id: id)
            #expect(!name.contains("/"), "\(name)")
            #expect(!name.hasPrefix("."), "\(name)")
        }
    }

    @Test func distinctIdsGiveDistinctNames() {
        let ids = ["a/b", "a%2Fb", "a%252Fb", ".a", "%2Ea", "a", "A", "a.", "a~", "a%7E"]
        #expect(Set(ids.map(ResultFileName.encode)).count == ids.count)
        // Long ids differing only at the end stay apart.
        let long = String(repeating: "x", count: 199)
        #expect(ResultFileName.encode(long + "1") != ResultFileName.encode(long + "2"))
    }

    @Test func longIdsAreBoundedAndNeverCutAnEscape() {
        for id in [String(repeating: "é", count: 200), String(repeating: "x", count: 200), String(repeating: "/", count: 200), "ab" + String(repeating: "/", count: 198)] {
            let name = ResultFileName.forJob(id: id)
            #expect(name.utf8.count <= 255, "\(name.utf8.count)")
            #expect(name.utf8.count <= ResultFileName.keptPrefixLength + 1 + 64 + 5)
            let stem = name.dropLast(5)
            let prefix = stem.split(separator: "~")[0]
            // Every % is followed by two hex digits.
            let parts = prefix.split(separator: "%", omittingEmptySubsequences: false).dropFirst()
            #expect(parts.allSatisfy { $0.count >= 2 && $0.prefix(2).allSatisfy(\.isHexDigit) }, "\(prefix)")
        }
        // Within the bound, no hash.
        #expect(!ResultFileName.encode(String(repeating: "x", count: 180)).contains("~"))
        #expect(ResultFileName.encode(String(repeating: "x", count: 181)).contains("~"))
    }

    @Test func outboxWritesAnUnsafeIdInsideTheDirectory() async throws {
        let fixture = try CallbackFixture(resultsDir: true)
        let dir = try #require(fixture.results).path + "/results"
        try await fixture.outbox.prepare()
        let row = try fixture.insertJob("../escape/.x")
        try fixture.move(row, to: .expired)
        #expect(await fixture.outbox.drain() == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["%2E.%2Fescape%2F.x.json"])
        #expect(!FileManager.default.fileExists(atPath: try #require(fixture.results).path + "/escape"))
    }
}
