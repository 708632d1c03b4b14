/// Durations of the parts of a call the callee profile does not choose, and
/// the fee push policy, in simulated seconds.
public struct PlaybackTiming: Codable, Sendable {
    /// From `callout` to `alerting` (and to the disconnect of calls that never ring). Default 1.
    public var calloutSeconds: Double?
    /// From `disconnect` to the fee CDR being queued. Default 1.
    public var feeDelaySeconds: Double?
    /// CDRs queued within this window go out together (at most 50 per POST). Default 1.
    public var feeBatchWindowSeconds: Double?
    /// Wait between re-pushes of a CDR batch the receiver refused. Default 3600 (the reference's hour).
    public var feeRetryIntervalSeconds: Double?
    /// Re-pushes after the first push. Default 6.
    public var feeMaxRetries: Int?
    /// Seconds one playback of a verification code takes. Default 4.
    public var verifyPlaySeconds: Double?
    /// How long after a call ends its port is still counted busy in the
    /// `idlePort` of answers, though admission can already use it: the
    /// platform's idle-port count lags its own release of the port (the
    /// disconnect push and the platform's bookkeeping race). Default 0 (no
    /// lag); the campaign benchmark uses 1.
    public var idlePortLagSeconds: Double?

    public init(
        calloutSeconds: Double? = nil, feeDelaySeconds: Double? = nil, feeBatchWindowSeconds: Double? = nil,
        feeRetryIntervalSeconds: Double? = nil, feeMaxRetries: Int? = nil, verifyPlaySeconds: Double? = nil,
        idlePortLagSeconds: Double? = nil
    ) {
        self.calloutSeconds = calloutSeconds
        self.feeDelaySeconds = feeDelaySeconds
        self.feeBatchWindowSeconds = feeBatchWindowSeconds
        self.feeRetryIntervalSeconds = feeRetryIntervalSeconds
        self.feeMaxRetries = feeMaxRetries
        self.verifyPlaySeconds = verifyPlaySeconds
        self.idlePortLagSeconds = idlePortLagSeconds
    }

    public struct Resolved: Sendable, Hashable {
        public var calloutSeconds: Double
        public var feeDelaySeconds: Double
        public var feeBatchWindowSeconds: Double
        public var feeRetryIntervalSeconds: Double
        public var feeMaxRetries: Int
        public var verifyPlaySeconds: Double
        public var idlePortLagSeconds: Double
    }

    public var resolved: Resolved {
        Resolved(
            calloutSeconds: max(0, calloutSeconds ?? 1),
            feeDelaySeconds: max(0, feeDelaySeconds ?? 1),
            feeBatchWindowSeconds: max(0, feeBatchWindowSeconds ?? 1),
            feeRetryIntervalSeconds: max(0, feeRetryIntervalSeconds ?? 3600),
            feeMaxRetries: max(0, feeMaxRetries ?? 6),
            verifyPlaySeconds: max(0, verifyPlaySeconds ?? 4),
            idlePortLagSeconds: max(0, idlePortLagSeconds ?? 0)
        )
    }
}
