import VoiceCallAPI

extension PlatformState {
    /// Logs a request and its answer; `appKey` is the `Username` it claimed (nil when unreadable).
    func recordRequest(
        api: String, appKey: String?, incoming: IncomingCall?, httpStatus: Int, resultcode: String, resultdesc: String,
        sessionId: String?
    ) {
        log.record(SimulatorSnapshot.RequestRecord(
            at: CivilTime.formatEventTime(epochSeconds: clock.nowSeconds), api: api, appKey: appKey, calleeNbr: incoming?.calleeNbr,
            displayNbr: incoming?.displayNbr, httpStatus: httpStatus, resultcode: resultcode, resultdesc: resultdesc,
            sessionId: sessionId, posTone: incoming?.posTone, collectContentTriggerReplaying: incoming?.promptTriggers))
    }

    func recordDelivery(_ delivery: CallbackDelivery, eventType: String, sessionIds: [String], attempt: Int) {
        log.record(SimulatorSnapshot.DeliveryRecord(
            at: CivilTime.formatEventTime(epochSeconds: clock.nowSeconds), url: delivery.url, eventType: eventType,
            sessionIds: sessionIds, attempt: attempt, httpStatus: delivery.httpStatus,
            receiverResultcode: delivery.receiverResultcode, error: delivery.error, succeeded: delivery.succeeded))
    }

    func snapshot() -> SimulatorSnapshot {
        var perApplication = log.applications
        for (appKey, ports) in applicationPortsInUse { perApplication[appKey]?.portsInUse = ports }
        return SimulatorSnapshot(
            requests: log.requests, deliveries: log.deliveries, resultCodes: log.resultCodes,
            callsPerCallee: log.callsPerCallee, portLimit: limits.ports, portsInUse: portsInUse,
            peakPorts: log.peakPorts, acceptedCalls: log.acceptedCalls, completedCalls: log.completedCalls,
            applications: perApplication)
    }
}
