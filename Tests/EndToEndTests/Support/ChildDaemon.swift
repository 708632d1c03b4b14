import CallSpoolCLI
import Foundation

/// The built `callspool` executable running `callspool run --config FILE` as
/// a child process (stdout and stderr to `log`), for tests that kill it.
final class ChildDaemon {
    let process = Process()
    let log: String

    struct NotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "the callspool executable was not found (build it: swift build); looked at \(searched)" }
    }

    /// `callspool` next to the test binary (`.build/<triple>/debug/`), or `$CALLSPOOL_BINARY`.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["CALLSPOOL_BINARY"] { candidates.append(URL(fileURLWithPath: explicit)) }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(testBinary.deletingLastPathComponent().appendingPathComponent("callspool"))
        // macOS: .../debug/callspoolPackageTests.xctest/Contents/MacOS/callspoolPackageTests
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("callspool"))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        throw NotFound(searched: candidates.map(\.path))
    }

    init(executable: URL, config: String, log: String) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        output.seekToEndOfFile()
        process.executableURL = executable
        process.arguments = ["run", "--config", config, "--log-level", "notice"]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` and waits for the process to end.
    func stop(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }

    /// The last lines of its log, for failure messages.
    var logTail: String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
func isListening(port: Int) -> Bool {
    guard let descriptor = LoopbackConnection.open(port: port) else { return false }
    close(descriptor)
    return true
}
