/// Lets an HTTP handler wait until a call reached a point of its playback
/// (the "collectInfo before the response" fault). Opening twice is harmless.
struct ResponseGate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func open() {
        continuation.yield()
        continuation.finish()
    }

    /// Returns when opened, or after `limit` of real time.
    func wait(limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in stream { break } }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }
}
