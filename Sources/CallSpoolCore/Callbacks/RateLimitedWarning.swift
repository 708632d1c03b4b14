import Foundation
import Logging
import VoiceCallAPI

/// Logs a warning at most once per `interval` per key, then says how many
/// were suppressed: a flood of forged or misconfigured callbacks must not
/// flood the journal too.
public actor RateLimitedWarning {
    let logger: Logger
    let interval: TimeInterval
    let clock: any WallClock
    private var lastLogged: [String: Date] = [:]
    private var suppressed: [String: Int] = [:]

    public init(logger: Logger, interval: Duration = .seconds(60), clock: any WallClock) {
        self.logger = logger
        self.interval = interval.timeInterval
        self.clock = clock
    }

    public func warn(key: String, _ message: @autoclosure () -> String) {
        let now = clock.now
        if let last = lastLogged[key], now.timeIntervalSince(last) < interval {
            suppressed[key, default: 0] += 1
            return
        }
        let skipped = suppressed.removeValue(forKey: key) ?? 0
        lastLogged[key] = now
        logger.warning("\(message())\(skipped > 0 ? " (\(skipped) more like this suppressed)" : "")")
    }
}
