import Hummingbird
import Logging
import NIOCore
import VoiceCallAPI

extension VoiceCallSimulator {
    /// The Hummingbird application serving the platform API (and, when
    /// enabled, the inspection API), with the playback service attached.
    /// `onServerRunning` receives the bound port (useful with port 0).
    public func makeApplication(
        host: String = "127.0.0.1", port: Int = 9443, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<SimulatorRequestContext>> {
        let router = Router(context: SimulatorRequestContext.self)
        let (jobs, continuation) = AsyncStream.makeStream(of: PlaybackJob.self)
        let endpoint = makeEndpoint(enqueue: { continuation.yield($0) })
        router.post(RouterPath(CallNotifyRequest.path)) { request, context in
            try await endpoint.handle(request, context: context, api: .callnotify)
        }
        router.post(RouterPath(CallVerifyRequest.path)) { request, context in
            try await endpoint.handle(request, context: context, api: .callVerify)
        }
        if inspectionEnabled { addInspectionRoutes(to: router) }
        let config = configuration
        let service = PlaybackService(
            jobs: jobs, continuation: continuation, state: state, batcher: FeeBatcher(), clock: config.clock,
            timing: config.scenario.resolvedTiming, applications: applications, nonces: config.nonces,
            createdClock: config.createdClock, logger: config.logger)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ResetOnConnectHandler(faults: faults), ShortConnectionHandler()])),
            configuration: .init(address: .hostname(host, port: port), serverName: "callspool-simulator"),
            services: [service],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: config.logger)
    }

    func makeEndpoint(enqueue: @escaping @Sendable (PlaybackJob) -> Void) -> CallEndpoint {
        let scenario = configuration.scenario
        return CallEndpoint(
            state: state,
            authenticator: RequestAuthenticator(
                applications: applications, createdWindowSeconds: Int64(scenario.resolvedLimits.createdWindowSeconds)),
            validator: CallRequestValidator(applications: applications, templates: scenario.templates),
            clock: configuration.clock, faults: faults, enqueue: enqueue, logger: configuration.logger)
    }
}
