import Foundation

extension StoreTransaction {
    /// Adds `entries` (those already listed are left as they are) and
    /// audits each one added; returns them.
    public func suppress(_ entries: [SuppressionRecord]) throws -> [SuppressionRecord] {
        let inserted = try insertSuppressions(entries)
        if !inserted.isEmpty { try appendSuppressionAudit(inserted.map(SuppressionAuditRecord.init(added:))) }
        return inserted
    }

    /// Removes `keys` and audits each removal with `reason` and `actor`; returns what was removed.
    public func unsuppress(_ keys: [SuppressionKey], reason: String, source: SuppressionSource, actor: String, now: Date) throws -> [SuppressionRecord] {
        let removed = try deleteSuppressions(keys)
        if !removed.isEmpty {
            try appendSuppressionAudit(removed.map {
                SuppressionAuditRecord(
                    action: .remove, number: $0.number, scope: $0.scope, reason: reason, source: source, actor: actor, jobId: $0.jobId,
                    campaign: $0.campaign, at: now)
            })
        }
        return removed
    }

    /// The entries of the callees of `specs` the policy suppresses, by number (one read per batch).
    func suppressedCallees(of specs: some Collection<JobSpec>, policy: IntakePolicy) throws -> [String: [SuppressionRecord]] {
        let numbers = Set(specs.lazy.filter { policy.suppresses($0.type) }.map(\.calleeNbr))
        guard !numbers.isEmpty else { return [:] }
        return Dictionary(grouping: try suppressions(of: numbers.sorted()), by: \.number)
    }
}

extension StoreDriver {
    /// Rows per transaction of an import: big enough that a million numbers
    /// take few commits, small enough that no transaction holds the write
    /// lock for long.
    public static var suppressionBatchSize: Int { 5_000 }

    /// Adds `entries` in transactions of ``suppressionBatchSize``; returns
    /// how many were new (the others were listed already).
    public func suppress(_ entries: [SuppressionRecord]) throws -> Int {
        var added = 0
        var start = entries.startIndex
        while start < entries.endIndex {
            let end = min(start + Self.suppressionBatchSize, entries.endIndex)
            added += try writing { try $0.suppress(Array(entries[start..<end])).count }
            start = end
        }
        return added
    }

    public func unsuppress(_ keys: [SuppressionKey], reason: String, source: SuppressionSource, actor: String, now: Date) throws -> Int {
        var removed = 0
        var start = keys.startIndex
        while start < keys.endIndex {
            let end = min(start + Self.suppressionBatchSize, keys.endIndex)
            removed += try writing { try $0.unsuppress(Array(keys[start..<end]), reason: reason, source: source, actor: actor, now: now).count }
            start = end
        }
        return removed
    }

    public func suppressions(of numbers: [String]) throws -> [SuppressionRecord] {
        try reading { try $0.suppressions(of: numbers) }
    }

    public func suppressionPage(after: SuppressionKey?, limit: Int) throws -> [SuppressionRecord] {
        try reading { try $0.suppressionPage(after: after, limit: limit) }
    }

    public func suppressionCount() throws -> Int {
        try reading { try $0.suppressionCount() }
    }

    public func suppressionAudit(number: String, limit: Int) throws -> [SuppressionAuditRecord] {
        try reading { try $0.suppressionAudit(number: number, limit: limit) }
    }
}
