@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Synchronization

/// Every line logged through its handlers, rendered with metadata, so tests
/// can read the whole log (wrap the handler in ``PhoneMaskingLogHandler`` to
/// test what the daemon would write).
final class CapturedLog: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }
    var text: String { lines.joined(separator: "\n") }

    func append(_ line: String) { storage.withLock { $0.append(line) } }

    /// The lines (the name the callback tests use).
    var messages: [String] { lines }

    /// A logger writing here, unmasked.
    var logger: Logger { logger(label: "captured", masking: false) }

    /// A logger writing here, through the phone-masking wrapper when `masking`.
    func logger(label: String = "test", masking: Bool) -> Logger {
        let handler = Handler(log: self)
        return Logger(label: label) { _ -> any LogHandler in masking ? PhoneMaskingLogHandler(wrapping: handler) : handler }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
            let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.append("\(event.level) \(event.message) \(rendered)" + (event.error.map { " error=\($0)" } ?? ""))
        }
    }
}
