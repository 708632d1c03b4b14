import AsyncHTTPClient
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import VoiceCallAPI

/// The floor under `callbacks`: the same client, connections, signed headers
/// and status bodies, against a bare Hummingbird server in the same process
/// that reads the body and answers 200 (no signature check, no store). What
/// `callbacks` costs above this is the receiver's own work (verify, nonce
/// check, decode, commit); what it costs below is HTTP on loopback, client
/// included, on the same cores.
func benchCallbackHTTPFloor(requests: Int, concurrency: Int = 32) async throws -> Measurement {
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    let port = 21_000 + Int.random(in: 0..<400)
    let url = "http://127.0.0.1:\(port)/callspool/status"
    let router = Router()
    let ok = ByteBuffer(string: #"{"resultcode":"0","resultdesc":"Success"}"#)
    router.post("/callspool/status") { request, _ -> Response in
        _ = try await request.body.collect(upTo: 1 << 20)
        return Response(status: .ok, headers: [.contentType: "application/json;charset=UTF-8"], body: .init(byteBuffer: ok))
    }
    let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
        onServerRunning: { _ in readyContinuation.yield() }, logger: quiet)
    let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
    let serverTask = Task { try await group.run() }
    var readyIterator = ready.makeAsyncIterator()
    _ = await readyIterator.next()

    var clientConfiguration = HTTPClient.Configuration()
    clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
    clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(30))
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    let body = try JSONEncoder().encode(CallbackEvent.status(.disconnect, CallStatusInfo(
        sessionId: "bench-session-1", timestamp: CivilTime.formatEventTime(epochSeconds: Int64(Date().timeIntervalSince1970)),
        userData: "cs1.1.1", caller: "+8675528000088", called: "+8613700000001", stateCode: 0, stateDesc: "The user releases the call.")))

    let next = ManagedAtomicCounter()
    let cpuBefore = processCPUSeconds()
    let start = ContinuousClock.now
    let answered = await withTaskGroup(of: Int.self) { tasks in
        for worker in 0..<concurrency {
            tasks.addTask {
                var ok = 0
                while let index = next.take(below: requests) {
                    let nonce = String(format: "%08x%08x%016x", worker, index, UInt64.random(in: 0...UInt64.max))
                    let created = CivilTime.formatCreated(epochSeconds: Int64(Date().timeIntervalSince1970))
                    let digest = Digest.callback(appSecret: "benchAppSecret0123456789", url: url, nonce: nonce, created: created)
                    var request = HTTPClientRequest(url: url)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json; charset=UTF-8")
                    request.headers.add(name: "Authorization", value: #"AKSK realm="SDP",profile="UsernameToken",type="Appkey""#)
                    request.headers.add(name: "X-AKSK", value: RequestSigner.token(appKey: "benchAppKey", digest: digest, nonce: nonce, created: created))
                    request.body = .bytes(body)
                    if let response = try? await client.execute(request, timeout: .seconds(30)),
                        (try? await response.body.collect(upTo: 64 * 1024)) != nil, response.status.code == 200
                    {
                        ok += 1
                    }
                }
                return ok
            }
        }
        return await tasks.reduce(0, +)
    }
    let seconds = (ContinuousClock.now - start).timeInterval
    let cpu = processCPUSeconds() - cpuBefore
    try await client.shutdown()
    await group.triggerGracefulShutdown()
    _ = try? await serverTask.value
    print(String(format: "process CPU %.2f s of %.2f s wall (%.0f %% of one core, %.0f µs CPU per request)", cpu, seconds, cpu / seconds * 100, cpu / Double(max(answered, 1)) * 1_000_000))
    return Measurement(
        name: "HTTP floor: signed status pushes answered 200 by a bare server, no verify, no store (\(concurrency) clients)",
        count: answered, seconds: seconds, unit: "requests", target: 5000)
}
