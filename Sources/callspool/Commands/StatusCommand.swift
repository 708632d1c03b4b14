import ArgumentParser
import CallSpool
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Daemon liveness, counts per state, ports, pauses and halts.")
    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Machine-readable output.") var json = false

    func run() throws {
        let context = try StoreContext.open(options)
        let view = try StatusView.load(from: context.database, portLimit: context.configuration.limits.maxConcurrentCalls, now: Date())
        if json { try printJSON(view) } else { print(view.text(now: Date(), style: TerminalStyle(enabled: isatty(STDOUT_FILENO) == 1))) }
    }
}
