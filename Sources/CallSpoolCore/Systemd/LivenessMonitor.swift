/// Decides whether the daemon deserves its `WATCHDOG=1`: every
/// ``ProgressBeacon`` made progress within `limit`. The systemd notify loop
/// asks before each ping; a stalled part withholds the ping (and triggers the
/// watchdog at once), so systemd restarts a daemon whose intake, scheduler or
/// callback receiver is wedged even though its notify loop still runs.
public struct LivenessMonitor: Sendable {
    public let beacons: [ProgressBeacon]
    public let limit: Duration

    public init(beacons: [ProgressBeacon], limit: Duration) {
        self.beacons = beacons
        self.limit = limit
    }

    /// The parts without progress, as "name (no progress for N s)", empty when all are live.
    public func stalledParts() -> [String] {
        beacons.compactMap { beacon in
            beacon.stalledFor(limit: limit).map { quiet in
                let seconds = Double(quiet.components.seconds) + Double(quiet.components.attoseconds) / 1e18
                return "\(beacon.name) (no progress for \((seconds * 10).rounded() / 10) s)"
            }
        }
    }
}
