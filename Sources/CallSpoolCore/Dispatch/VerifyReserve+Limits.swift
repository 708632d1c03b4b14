import Foundation

/// The reserve as `[limits]` configures it, at start-up and on a reload.
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
