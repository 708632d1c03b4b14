import VoiceCallAPI

/// Collects fee CDRs per feeUrl so calls ending close together go out in one
/// push of at most 50, as the platform merges them (§5.4).
actor FeeBatcher {
    struct Batch: Sendable, Hashable {
        var url: String
        var records: [FeeRecord]
    }

    static let maxPerPush = 50
    private var pending: [String: [FeeRecord]] = [:]
    private var order: [String] = []

    /// Queues a record; returns a full batch when one is ready now.
    func add(_ record: FeeRecord, url: String) -> Batch? {
        if pending[url] == nil { order.append(url) }
        pending[url, default: []].append(record)
        guard let records = pending[url], records.count >= Self.maxPerPush else { return nil }
        pending[url] = Array(records.dropFirst(Self.maxPerPush))
        return Batch(url: url, records: Array(records.prefix(Self.maxPerPush)))
    }

    /// Everything queued, in batches of at most 50.
    func drain() -> [Batch] {
        var batches: [Batch] = []
        for url in order {
            var records = pending[url] ?? []
            while !records.isEmpty {
                batches.append(Batch(url: url, records: Array(records.prefix(Self.maxPerPush))))
                records.removeFirst(min(Self.maxPerPush, records.count))
            }
        }
        pending = [:]
        order = []
        return batches
    }
}
