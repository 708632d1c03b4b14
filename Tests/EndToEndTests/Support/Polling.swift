import Foundation

/// Polls `condition` every `step` (≤ 200 ms) until it holds or `timeout`
/// (real time) passes; returns whether it held.
func eventually(
    timeout: Duration = .seconds(10), step: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: step)
    }
}
