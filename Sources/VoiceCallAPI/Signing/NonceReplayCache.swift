/// Remembers callback nonces so a captured push cannot be replayed.
///
/// A nonce is remembered until no clock convention would still accept its
/// `Created`. Memory is bounded by `capacity`: when full, the oldest entry is
/// evicted and its `Created` becomes a floor below which signatures are refused
/// (they could otherwise be replays the cache no longer remembers).
public actor NonceReplayCache {
    public let capacity: Int
    private var expiries: [String: Int64] = [:]
    private var order: [(nonce: String, created: Int64)] = []
    private var head = 0
    private(set) var floor: Int64 = .min

    public init(capacity: Int = 200_000) {
        self.capacity = max(1, capacity)
    }

    /// Records `nonce`; false when it was already seen (a replay) or when
    /// `created` is older than what the cache can vouch for.
    public func insert(_ nonce: String, created: Int64, expiresAt: Int64, now: Int64) -> Bool {
        if created < floor { return false }
        if let expiry = expiries[nonce], expiry >= now { return false }
        purge(now: now)
        expiries[nonce] = expiresAt
        order.append((nonce, created))
        while expiries.count > capacity, head < order.count {
            let oldest = order[head]
            head += 1
            if expiries.removeValue(forKey: oldest.nonce) != nil {
                floor = max(floor, oldest.created)
            }
        }
        compact()
        return true
    }

    public var count: Int { expiries.count }

    private func purge(now: Int64) {
        // Entries are roughly in Created order; drop expired ones from the front.
        while head < order.count, let expiry = expiries[order[head].nonce], expiry < now {
            expiries.removeValue(forKey: order[head].nonce)
            head += 1
        }
        while head < order.count, expiries[order[head].nonce] == nil {
            head += 1
        }
    }

    private func compact() {
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
