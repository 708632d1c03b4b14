/// Why a job file could not be read at all (it goes to `rejected/`).
public struct JobFileError: Error, Sendable, CustomStringConvertible, Hashable {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
