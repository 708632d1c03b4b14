import Foundation

extension Scheduler {
    /// Sizes the verify reserve for now and the learned limit, and applies it.
    /// An application that serves one type only keeps no reserve: no
    /// campaign of its own can delay its login codes.
    func resizeReserve(now: Date) {
        let sized = settings.appServesBoth
            ? reserve.size(now: now, learnedLimit: limiter.effectiveLimit)
            : (ports: 0, reason: "application \(settings.app) serves only one job type")
        if sized.ports != limiter.verifyReserved {
            logger.info("verify reserve changed", metadata: ["ports": "\(sized.ports)", "was": "\(limiter.verifyReserved)", "why": "\(sized.reason)"])
        }
        limiter.verifyReserved = sized.ports
        reserveInForce = sized
        // Calls whose end never came (lease expired) are not hold samples.
        let stale = now.addingTimeInterval(-settings.limits.callLease.timeInterval)
        if verifyCallsStarted.count > 1_000 || verifyCallsStarted.values.contains(where: { $0 < stale }) {
            verifyCallsStarted = verifyCallsStarted.filter { $0.value >= stale }
        }
    }
}

extension VerifyReserve {
    init(_ limits: Configuration.Limits) {
        self.init(
            mode: limits.verifyReserveAuto ? .auto : .fixed(limits.verifyReservedPorts),
            window: limits.verifyDemandWindow.timeInterval, maxReserve: limits.verifyReservedMax)
    }

    mutating func reconfigure(_ limits: Configuration.Limits) {
        mode = limits.verifyReserveAuto ? .auto : .fixed(limits.verifyReservedPorts)
        window = limits.verifyDemandWindow.timeInterval
        maxReserve = limits.verifyReservedMax
    }
}
