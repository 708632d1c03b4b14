import Foundation
import VoiceCallAPI

/// Sends a request only while this instance holds the dispatcher lease with
/// its margin left (``DispatcherTerm``), on its own monotonic clock.
///
/// Exists for the moment between a dispatch commit and its request: a
/// process stalled there (or cut off from the database) must not send after
/// another instance may have taken over. A request held back is reported as
/// not sent; its job stays `dispatching` (the fenced transaction that would
/// requeue it fails too), and the next dispatcher's recovery makes it
/// `unknown`, never sent twice.
public struct LeaseGuardedPlacer: CallPlacer {
    public let placer: any CallPlacer
    public let term: DispatcherTerm

    public init(_ placer: any CallPlacer, term: DispatcherTerm) {
        self.placer = placer
        self.term = term
    }

    public func place(_ ticket: DispatchTicket, createdClock: CreatedClock) async -> CallAttemptResult {
        guard term.isHeld else { return .notSent(reason: "this instance no longer holds the dispatcher lease") }
        return await placer.place(ticket, createdClock: createdClock)
    }
}
