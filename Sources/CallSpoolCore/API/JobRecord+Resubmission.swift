import Foundation

extension JobRecord {
    /// Whether `spec`, submitted again under this job's id, asks for the
    /// same call: type, campaign, callee, display number (when the
    /// submission names one), priority, start time and payload. Once a
    /// finished verify job's code is erased (``StoredJobPayload/erasingVerifyCodes()``),
    /// the code can no longer be compared: the payloads are compared without it.
    ///
    /// Exists so the API can tell a retried request (answered with the
    /// existing job) from an id reused for another call (refused).
    public func hasSameContent(as spec: JobSpec) -> Bool {
        guard type == spec.type, campaign == spec.campaign, calleeNbr == spec.calleeNbr, priority == spec.priority,
            Self.sameInstant(notBefore, spec.notBefore)
        else { return false }
        if let given = spec.displayNbr, given != displayNbr { return false }
        let submitted = StoredJobPayload(spec.payload)
        if payload == submitted { return true }
        let erased = payload.erasingVerifyCodes()
        return erased == payload && submitted.erasingVerifyCodes() == erased
    }

    /// Equal to the millisecond (a store may keep no finer).
    private static func sameInstant(_ a: Date?, _ b: Date?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (a?, b?): abs(a.timeIntervalSince(b)) < 0.001
        default: false
        }
    }
}
