import AsyncHTTPClient
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP API under load, in the daemon `callspool run` builds (against
/// the simulator, as `latency-idle` does):
/// - `api-latency N`: one verify job POSTed every 200 ms to an idle daemon;
///   the time from starting the POST to the simulator receiving the call
///   (and, apart, to the 201);
/// - `api-campaign N`: one campaign document of N notify jobs in one POST,
///   timed to the 201 (every job committed).
struct APIBenchmark {
    static let token = "bench-api-token-0123456789abcdef"
    var setup = ScaledSetup(timeScale: 60, hiddenPorts: 100, configuredPorts: 10, verifyReserved: "auto")

    struct Running {
        let run: SimulatorRun
        let daemon: ServiceGroup
        let task: Task<Void, any Error>
        let base: String
        let dir: String

        func stop() async {
            await daemon.triggerGracefulShutdown()
            _ = try? await task.value
            await run.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    func start(logger: Logger) async throws -> Running {
        let run = try await SimulatorRun.start(scenario: try setup.scenario(), timeScale: setup.timeScale, logger: logger)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-bench-\(UUID().uuidString)").path
        var configuration = try setup.configuration(platformBaseURL: run.baseURL, credentials: run.simulator.credentials, dir: dir)
        let port = 23_000 + Int.random(in: 0..<2000)
        configuration.api = Configuration.API(
            listen: ListenAddress(host: "127.0.0.1", port: port), clients: [APIClient(name: "bench", token: Self.token, scopes: [.submit, .read])])
        configuration.callGuard.verifyPerCallee = nil
        configuration.callGuard.verifyPerPrefix = nil
        let parts = try CallspoolDaemon.makeParts(configuration: configuration, logger: logger)
        let daemon = CallspoolDaemon.makeServiceGroup(parts: parts, logger: logger)
        let task = Task { try await daemon.run() }
        try await Task.sleep(for: .milliseconds(1500))  // started and idle
        return Running(run: run, daemon: daemon, task: task, base: "http://127.0.0.1:\(port)", dir: dir)
    }

    static func post(_ client: HTTPClient, _ url: String, body: String) async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(120))
        _ = try await response.body.collect(upTo: 1 << 24)
        return response.status.code
    }

    func latency(samples: Int, logger: Logger) async throws -> (call: LatencySummary, answer: LatencySummary) {
        let running = try await start(logger: logger)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var started: [(callee: String, at: ContinuousClock.Instant)] = []
        var answers: [Double] = []
        var next = ContinuousClock.now
        for index in 0..<samples {
            try await Task.sleep(until: next)
            next += .milliseconds(200)
            let callee = VerifyDropper.callee(index)
            let body = #"{"type":"verify","id":"api-verify-\#(index)","calleeNbr":"\#(callee)","verifyCode":"482913","preTone":"otp_pre.wav","ttl":"5m"}"#
            let at = ContinuousClock.now
            let status = try await Self.post(client, running.base + "/v1/jobs", body: body)
            answers.append((ContinuousClock.now - at).timeInterval)
            guard status == 201 else { throw BenchError("POST /v1/jobs answered \(status)") }
            started.append((callee, at))
        }
        let waitUntil = ContinuousClock.now + .seconds(10)
        while started.contains(where: { running.run.arrivals.firstVerify(callee: $0.callee) == nil }), ContinuousClock.now < waitUntil {
            try await Task.sleep(for: .milliseconds(20))
        }
        var calls: [Double] = []
        var missing = 0
        for sample in started {
            if let arrived = running.run.arrivals.firstVerify(callee: sample.callee) { calls.append((arrived - sample.at).timeInterval) } else { missing += 1 }
        }
        try await client.shutdown()
        await running.stop()
        return (LatencySummary(samples: calls, missing: missing), LatencySummary(samples: answers))
    }

    func campaign(jobs count: Int, logger: Logger) async throws -> Measurement {
        let running = try await start(logger: logger)
        // Timed to the 201: taking the jobs in (every one committed), not calling them.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var jobs: [String] = []
        jobs.reserveCapacity(count)
        for index in 0..<count {
            jobs.append(#"{"calleeNbr":"+86139\#(String(format: "%08d", index))","templateParas":["c\#(index)"]}"#)
        }
        let body = #"{"campaign":"api-bench","type":"notify","defaults":{"playInfoList":[{"templateId":"appt_remind"}]},"jobs":["# + jobs.joined(separator: ",") + "]}"
        let start = ContinuousClock.now
        let status = try await Self.post(client, running.base + "/v1/jobs", body: body)
        let seconds = (ContinuousClock.now - start).timeInterval
        try await client.shutdown()
        await running.stop()
        guard status == 201 else { throw BenchError("POST /v1/jobs of the campaign answered \(status)") }
        return Measurement(
            name: "a \(count)-job campaign in one POST /v1/jobs (\(body.utf8.count / 1024) KiB), to the 201", count: count, seconds: seconds, unit: "jobs", target: 20_000)
    }
}
