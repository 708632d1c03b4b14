import Foundation
import VoiceCallAPI

/// A job's last error as `status` shows it.
public struct RecentError: Codable, Sendable, Equatable {
    public var id: String
    public var state: String
    public var code: String?
    public var description: String?
    public var at: String

    package init(id: String, state: String, code: String? = nil, description: String? = nil, at: String) {
        self.id = id
        self.state = state
        self.code = code
        self.description = description
        self.at = at
    }
}
