import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Logging
import Synchronization

/// Every line the daemon logged, rendered with metadata, captured through
/// ``PhoneMaskingLogHandler`` as `callspool run` installs it.
final class CapturedLog: Sendable {
    private let storage = Mutex<[String]>([])

    var text: String { storage.withLock { $0.joined(separator: "\n") } }

    func logger(label: String = "e2e") -> Logger {
        var logger = Logger(label: label) { _ in PhoneMaskingLogHandler(wrapping: Handler(log: self)) }
        logger.logLevel = .trace
        return logger
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
            log.storage.withLock { $0.append("\(event.level) \(event.message) \(rendered)" + (event.error.map { " error=\($0)" } ?? "")) }
        }
    }
}
