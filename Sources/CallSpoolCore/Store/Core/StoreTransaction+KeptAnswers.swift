import Foundation

extension StoreDriver {
    /// Expired answers deleted by each keyed request (bounded work per
    /// request; keyed requests alone make rows, so they keep up).
    public static var keptAnswerPruneLimit: Int { 100 }

    /// Runs `work` (an API request's store work) at most once per client and
    /// key within ``KeptAnswer/lifetime``, and keeps its answer in the same
    /// commit: a crash either keeps both the jobs and the answer or neither,
    /// so a retry never finds jobs without an answer nor an answer without
    /// its jobs.
    ///
    /// A key with a live answer runs nothing: the same request (digest) gets
    /// ``KeyedAnswer/repeated(_:)``, another one ``KeyedAnswer/reused(_:)``.
    /// When another instance commits the same key first (a concurrent retry
    /// on a shared store), this transaction is rolled back (its jobs with
    /// it) and the winner's answer is given instead. `work` throwing rolls
    /// everything back and keeps nothing: the request may be sent again.
    public func answerOnce(_ request: KeyedRequest, now: Date, _ work: (any StoreTransaction) throws -> (status: Int, body: String)) throws -> KeyedAnswer {
        do {
            return try writing { rows in
                _ = try rows.deleteExpiredAnswers(now: now, limit: Self.keptAnswerPruneLimit)
                if let kept = try rows.keptAnswer(client: request.client, key: request.key, now: now) {
                    return Self.judge(request, against: kept)
                }
                let reply = try work(rows)
                let answer = KeptAnswer(
                    client: request.client, key: request.key, requestDigest: request.requestDigest, status: reply.status, body: reply.body,
                    createdAt: now, expiresAt: now.addingTimeInterval(KeptAnswer.lifetime))
                guard try rows.keepAnswer(answer) else { throw KeyTakenMeanwhile() }
                return .first(answer)
            }
        } catch is KeyTakenMeanwhile {
            guard let kept = try reading({ try $0.keptAnswer(client: request.client, key: request.key, now: now) }) else {
                throw KeyedRequestError.keyTakenThenGone(key: request.key)
            }
            return Self.judge(request, against: kept)
        }
    }

    static func judge(_ request: KeyedRequest, against kept: KeptAnswer) -> KeyedAnswer {
        kept.requestDigest == request.requestDigest ? .repeated(kept) : .reused(kept)
    }
}

/// Thrown inside ``StoreDriver/answerOnce(_:now:_:)``'s transaction to
/// roll it back when another transaction kept an answer under the key first.
struct KeyTakenMeanwhile: Error {}
