import ArgumentParser
import Foundation

/// `--config PATH`, shared by every command that needs the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).", valueName: "path"))
    var config: String?

    var resolvedPath: String {
        config ?? ProcessInfo.processInfo.environment["CALLSPOOL_CONFIG"] ?? "/etc/callspool/callspool.toml"
    }
}

/// Exit codes of docs/cli-json.md: 0 ok, 1 user error, 2 environment error.
enum ExitStatus {
    static let userError = ExitCode(1)
    static let environmentError = ExitCode(2)
}
