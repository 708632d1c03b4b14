import VoiceCallAPI

/// The platform's answers waiting to be recorded (group commit).
///
/// Each request is sent by its own task; when its answer comes back it is put
/// here, and one recorder takes everything that arrived while the previous
/// batch was being written, so a hundred answers cost one transaction, not a
/// hundred. Nothing is acknowledged to anyone before it is recorded: a crash
/// before the commit leaves the job `dispatching`, which becomes `unknown` at
/// the next start (never re-sent).
actor AnswerInbox {
    /// `lane`: which application's scheduler the ticket came from.
    typealias Answer = (lane: Int, ticket: DispatchTicket, result: CallAttemptResult)

    private var answers: [Answer] = []
    private var waiter: CheckedContinuation<[Answer]?, Never>?
    /// Tickets handed to senders whose answers were not taken yet.
    private var outstanding = 0
    private var closed = false

    /// `count` requests are about to be sent.
    func expect(_ count: Int) { outstanding += count }

    func put(lane: Int, _ ticket: DispatchTicket, _ result: CallAttemptResult) {
        answers.append((lane, ticket, result))
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: takeAll())
        }
    }

    /// No more requests will be sent; the recorder stops once every answer is taken.
    func close() {
        closed = true
        if let waiter, outstanding == 0 {
            self.waiter = nil
            waiter.resume(returning: nil)
        }
    }

    /// The answers that arrived since the last call, waiting for one if there
    /// are none; nil when closed and every answer was taken.
    func next() async -> [Answer]? {
        if !answers.isEmpty { return takeAll() }
        if closed, outstanding == 0 { return nil }
        return await withCheckedContinuation { waiter = $0 }
    }

    private func takeAll() -> [Answer] {
        let batch = answers
        answers.removeAll(keepingCapacity: true)
        outstanding = max(0, outstanding - batch.count)
        return batch
    }
}
