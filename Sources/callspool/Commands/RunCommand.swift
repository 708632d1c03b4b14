import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon in the foreground (systemd runs this).")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return PhoneMaskingLogHandler(wrapping: handler)
        }
        let logger = Logger(label: "callspool")
        let configuration: Configuration
        do {
            configuration = try ConfigurationLoader().load(path: options.resolvedPath, purpose: .daemon)
        } catch {
            logger.critical("configuration error, not starting: \(error)")
            throw ExitStatus.environmentError
        }
        let parts: CallspoolDaemon.Parts
        do {
            // A shared store that is down or restarting is waited for (systemd
            // is told, and given more time to see READY=1); anything else stops here.
            let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
            let store = try await StoreStartup().open(configuration: configuration, logger: logger) { outage, wait in
                // The wait, plus the next attempt's connect timeout and then some.
                let extend = (wait + .seconds(30)).components.seconds * 1_000_000
                try? notifier?.send("STATUS=waiting for the store: \(outage)\nEXTEND_TIMEOUT_USEC=\(extend)")
            }
            parts = try CallspoolDaemon.makeParts(configuration: configuration, store: store, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitStatus.environmentError
        }
        logger.info("callspool starting", metadata: ["store": "\(configuration.store.path)", "spool": "\(configuration.spool.dir)", "version": "\(CallspoolDaemon.version)"])
        try await CallspoolDaemon.makeServiceGroup(parts: parts, logger: logger).run()
    }
}
