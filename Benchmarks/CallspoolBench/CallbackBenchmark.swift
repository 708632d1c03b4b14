import AsyncHTTPClient
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import ServiceLifecycle
import VoiceCallAPI

/// Callback intake throughput: the daemon as `callspool run` builds it receives
/// signed status pushes (callout, alerting, answer, collectInfo, disconnect)
/// for `sessions` calls already in_call, over loopback HTTP from `concurrency`
/// clients; counted are events answered 200 (verified, committed, applied).
func benchCallbacks(sessions: Int, concurrency: Int = 32) async throws -> Measurement {
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    let platformPort = 20_000 + Int.random(in: 0..<400)  // nothing listens: no job is ever queued
    let callbackPort = platformPort + 400
    let appKey = "benchAppKey"
    let appSecret = "benchAppSecret0123456789"
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-bench-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let configuration = try benchConfiguration(platformPort: platformPort, callbackPort: callbackPort, appKey: appKey, appSecret: appSecret, dir: dir)
    let statusURL = configuration.callbacks.statusURL.string
    let parts = try CallspoolDaemon.makeParts(configuration: configuration, logger: quiet)

    // The calls: jobs in_call with a known sessionId and their attempt row.
    let specs = (0..<sessions).map { index in
        JobSpec(
            id: "c\(index)", type: .notify, calleeNbr: "+86137" + String(format: "%08d", index),
            payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]))
    }
    let now = Date()
    _ = try parts.database.insertJobs(specs, intakeKey: "bench", sourceFile: "bench", policy: IntakePolicy(), now: now)
    // Placed through the store's own dispatch path, on a store no lease
    // fences (the daemon's PostgreSQL store only writes while it dispatches).
    let seeding = try configuration.openStore()
    let calls: [(rowId: Int64, sessionId: String, callee: String, jobId: String)] = try seeding.dispatchTransaction { tx in
        var calls: [(Int64, String, String, String)] = []
        for var job in try tx.runnableJobs(app: Configuration.Application.legacyName, now: now, limit: sessions, verifyOnly: false) {
            guard let ticket = try tx.beginAttempt(&job, displayNbr: "+8675528000088", fromPool: false, now: now) else { continue }
            let session = "bench-session-\(ticket.jobRowId)"
            _ = try tx.recordAcceptance(ticket, acceptance: CallAcceptance(sessionId: session, idlePort: nil), now: now)
            calls.append((ticket.jobRowId, session, ticket.calleeNbr, ticket.jobId))
        }
        return calls
    }
    (seeding as? PostgresStore)?.close()
    precondition(calls.count == sessions, "only \(calls.count) of \(sessions) calls set up")

    let daemon = CallspoolDaemon.makeServiceGroup(parts: parts, logger: quiet)
    let daemonTask = Task { try await daemon.run() }

    var clientConfiguration = HTTPClient.Configuration()
    clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
    clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(30))
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)

    // Wait for the receiver to listen (an unsigned GET is answered 404/405).
    let readyBy = ContinuousClock.now + .seconds(20)
    while true {
        do {
            var probe = HTTPClientRequest(url: "http://127.0.0.1:\(callbackPort)/")
            probe.method = .GET
            _ = try await client.execute(probe, timeout: .seconds(2))
            break
        } catch {
            guard ContinuousClock.now < readyBy else { throw error }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // The bodies, encoded before the clock starts.
    let encoder = JSONEncoder()
    let epoch = Int64(Date().timeIntervalSince1970)
    let stamp = CivilTime.formatEventTime(epochSeconds: epoch)
    let bodies: [[Data]] = try calls.map { call in
        let userData = "cs1.\(call.rowId).1"
        let events: [CallbackEvent] = [
            .status(.callout, CallStatusInfo(sessionId: call.sessionId, timestamp: stamp, userData: userData, caller: "+8675528000088", called: call.callee)),
            .status(.alerting, CallStatusInfo(sessionId: call.sessionId, timestamp: stamp, userData: userData, caller: "+8675528000088", called: call.callee)),
            .status(.answer, CallStatusInfo(sessionId: call.sessionId, timestamp: stamp, userData: userData, caller: "+8675528000088", called: call.callee)),
            .status(.collectInfo, CallStatusInfo(sessionId: call.sessionId, timestamp: stamp, digitInfo: "1")),
            .status(.disconnect, CallStatusInfo(
                sessionId: call.sessionId, timestamp: stamp, userData: userData, caller: "+8675528000088", called: call.callee,
                stateCode: 0, stateDesc: "The user releases the call.")),
        ]
        return try events.map { try encoder.encode($0) }
    }
    let eventsPerSession = bodies.first?.count ?? 0

    @Sendable func send(_ body: Data, nonce: String) async -> Bool {
        let created = CivilTime.formatCreated(epochSeconds: Int64(Date().timeIntervalSince1970))
        let digest = Digest.callback(appSecret: appSecret, url: statusURL, nonce: nonce, created: created)
        var request = HTTPClientRequest(url: statusURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=UTF-8")
        request.headers.add(name: "Authorization", value: #"AKSK realm="SDP",profile="UsernameToken",type="Appkey""#)
        request.headers.add(name: "X-AKSK", value: RequestSigner.token(appKey: appKey, digest: digest, nonce: nonce, created: created))
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 64 * 1024)
            return response.status.code == 200
        } catch {
            return false
        }
    }

    // Where the time goes: commits on the store's writer (and the events
    // per commit), CPU time of the whole process (client, server, store).
    // (SQLite only: PostgreSQL's commits are the server's.)
    let commits = CommitCounter()
    parts.sqlite?.countCommits(in: commits)
    let cpuBefore = processCPUSeconds()

    // Each worker takes whole sessions and sends their events in order.
    let next = ManagedAtomicCounter()
    let start = ContinuousClock.now
    let stored = await withTaskGroup(of: Int.self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var ok = 0
                var sequence = 0
                while let index = next.take(below: bodies.count) {
                    for body in bodies[index] {
                        sequence += 1
                        let nonce = String(format: "%08x%08x%016x", worker, sequence, UInt64.random(in: 0...UInt64.max))
                        if await send(body, nonce: nonce) { ok += 1 }
                    }
                }
                return ok
            }
        }
        return await group.reduce(0, +)
    }
    let seconds = (ContinuousClock.now - start).timeInterval
    let cpu = processCPUSeconds() - cpuBefore
    let commitCount = commits.count

    // Verify: every event stored, every job completed with digits ["1"].
    let eventRows = try await parts.sqlite?.read { db in
        try db.scalar(Int.self, "SELECT COUNT(*) FROM callEvent WHERE applied = 1") ?? 0
    }
    let completedWithDigit = try calls.filter { call in
        guard let job = try parts.database.jobDetail(id: call.jobId)?.job else { return false }
        return job.state == .completed && job.digits == ["1"]
    }.count
    try await client.shutdown()
    await daemon.triggerGracefulShutdown()
    _ = try? await daemonTask.value
    let expected = sessions * eventsPerSession
    print("verified: \(stored) of \(expected) answered 200, \(eventRows.map { "\($0)" } ?? "(PostgreSQL: not counted)") callEvent rows applied, \(completedWithDigit) of \(sessions) jobs completed with digits [\"1\"]")
    if parts.sqlite != nil {
        print(String(
            format: "where the time went: %d commits (%.1f events each, %.0f commits/s)", commitCount, Double(stored) / Double(max(commitCount, 1)),
            Double(commitCount) / seconds))
    }
    print(String(
        format: "process CPU %.2f s of %.2f s wall (%.0f %% of one core, %.0f µs CPU per event)", cpu, seconds, cpu / seconds * 100,
        cpu / Double(max(stored, 1)) * 1_000_000))
    precondition(stored == expected && (eventRows ?? expected) == expected && completedWithDigit == sessions, "callback benchmark did not store everything")
    return Measurement(
        name: "signed callback events stored (\(sessions) calls × \(eventsPerSession) events, \(concurrency) clients)",
        count: stored, seconds: seconds, unit: "events", target: 5000)
}

/// A lock-protected index dispenser shared by the workers.
final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// User + system CPU seconds of this process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1_000_000
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1_000_000
    return user + system
}
