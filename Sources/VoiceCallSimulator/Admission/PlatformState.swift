import VoiceCallAPI

/// The simulated platform's shared state: voice ports (platform-wide and per
/// application), rate windows, the seeded generator and the inspection log.
/// One actor so admission decisions (check a limit, take a port) are atomic.
actor PlatformState {
    var scenario: SimulatorScenario
    let applications: ApplicationDirectory
    let limits: SimulatorLimits.Resolved
    let timing: PlaybackTiming.Resolved
    let clock: SimulatorClock
    var random: SeededRandom
    let replayCache = NonceReplayCache()

    var portsInUse = 0
    /// Ports held by each application's calls, by appKey.
    var applicationPortsInUse: [String: Int] = [:]
    /// Calls holding a port: sessionId → the appKey that placed the call.
    var activeSessions: [String: String] = [:]
    /// Ports freed within the last `timing.idlePortLagSeconds` (simulated):
    /// free for admission, still counted busy in `idlePort` (oldest first).
    var lagging: [(releasedAt: Double, appKey: String)] = []
    var requestWindow = RateWindow()
    var calleeWindows: [String: RateWindow] = [:]
    var displayWindows: [String: RateWindow] = [:]
    var sessionCounter = 0
    var profileOverrides: [String: CalleeProfile] = [:]
    var log = InspectionLog()

    init(scenario: SimulatorScenario, applications: ApplicationDirectory, clock: SimulatorClock, seed: UInt64) {
        self.scenario = scenario
        self.applications = applications
        self.limits = scenario.resolvedLimits
        self.timing = scenario.resolvedTiming
        self.clock = clock
        self.random = SeededRandom(seed: seed)
        self.log.portLimit = limits.ports
        self.log.register(applications.applications)
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

    /// Frees the port of a finished call, platform-wide and in its application's quota.
    func release(sessionId: String) {
        guard let appKey = activeSessions.removeValue(forKey: sessionId) else { return }
        portsInUse -= 1
        applicationPortsInUse[appKey] = max(0, applicationPortsInUse[appKey, default: 0] - 1)
        if timing.idlePortLagSeconds > 0 { lagging.append((clock.now, appKey)) }
        log.completedCalls += 1
        log.countCompleted(appKey: appKey)
    }

    var idlePorts: Int { max(0, limits.ports - portsInUse) }

    /// The idle ports `appKey` could use, as the platform reports them in
    /// `idlePort`: the platform's, capped by what is left of its own quota
    /// when it has one; a port freed less than `timing.idlePortLagSeconds`
    /// ago still counts as busy (the count lags the release, as the
    /// platform's does around a disconnect).
    func idlePorts(for appKey: String?) -> Int {
        let window = timing.idlePortLagSeconds / clock.timeScale
        let now = clock.now
        lagging.removeAll { now - $0.releasedAt >= window }
        let platform = max(0, limits.ports - portsInUse - lagging.count)
        guard let appKey, let quota = applications.application(appKey: appKey)?.ports else { return platform }
        let own = applicationPortsInUse[appKey, default: 0] + lagging.count(where: { $0.appKey == appKey })
        return min(platform, max(0, quota - own))
    }
}
