import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Daemon liveness, counts per state, ports, pauses and halts.",
        discussion: """
            Exit status, as `systemctl is-active` does it, so scripts and monitors can test it: \
            0 when the daemon is running (a fresh heartbeat from a live process), 3 when it is not \
            (the status is printed either way), 2 when the configuration or the store cannot be read \
            (a missing store is never created by this command).
            """)
    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Machine-readable output.") var json = false

    func run() throws {
        let context = try StoreContext.open(options, readonly: true)
        let configuration = context.configuration
        let storage = StatusView.StorageCheck(
            watched: configuration.watchedFilesystems,
            minFree: configuration.store.minFreeBytes)
        let view = try StatusView.load(from: context.database, portLimit: configuration.limits.maxConcurrentCalls, now: Date(), storage: storage, applications: configuration.applications,
            webhooks: configuration.webhooks.map(\.name))
        if json { try printJSON(view) } else { print(view.text(now: Date(), style: TerminalStyle(enabled: isatty(STDOUT_FILENO) == 1))) }
        if view.exitStatus != 0 { throw ExitCode(view.exitStatus) }
    }
}
