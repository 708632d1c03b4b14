/// Work for the playback service: play an accepted call, or push a batch of
/// fee CDRs (with the attempt number for re-pushes).
enum PlaybackJob: Sendable {
    case call(SimulatedCall, gate: ResponseGate?)
    case fee(FeeBatcher.Batch)
}
