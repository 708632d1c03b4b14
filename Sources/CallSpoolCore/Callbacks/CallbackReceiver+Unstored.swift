import Foundation
import Hummingbird
import VoiceCallAPI

extension CallbackReceiver {
    /// Writes the status events kept during a storage halt, oldest first,
    /// each as it would have been stored when it came (call ends signalled,
    /// digits appended; the results files of the jobs they finish are queued
    /// by those commits and written by ``ResultsOutboxService``). Stops and keeps the rest if the store fails again.
    /// Returns how many were written.
    @discardableResult
    public func storeUnstoredEvents() async -> Int {
        guard let unstored else { return 0 }
        var written = 0
        while let entries = await unstored.startFlush(now: clock.now) {
            var rest: [UnstoredStatusEvents.Entry] = []
            for (index, entry) in entries.enumerated() {
                do {
                    // The calls it ended are handed on by the committer.
                    _ = try await committer.commit(.init(
                        event: entry.event, body: entry.body, now: entry.receivedAt, nonce: entry.nonce, app: application(signing: entry.nonce))).get()
                    written += 1
                    metrics.countCallback(eventType: entry.event.eventType.rawValue)
                } catch is CallbackReplayError {
                    continue  // its nonce was stored meanwhile: already there
                } catch {
                    if let storage, storage.recordFailure(error, at: clock.now) {
                        rest = Array(entries[index...])
                        break
                    }
                    logger.error("a kept status event could not be stored: \(error)")
                }
            }
            await unstored.finishFlush(putBack: rest, now: clock.now)
            if !rest.isEmpty { break }
        }
        if written > 0 {
            logger.notice("status events kept during the storage halt were stored", metadata: ["events": "\(written)"])
        }
        return written
    }

    /// While kept status events wait to be written, a new push must not
    /// overtake them: a status event joins them (in order), a fee CDR is
    /// deferred with 503 (the platform re-pushes it), so digits are not taken
    /// from a CDR's IVR path and then appended again from the kept event.
    /// Returns the answer when the push was handled that way, nil otherwise.
    func deferBehindUnstored(_ event: CallbackEvent, rawBody: String, nonce: CallbackNonce?, now: Date) async -> Response? {
        guard let unstored, await !unstored.isEmpty else { return nil }
        if case .status = event {
            await unstored.keep(.init(event: event, body: rawBody, nonce: nonce, receivedAt: now))
        }
        if storage?.pausesWork != true || storage?.current.writeFailure == nil {
            Task { await self.storeUnstoredEvents() }
        }
        return Self.reply(.serviceUnavailable, code: "503", description: "Storage catching up, retry later")
    }
}
