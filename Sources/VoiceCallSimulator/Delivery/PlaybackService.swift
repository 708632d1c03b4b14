import AsyncHTTPClient
import Logging
import NIOCore
import ServiceLifecycle
import VoiceCallAPI

/// Runs the calls the HTTP handlers accept and the fee pushes, and owns the
/// one `HTTPClient` for outbound pushes: created when the service starts and
/// shut down after every playback task has ended (graceful shutdown cancels them).
struct PlaybackService: Service {
    let jobs: AsyncStream<PlaybackJob>
    let continuation: AsyncStream<PlaybackJob>.Continuation
    let state: PlatformState
    let batcher: FeeBatcher
    let clock: SimulatorClock
    let timing: PlaybackTiming.Resolved
    let applications: ApplicationDirectory
    let nonces: any NonceSource
    let createdClock: CreatedClock
    let logger: Logger

    func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let sender = CallbackSender(
            client: client, applications: applications, clock: clock, nonces: nonces, createdClock: createdClock, logger: logger)
        let continuation = self.continuation
        let player = CallPlayer(
            state: state, batcher: batcher, sender: sender, clock: clock, enqueue: { continuation.yield($0) }, logger: logger)
        let pusher = FeePusher(
            state: state, sender: sender, clock: clock, retryIntervalSeconds: timing.feeRetryIntervalSeconds,
            maxRetries: timing.feeMaxRetries)
        await withDiscardingTaskGroup { group in
            group.addTask { await flushPeriodically() }
            await withGracefulShutdownHandler {
                for await job in jobs {
                    switch job {
                    case .call(let call, let gate): group.addTask { await player.play(call, gate: gate) }
                    case .fee(let batch): group.addTask { await pusher.push(batch) }
                    }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            group.cancelAll()
        }
        try await client.shutdown()
    }

    /// Sends what the batcher collected once per batch window.
    private func flushPeriodically() async {
        let window = max(timing.feeBatchWindowSeconds, 0.001 * clock.timeScale)
        while !Task.isCancelled {
            do {
                try await clock.sleep(simulated: window)
            } catch {
                return
            }
            for batch in await batcher.drain() { continuation.yield(.fee(batch)) }
        }
    }
}
