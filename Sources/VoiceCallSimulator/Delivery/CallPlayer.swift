import Logging
import VoiceCallAPI

/// Plays one accepted call in (scaled) real time: walks its state machine,
/// sleeps between steps, pushes status events, frees the port and queues the CDR.
struct CallPlayer: Sendable {
    var state: PlatformState
    var batcher: FeeBatcher
    var sender: CallbackSender
    var clock: SimulatorClock
    var enqueue: @Sendable (PlaybackJob) -> Void
    var logger: Logger

    func play(_ call: SimulatedCall, gate: ResponseGate?) async {
        defer { gate?.open() }
        if call.collectEventCount == 0 { gate?.open() }
        var playback = SimulatedCall.Playback(call: call)
        var elapsed = 0.0
        var collected = 0
        while let step = playback.next() {
            do {
                try await clock.sleep(simulated: step.at - elapsed)
            } catch {
                return
            }
            elapsed = max(elapsed, step.at)
            switch step.action {
            case .status(let type, let info):
                if let url = call.incoming.statusURL {
                    let signing = call.script.signStatusWithFeeURL ? (call.incoming.feeURL ?? url) : url
                    let delivery = await sender.post(.status(type, info), to: url, signedFor: signing, appKey: call.appKey)
                    await state.recordDelivery(delivery, eventType: type.rawValue, sessionIds: [call.sessionId], attempt: 0)
                }
                if type == .collectInfo {
                    collected += 1
                    if collected == call.collectEventCount { gate?.open() }
                }
            case .releasePort:
                await state.release(sessionId: call.sessionId)
                logger.debug("call ended", metadata: [
                    "sessionId": "\(call.sessionId)", "callee": "\(PhoneMask.mask(call.incoming.calleeNbr))",
                    "stateCode": "\(call.stateCode)",
                ])
            case .fee(let record):
                guard let url = call.incoming.feeURL else { continue }
                if let batch = await batcher.add(record, url: url, appKey: call.appKey) { enqueue(.fee(batch)) }
                // The duplicate goes out as a push of its own, as a platform re-push would.
                if call.script.duplicateFee {
                    enqueue(.fee(FeeBatcher.Batch(url: url, appKey: call.appKey, records: [record])))
                }
            }
        }
    }
}
