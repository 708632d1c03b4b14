import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Operations on the store itself.", subcommands: [StoreMigrateCommand.self])
}

/// `callspool store migrate --from PATH --to URL`: SQLite → PostgreSQL.
struct StoreMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a stopped SQLite store into an empty PostgreSQL database, verified by counts.",
        discussion: """
            Stop the daemon first. The copy is one transaction: on any error the PostgreSQL database stays empty. \
            The password comes from --password-file, the systemd credential store_password or $CALLSPOOL_STORE_PASSWORD. \
            Afterwards set [store] url in the configuration and start the instances.
            """)

    @Option(name: .long, help: "The SQLite store file ([store] path).") var from: String
    @Option(name: .long, help: "The PostgreSQL database: postgresql://user@host:port/database.") var to: String
    @Option(name: .long, help: "A file holding the PostgreSQL password (mode 600).") var passwordFile: String?

    func run() throws {
        guard FileManager.default.fileExists(atPath: from) else {
            printToStandardError("callspool: no SQLite store at \(from)")
            throw ExitStatus.userError
        }
        do {
            let password = try ConfigurationLoader().loadStorePassword(file: passwordFile, config: "--password-file")
            let settings = try PostgresStore.Settings(url: to, password: password, instance: ProcessInfo.processInfo.hostName)
            let source = try AppDatabase.open(path: from, readonly: true)
            let target = try PostgresStore.open(settings)
            defer { target.close() }
            let counts = try StoreCopy.copy(from: source, to: target)
            print("copied \(from) → \(settings.displayURL)")
            for (table, rows) in counts { print("  \(table.padding(toLength: 14, withPad: " ", startingAt: 0)) \(rows) rows (verified)") }
            print("next: set [store] url = \"\(settings.configurationURL)\" in the configuration, then start the instances")
        } catch let error as StoreCopy.CopyError {
            printToStandardError("callspool: \(error)")
            throw ExitStatus.userError
        } catch {
            printToStandardError("callspool: store migrate failed: \(error)")
            throw ExitStatus.environmentError
        }
    }
}
