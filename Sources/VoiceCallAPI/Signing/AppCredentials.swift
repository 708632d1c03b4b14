/// The application's key and secret. The secret never appears in
/// `description`, so logging a credentials value cannot leak it.
public struct AppCredentials: Sendable, Hashable, CustomStringConvertible {
    public var appKey: String
    public var appSecret: String

    public init(appKey: String, appSecret: String) {
        self.appKey = appKey
        self.appSecret = appSecret
    }

    public var description: String { "AppCredentials(appKey: \(appKey), appSecret: <redacted>)" }
}
