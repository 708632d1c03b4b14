import VoiceCallAPI

/// The simulated platform's shared state: voice ports, rate windows, the
/// seeded generator and the inspection log. One actor so admission decisions
/// (check a limit, take a port) are atomic.
actor PlatformState {
    var scenario: SimulatorScenario
    let limits: SimulatorLimits.Resolved
    let timing: PlaybackTiming.Resolved
    let clock: SimulatorClock
    var random: SeededRandom
    let replayCache = NonceReplayCache()

    var portsInUse = 0
    var activeSessions: Set<String> = []
    var requestWindow = RateWindow()
    var calleeWindows: [String: RateWindow] = [:]
    var displayWindows: [String: RateWindow] = [:]
    var sessionCounter = 0
    var profileOverrides: [String: CalleeProfile] = [:]
    var log = InspectionLog()

    init(scenario: SimulatorScenario, clock: SimulatorClock, seed: UInt64) {
        self.scenario = scenario
        self.limits = scenario.resolvedLimits
        self.timing = scenario.resolvedTiming
        self.clock = clock
        self.random = SeededRandom(seed: seed)
        self.log.portLimit = limits.ports
    }

    /// The profile of `callee`, with faults injected through the API on top.
    func profile(for callee: String) -> CalleeProfile {
        let base = scenario.profile(for: callee)
        guard let override = profileOverrides[callee] else { return base }
        return override.merged(over: base)
    }

    func setProfile(_ profile: CalleeProfile?, for callee: String) {
        profileOverrides[callee] = profile
    }

    /// False when the nonce was used before (a replayed request).
    func acceptNonce(_ accepted: RequestAuthenticator.Accepted, now: Int64) async -> Bool {
        let window = Int64(limits.createdWindowSeconds)
        return await replayCache.insert(
            accepted.nonce, created: accepted.createdNaive - CreatedClock.utcPlus8.offsetSeconds,
            expiresAt: accepted.createdNaive + window, now: now)
    }

    /// Counts an authenticated request; 403/1010010 beyond the per-second limit.
    func checkRequestRate(now: Double) -> PlatformRejection? {
        guard limits.requestsPerSecond > 0 else { return nil }
        if requestWindow.count(now: now, window: 1) >= limits.requestsPerSecond {
            return PlatformRejection(403, "1010010")
        }
        requestWindow.record(now)
        return nil
    }

    /// Frees the port of a finished call.
    func release(sessionId: String) {
        guard activeSessions.remove(sessionId) != nil else { return }
        portsInUse -= 1
        log.completedCalls += 1
    }

    var idlePorts: Int { max(0, limits.ports - portsInUse) }
}
