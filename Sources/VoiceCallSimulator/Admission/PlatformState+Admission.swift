import VoiceCallAPI

extension PlatformState {
    /// Applies the per-call limits in the platform's order and, when the call
    /// passes, takes a port (and one of its application's quota) and scripts the call.
    func admit(_ incoming: IncomingCall, appKey: String) -> Result<Admission, PlatformRejection> {
        let now = clock.now
        let profile = profile(for: incoming.calleeNbr)
        if let forced = profile.forceResultCode, forced != "0" { return .failure(.forced(forced)) }
        if (scenario.blacklist ?? []).contains(incoming.calleeNbr) { return .failure(.init(403, "1013004")) }
        if let window = scenario.callingWindow, !window.contains(epochSeconds: clock.nowSeconds) {
            return .failure(.init(403, "1013121"))
        }
        if limits.perDisplayNumberPerMinute > 0,
            displayWindows[incoming.displayNbr, default: .init()].count(now: now, window: 60) >= limits.perDisplayNumberPerMinute
        {
            return .failure(.init(403, "1013118"))
        }
        if limits.perCalleeMax > 0,
            calleeWindows[incoming.calleeNbr, default: .init()].count(now: now, window: limits.perCalleeWindowSeconds)
                >= limits.perCalleeMax
        {
            return .failure(.init(403, "1013117"))
        }
        let ownPorts = applicationPortsInUse[appKey, default: 0]
        if let quota = applications.application(appKey: appKey)?.ports, ownPorts >= quota {
            return .failure(.init(403, "1020165"))
        }
        guard portsInUse < limits.ports else { return .failure(.init(500, "1020154")) }

        portsInUse += 1
        applicationPortsInUse[appKey] = ownPorts + 1
        log.peakPorts = max(log.peakPorts, portsInUse)
        log.acceptedCalls += 1
        log.countAccepted(appKey: appKey, portsInUse: ownPorts + 1)
        log.callsPerCallee[incoming.calleeNbr, default: 0] += 1
        // Windows are kept only for enabled limits, so a million callees cost nothing when off.
        if limits.perDisplayNumberPerMinute > 0 { displayWindows[incoming.displayNbr, default: .init()].record(now) }
        if limits.perCalleeMax > 0 { calleeWindows[incoming.calleeNbr, default: .init()].record(now) }
        let sessionId = nextSessionId()
        activeSessions[sessionId] = appKey
        let script = CallScriptResolver.resolve(profile: profile, kind: incoming.kind, timing: timing, random: &random)
        let call = SimulatedCall(
            sessionId: sessionId, incoming: incoming, script: script, acceptedAt: clock.nowSeconds, appKey: appKey,
            spId: scenario.resolvedSpId, icid: "CAE-\(compactTime())-\(10_000_000 + sessionCounter)")
        return .success(Admission(
            call: call, idlePort: idlePorts(for: appKey), responseDelaySeconds: profile.responseDelaySeconds ?? 0,
            dropResponse: profile.dropResponse ?? false,
            collectInfoBeforeResponse: profile.collectInfoBeforeResponse ?? false))
    }

    /// `1200_<n>_<random>_<yyyyMMddHHmmss>@callspool-sim`, at most 56 characters.
    func nextSessionId() -> String {
        sessionCounter += 1
        let salt = random.next() % 4_294_967_296
        return "\(1200 + sessionCounter % 100)_\(sessionCounter)_\(salt)_\(compactTime())@callspool-sim"
    }

    func compactTime() -> String {
        CivilTime.formatEventTime(epochSeconds: clock.nowSeconds).filter(\.isNumber)
    }
}
