import Foundation
import VoiceCallAPI

/// Group commit for callback pushes.
///
/// Every push must be committed before it is answered 200, and one write
/// transaction per push made the store's single writer the ceiling of the
/// receiver. Pushes that arrive while a batch is being written wait for the
/// next batch, and each batch is one transaction on the store's writer queue
/// (``AppDatabase/recordCallbacks(_:)``): the handler tasks suspend instead
/// of blocking a thread, and a thousand pushes cost a handful of commits.
/// A push is answered only with its own result, after its batch committed.
/// The calls a batch ended are handed to `onCallEnded` together, before any
/// of its pushes is answered, so the dispatcher takes them in one pass.
actor CallbackCommitter {
    typealias Outcome = Result<CallbackCommit, any Error>

    private let database: any CallStore
    /// Where committed nonces are remembered for the receiver's pre-check.
    nonisolated let claimed: ClaimedNonces
    private var waiting: [(push: CallbackPush, reply: CheckedContinuation<Outcome, Never>)] = []
    private var writing = false

    /// Told of every call a committed batch ended (must return at once).
    private let onCallEnded: @Sendable (CallEndSignal) -> Void

    init(database: any CallStore, claimed: ClaimedNonces = ClaimedNonces(), onCallEnded: @escaping @Sendable (CallEndSignal) -> Void = { _ in }) {
        self.database = database
        self.claimed = claimed
        self.onCallEnded = onCallEnded
    }

    /// Stores `push` with whatever else is waiting; returns once committed
    /// (and once the calls its batch ended were handed on).
    func commit(_ push: CallbackPush) async -> Outcome {
        await withCheckedContinuation { reply in
            waiting.append((push, reply))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting.removeAll(keepingCapacity: true)
            let outcomes = await database.recordCallbacks(batch.map(\.push))
            claimed.remember(zip(batch, outcomes).compactMap { entry, outcome in
                if case .success = outcome { entry.push.nonce } else { nil }
            })
            for case .success(let commit) in outcomes {
                for signal in commit.signals { onCallEnded(signal) }
            }
            for (entry, outcome) in zip(batch, outcomes) { entry.reply.resume(returning: outcome) }
        }
        writing = false
    }
}
