/// Pushes a batch of fee CDRs, re-pushing it at the scaled retry interval
/// while the receiver refuses it (non-200, or a resultcode other than "0"),
/// up to the scenario's maximum re-pushes (6, as the reference says).
struct FeePusher: Sendable {
    var state: PlatformState
    var sender: CallbackSender
    var clock: SimulatorClock
    var retryIntervalSeconds: Double
    var maxRetries: Int

    func push(_ batch: FeeBatcher.Batch) async {
        let sessions = batch.records.map(\.sessionId)
        for attempt in 0...maxRetries {
            let delivery = await sender.post(.fee(batch.records), to: batch.url, appKey: batch.appKey)
            await state.recordDelivery(delivery, eventType: "fee", sessionIds: sessions, attempt: attempt)
            if delivery.succeeded || attempt == maxRetries { return }
            do {
                try await clock.sleep(simulated: retryIntervalSeconds)
            } catch {
                return
            }
        }
    }
}
