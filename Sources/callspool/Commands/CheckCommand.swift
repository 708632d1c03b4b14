import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI

/// `callspool check [--json]`: the configuration doctor.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the configuration as `run` would load it; never places a call.",
        discussion: """
            One line per check: the app secret (found, not readable by others), the spool directories \
            (exist, writable by the service user, one file system), the store (opens, schema current; with [store] url: \
            connects with the password found as run finds it, shows the server's version, never migrates), \
            results.dir, the callback URLs (the platform's rules) against the listen address, the display \
            numbers, and this machine's clock against the platform's Date header (the platform refuses \
            requests more than 15 minutes off). Run as root it judges access for the callspool user. \
            Exit status: 0 when nothing is wrong (warnings allowed), 1 on any problem. \
            callspool.service runs it as ExecStartPre=, so a broken configuration fails at start with its reason in the journal.
            """)
    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Machine-readable output.") var json = false

    func run() async throws {
        let report = await ConfigDoctor().check(configPath: options.resolvedPath)
        if json { try printJSON(report) } else { print(report.text) }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
