/// Why the callback receiver cannot start.
public enum CallbackReceiverError: Error, Sendable, CustomStringConvertible {
    case missingAppSecret

    public var description: String {
        switch self {
        case .missingAppSecret:
            "callbacks.verify_signatures is true but no app secret is configured: set platform.app_secret_file, "
                + "CALLSPOOL_APP_SECRET or platform.app_secret (or verify_signatures = false behind an authenticating proxy)"
        }
    }
}
