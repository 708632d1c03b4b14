import Synchronization

/// Opt-outs recorded in this process, by campaign, until the metrics
/// refresher moves them into `callspool_opt_outs_total`.
///
/// Process-wide on purpose (as ``SecretErasures``): the opt-out happens
/// deep in the store core's callback path, which has no metrics at hand. A
/// transaction rolled back after counting costs one count too many.
public enum OptOutTally {
    private static let counts = Mutex<[String: Int]>([:])

    static func record(campaign: String?) {
        counts.withLock { $0[campaign ?? "", default: 0] += 1 }
    }

    /// The counts since the last call, emptied.
    public static func drain() -> [String: Int] {
        counts.withLock { counts in
            defer { counts = [:] }
            return counts
        }
    }
}
