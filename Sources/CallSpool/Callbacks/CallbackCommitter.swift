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
actor CallbackCommitter {
    typealias Outcome = Result<CallbackCommit, any Error>

    private let database: any CallStore
    private var waiting: [(push: AppDatabase.CallbackPush, reply: CheckedContinuation<Outcome, Never>)] = []
    private var writing = false

    init(database: any CallStore) {
        self.database = database
    }

    /// Stores `push` with whatever else is waiting; returns once committed.
    func commit(_ push: AppDatabase.CallbackPush) async -> Outcome {
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
            for (entry, outcome) in zip(batch, outcomes) { entry.reply.resume(returning: outcome) }
        }
        writing = false
    }
}
