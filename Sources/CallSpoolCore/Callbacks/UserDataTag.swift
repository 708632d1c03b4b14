/// The `userData` callspool sends with every call, `cs1.<jobRowId>.<attempt>`,
/// and the platform echoes in `callout`/`alerting`/`answer`/`disconnect` and
/// fee CDRs: it is how a callback finds its job when the HTTP response that
/// carried the sessionId was lost.
public struct UserDataTag: Sendable, Hashable, CustomStringConvertible {
    public var jobRowId: Int64
    public var attempt: Int

    public init(jobRowId: Int64, attempt: Int) {
        self.jobRowId = jobRowId
        self.attempt = attempt
    }

    /// Parses `cs1.<jobRowId>.<attempt>`; nil for anything else (another
    /// application's userData, a tampered value).
    public init?(_ text: String?) {
        guard let text else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cs1", let row = Int64(parts[1]), let n = Int(parts[2]), row > 0, n > 0 else {
            return nil
        }
        self.init(jobRowId: row, attempt: n)
    }

    public var description: String { "cs1.\(jobRowId).\(attempt)" }
}
