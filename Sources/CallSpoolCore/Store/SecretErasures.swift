import Synchronization

/// Counts verify codes erased in this process, so the WAL holding their old
/// page images is checkpointed soon after (``SecretErasureService``).
///
/// Process-wide on purpose: the erasure happens inside the one transition
/// function every state change goes through, which has no store instance at
/// hand. A spurious count only costs one extra checkpoint.
public enum SecretErasures {
    private static let generation = Atomic<Int>(0)

    static func record() {
        generation.add(1, ordering: .relaxed)
    }

    /// Changes whenever a code is erased.
    public static var current: Int { generation.load(ordering: .relaxed) }
}
