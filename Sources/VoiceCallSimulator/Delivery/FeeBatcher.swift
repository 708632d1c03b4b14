import VoiceCallAPI

/// Collects fee CDRs per feeUrl and application so calls ending close
/// together go out in one push of at most 50, as the platform merges them
/// (§5.4). A push is signed by one application, so two applications sharing
/// a feeUrl get pushes of their own.
actor FeeBatcher {
    struct Batch: Sendable, Hashable {
        var url: String
        /// The application whose calls these are (it signs the push).
        var appKey: String
        var records: [FeeRecord]
    }

    /// Where a batch goes and who signs it.
    struct Destination: Sendable, Hashable {
        var url: String
        var appKey: String
    }

    static let maxPerPush = 50
    private var pending: [Destination: [FeeRecord]] = [:]
    private var order: [Destination] = []

    /// Queues a record of a call placed by `appKey`; returns a full batch when one is ready now.
    func add(_ record: FeeRecord, url: String, appKey: String) -> Batch? {
        let destination = Destination(url: url, appKey: appKey)
        if pending[destination] == nil { order.append(destination) }
        pending[destination, default: []].append(record)
        guard let records = pending[destination], records.count >= Self.maxPerPush else { return nil }
        pending[destination] = Array(records.dropFirst(Self.maxPerPush))
        return Batch(url: url, appKey: appKey, records: Array(records.prefix(Self.maxPerPush)))
    }

    /// Everything queued, in batches of at most 50.
    func drain() -> [Batch] {
        var batches: [Batch] = []
        for destination in order {
            var records = pending[destination] ?? []
            while !records.isEmpty {
                batches.append(Batch(
                    url: destination.url, appKey: destination.appKey, records: Array(records.prefix(Self.maxPerPush))))
                records.removeFirst(min(Self.maxPerPush, records.count))
            }
        }
        pending = [:]
        order = []
        return batches
    }
}
