import Synchronization
import VoiceCallAPI

/// The nonces this process has committed, so the receiver's check before a
/// body is read (``CallbackReceiver/admit(_:)``) does not have to ask the
/// store for every push.
///
/// Exists because that check was one store read per push, and the hop to a
/// reader connection and back cost the receiver about a fifth of its time.
/// What it guarantees: a nonce committed by this process is refused from
/// memory until it expires; a nonce the store held before this process began
/// (before a restart) is still looked up in the store, for as long as the
/// latest of those can be live (``storeHorizon``). The claim in the event's
/// own transaction (``AppDatabase/recordCallbacks(_:)``) stays the authority:
/// two copies racing past this check still store once.
///
/// Memory: one entry per nonce committed and not yet expired, the same set
/// the store's `callbackNonce` table holds; expired entries are dropped at
/// most once a minute (injected times: epoch seconds from the verifier).
final class ClaimedNonces: Sendable {
    private struct State {
        var live: [String: Int64] = [:]
        /// Epoch second from which expired entries are dropped again.
        var nextPrune: Int64 = .min
        /// When the store's nonces from before this process stop being live
        /// (nil: not read yet, or the read failed).
        var storeHorizon: Int64?
    }

    private let state = Mutex(State())
    /// Seconds between two prunes of expired entries.
    static let pruneInterval: Int64 = 60

    /// Whether this process committed `nonce` and it has not expired at `now`.
    func isLive(_ nonce: String, now: Int64) -> Bool {
        state.withLock { state in
            guard let expiresAt = state.live[nonce] else { return false }
            return expiresAt >= now
        }
    }

    /// Remembers committed nonces (after their transaction committed).
    func remember(_ nonces: [CallbackNonce]) {
        guard !nonces.isEmpty else { return }
        state.withLock { state in
            let now = nonces.map(\.now).max() ?? .min
            if now >= state.nextPrune {
                state.live = state.live.filter { $0.value >= now }
                state.nextPrune = now + Self.pruneInterval
            }
            for nonce in nonces { state.live[nonce.nonce] = max(state.live[nonce.nonce] ?? .min, nonce.expiresAt) }
        }
    }

    /// How many nonces are held (tests, diagnostics).
    var count: Int { state.withLock { $0.live.count } }

    /// Whether the store may hold a live nonce this process did not commit
    /// (one from before it began): true until the store's horizon is known
    /// and passed. `readHorizon` is asked once, until it succeeds.
    func storeMayHoldOthers(now: Int64, readHorizon: () async throws -> Int64?) async -> Bool {
        if let horizon = state.withLock({ $0.storeHorizon }) { return horizon >= now }
        let horizon: Int64
        do {
            horizon = try await readHorizon() ?? .min  // none stored: none to look up
        } catch {
            return true
        }
        state.withLock { $0.storeHorizon = $0.storeHorizon ?? horizon }
        return horizon >= now
    }
}
