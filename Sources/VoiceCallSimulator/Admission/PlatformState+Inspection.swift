import VoiceCallAPI

extension PlatformState {
    func recordRequest(
        api: String, incoming: IncomingCall?, httpStatus: Int, resultcode: String, resultdesc: String, sessionId: String?
    ) {
        log.record(SimulatorSnapshot.RequestRecord(
            at: CivilTime.formatEventTime(epochSeconds: clock.nowSeconds), api: api, calleeNbr: incoming?.calleeNbr,
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
        SimulatorSnapshot(
            requests: log.requests, deliveries: log.deliveries, resultCodes: log.resultCodes,
            callsPerCallee: log.callsPerCallee, portLimit: limits.ports, portsInUse: portsInUse,
            peakPorts: log.peakPorts, acceptedCalls: log.acceptedCalls, completedCalls: log.completedCalls)
    }
}
