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

/// Webhook delivery throughput: `events` finished jobs (no campaign: one
/// event each) drained into the webhook outbox, then sent by the daemon's
/// own ``WebhookSender`` to a local Hummingbird receiver that reads the body
/// and answers 204, until every event is recorded delivered. Timed from the
/// first claim to the last commit; the drain (queueing) is timed apart.
/// With `CALLSPOOL_BENCH_POSTGRES` on a PostgreSQL store.
func benchWebhooks(events: Int) async throws -> [Measurement] {
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-bench-hooks-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let database: any CallStore = try benchStoreURL().map { try PostgresStore.open(PostgresStore.Settings(url: $0, instance: "bench")) }
        ?? AppDatabase.open(path: root + "/store.sqlite")

    // The jobs, finished by an operator's cancel (one intent, paged).
    let now = Date()
    let specs = (0..<events).map { index in
        JobSpec(
            id: "hook-\(index)", type: .notify, calleeNbr: "+86139" + String(format: "%08d", index),
            payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), meta: #"{"customer":"c-\#(index)","order":12345}"#)
    }
    for start in stride(from: 0, to: events, by: 10_000) {
        _ = try database.insertJobs(Array(specs[start..<min(start + 10_000, events)]), intakeKey: "bench-\(start)", sourceFile: "bench.jsonl", policy: IntakePolicy(), now: now)
    }
    _ = try database.request(.cancel(ids: [], campaign: nil), now: now)
    _ = try database.applyPendingIntents(now: now) { _ in .seconds(300) }

    let port = 21_400 + Int.random(in: 0..<400)
    let received = ManagedAtomicCounter()
    let router = Router()
    router.post("/hook") { request, _ -> Response in
        _ = try await request.body.collect(upTo: 1 << 20)
        _ = received.take(below: Int.max)
        return Response(status: .noContent)
    }
    let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), onServerRunning: { _ in readyContinuation.yield() },
        logger: quiet)
    let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
    let serverTask = Task { try await group.run() }
    var readyIterator = ready.makeAsyncIterator()
    _ = await readyIterator.next()

    let endpoint = WebhookEndpoint(name: "bench", url: URL(string: "http://127.0.0.1:\(port)/hook")!, secret: "bench-webhook-secret-0123456789")
    let outbox = ResultsOutbox(database: database, directory: nil, webhooks: WebhookEvents(endpoints: [endpoint]), logger: quiet)
    let queueSeconds = await elapsedAsync { await outbox.drain() }
    let client = WebhookSenderService.makeClient()
    let sender = WebhookSender(database: database, endpoints: [endpoint], owner: "bench", client: client, logger: quiet)
    let cpuBefore = processCPUSeconds()
    let sendSeconds = await elapsedAsync { await sender.sendAllDue() }
    try await client.shutdown()
    let cpu = processCPUSeconds() - cpuBefore
    let figures = try database.webhookFigures().first
    await group.triggerGracefulShutdown()
    _ = try? await serverTask.value
    precondition(figures?.delivered == events, "only \(figures?.delivered ?? 0) of \(events) delivered (\(received.take(below: Int.max) ?? 0) requests)")
    print(String(format: "webhook sender CPU: %.1f s for %d events (%.0f µs each)", cpu, events, cpu / Double(events) * 1e6))
    let store = database is PostgresStore ? "PostgreSQL" : "SQLite"
    return [
        Measurement(name: "webhook events queued from the results outbox (\(store))", count: events, seconds: queueSeconds, unit: "events", target: 2_000),
        Measurement(name: "webhook events delivered to a local receiver (\(store), signed, 32 at once)", count: events, seconds: sendSeconds, unit: "events", target: 2_000),
    ]
}

func elapsedAsync(_ body: () async -> Void) async -> Double {
    let start = ContinuousClock.now
    await body()
    return (ContinuousClock.now - start).timeInterval
}
