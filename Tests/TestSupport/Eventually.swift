import Foundation

/// Polls `condition` every `step` until it holds or `timeout` (real time)
/// passes; returns whether it held. Tests wait on an observable event with
/// this, never sleep and then assert.
public func eventually(
    timeout: Duration = .seconds(10), step: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: step)
    }
}

/// ``eventually(timeout:step:_:)`` for conditions that cannot throw, polling
/// every 10 ms for at most `seconds`.
public func eventually(within seconds: Double, _ condition: () async -> Bool) async -> Bool {
    (try? await eventually(timeout: .milliseconds(Int(seconds * 1000)), step: .milliseconds(10)) { await condition() }) ?? false
}
