import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing

/// `[store] url … ?sslmode=`: the connection is encrypted when asked, and a
/// wrong mode or parameter is a configuration error naming it.
@Suite struct PostgresTLSTests {
    static var canTest: Bool { PostgresCluster.shared?.tls ?? false }

    @Test(.enabled(if: canTest, "needs the test PostgreSQL cluster with its TLS certificate (initdb, pg_ctl, openssl)"),
        arguments: [("require", true), ("prefer", true), ("disable", false)])
    func theConnectionIsEncryptedAsAsked(mode: String, encrypted: Bool) throws {
        let cluster = try #require(PostgresCluster.shared)
        let store = try PostgresStore.open(PostgresStore.Settings(url: try cluster.makeDatabase() + "?sslmode=\(mode)", instance: "tls"))
        defer { store.close() }
        #expect(try store.connectionIsEncrypted() == encrypted)
        #expect(try store.stateCounts()[.queued] == 0)
    }

    @Test(arguments: ["?sslmode=sometimes", "?ssl=true"])
    func aWrongParameterIsNamed(query: String) {
        #expect(throws: PostgresStoreError.self) { try PostgresStore.Settings(url: "postgresql://u@db.example.com/callspool" + query, instance: "x") }
    }

    @Test func verifyFullIsRead() throws {
        let settings = try PostgresStore.Settings(url: "postgresql://u@db.example.com:6432/callspool?sslmode=verify-full", instance: "x")
        #expect(settings.tls == .verifyFull)
        #expect(settings.port == 6432)
    }
}
