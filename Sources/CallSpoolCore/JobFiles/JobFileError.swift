/// Why a job file could not be read at all (it goes to `rejected/`).
///
/// Intake decides from ``kind`` whether waiting can help (a file still being
/// written may be cut short or unreadable for a moment) or the file is refused
/// at once; ``reason`` is only the text the user reads in the report, so its
/// wording can change without changing any decision.
public struct JobFileError: Error, Sendable, CustomStringConvertible, Hashable {
    /// What kind of problem keeps the file out.
    public enum Kind: Sendable, Hashable {
        /// The name does not end in `.json` or `.jsonl`.
        case unknownFormat
        /// Over `spool.max_file_bytes`: never read.
        case tooLarge
        /// A FIFO, socket, device, directory or link.
        case notRegularFile
        /// The file could not be read (permissions, I/O): may work later.
        case unreadable
        /// The content is not a job file (a campaign's structure or
        /// defaults wrong): may be a file still being written.
        case malformed
        /// The content is not one JSON object at all (empty, blanks, a
        /// syntax error, another JSON value, bytes after it): may be a file
        /// still being written; over HTTP, an unreadable request (400).
        case notJSONObject
    }

    public var file: String
    public var kind: Kind
    public var reason: String

    public init(file: String, kind: Kind, reason: String) {
        self.file = file
        self.kind = kind
        self.reason = reason
    }

    /// Whether reading the same file again can never succeed, so intake
    /// rejects it without waiting for it to settle: its name or its size
    /// alone rule it out.
    public var isPermanent: Bool {
        switch kind {
        case .unknownFormat, .tooLarge: true
        case .notRegularFile, .unreadable, .malformed, .notJSONObject: false
        }
    }

    public var description: String { "\(file): \(reason)" }
}
