import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import VoiceCallAPI

/// A tiny receiver on 127.0.0.1 that records every push (headers and body)
/// and answers fee pushes from a script (e.g. refuse the first two).
final class CallbackReceiver: Sendable {
    struct Push: Sendable {
        var path: String
        var xaksk: String?
        var event: CallbackEvent?
    }

    private let pushes = Mutex<[Push]>([])
    private let feeFailures: Mutex<Int>
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var statusURL: String { "http://127.0.0.1:\(port)/cb/status" }
    var feeURL: String { "http://127.0.0.1:\(port)/cb/fee" }

    var received: [Push] { pushes.withLock { $0 } }

    /// Starts listening; the first `refuseFees` fee pushes get resultcode "1".
    init(refuseFees: Int = 0) async throws {
        feeFailures = Mutex(refuseFees)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        let box = Box()
        router.post("/cb/:kind") { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            let event = try? CallbackEvent.decode(body.readableBytesView)
            let xaksk = request.headers.first { $0.name.canonicalName == "x-aksk" }?.value
            box.receiver?.record(Push(path: request.uri.path, xaksk: xaksk, event: event))
            if context.parameters.get("kind") == "fee", box.receiver?.takeFeeFailure() == true {
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"resultcode":"1","resultdesc":"busy"}"#)))
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"resultcode":"0","resultdesc":"Success"}"#)))
        }
        var logger = Logger(label: "test.receiver")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        self.group = group
        self.task = Task { try await group.run() }
        var port = 0
        for await bound in ports {
            port = bound
            break
        }
        self.port = port
        box.set(self)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    private func record(_ push: Push) {
        pushes.withLock { $0.append(push) }
    }

    private func takeFeeFailure() -> Bool {
        feeFailures.withLock { remaining in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }

    /// Lets the route closure reach the receiver once it is initialised.
    private final class Box: Sendable {
        private let value = Mutex<CallbackReceiver?>(nil)
        var receiver: CallbackReceiver? { value.withLock { $0 } }
        func set(_ receiver: CallbackReceiver) { value.withLock { $0 = receiver } }
    }
}
