import Foundation

/// A change asked for by the CLI (`cancel`, `retry`, `pause`, `resume`),
/// stored as an intent the daemon applies within a second. Encoded as the
/// intent row's kind and JSON argument.
public enum ControlIntent: Sendable, Hashable, Codable {
    case cancel(ids: [String], campaign: String?)
    case retry(ids: [String], state: JobState?, campaign: String?)
    case pause(campaign: String?)
    case resume(campaign: String?)

    public var kind: String {
        switch self {
        case .cancel: "cancel"
        case .retry: "retry"
        case .pause: "pause"
        case .resume: "resume"
        }
    }

    public func encoded() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> ControlIntent {
        try JSONDecoder().decode(ControlIntent.self, from: Data(text.utf8))
    }
}
