import CallSpool
import Foundation
import Logging
import ServiceLifecycle
import Testing
import VoiceCallAPI
import VoiceCallSimulator

/// The daemon as `callspool run` builds it, against the simulator on loopback:
/// jobs dropped in the spool are dispatched, called, and matched back with
/// their digits and outcomes — with the platform's real port limit hidden
/// below the configured one.
@Suite(.serialized) struct EndToEndTests {
    static let scenarioJSON = """
    {"displayNumbers": ["+8675528000088", "+8675528000089"],
     "limits": {"ports": 4, "requestsPerSecond": 1000, "perCalleeMax": 3, "perCalleeWindowSeconds": 86400, "perDisplayNumberPerMinute": 100000},
     "timing": {"calloutSeconds": 0.1, "feeDelaySeconds": 0.2, "feeBatchWindowSeconds": 0.1},
     "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 1, "talkSeconds": 2},
     "callees": {"+8613700000005": {"outcome": "busy"}}}
    """

    @Test(.timeLimit(.minutes(2)))
    func jobsFlowFromSpoolToCompletedWithDigits() async throws {
        let scenario = try JSONDecoder().decode(SimulatorScenario.self, from: Data(Self.scenarioJSON.utf8))
        let simulator = VoiceCallSimulator(configuration: .init(scenario: scenario, clock: SimulatorClock(timeScale: 20), seed: 3, inspection: true, logger: Logger(label: "sim")))
        let platformPort = try FreePort.find()
        let callbackPort = try FreePort.find()
        let app = simulator.makeApplication(host: "127.0.0.1", port: platformPort)
        let simulatorGroup = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "sim-group")))
        let simulatorTask = Task { try await simulatorGroup.run() }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let toml = """
        [platform]
        base_url = "http://127.0.0.1:\(platformPort)"
        app_key = "\(simulator.credentials.appKey)"
        app_secret = "\(simulator.credentials.appSecret)"
        timeout = "5s"
        [spool]
        dir = "\(dir)/spool"
        [store]
        path = "\(dir)/store.sqlite"
        [callbacks]
        listen = "127.0.0.1:\(callbackPort)"
        status_url = "http://127.0.0.1:\(callbackPort)/cb/status"
        fee_url = "http://127.0.0.1:\(callbackPort)/cb/fee"
        [limits]
        max_concurrent_calls = 8
        verify_reserved_ports = 1
        [defaults]
        display_numbers = ["+8675528000088", "+8675528000089"]
        window = { start = "00:00", end = "24:00", tz = "Asia/Shanghai" }
        [metrics]
        listen = "127.0.0.1:0"
        """
        let configuration = try ConfigurationLoader(environment: [:]).parse(toml, file: "e2e.toml", purpose: .daemon)
        var logger = Logger(label: "e2e")
        logger.logLevel = .warning
        let parts = try CallspoolDaemon.makeParts(configuration: configuration, logger: logger)
        let daemon = CallspoolDaemon.makeServiceGroup(parts: parts, logger: logger)
        let daemonTask = Task { try await daemon.run() }

        // 24 notify jobs (one callee always busy) and a login code.
        var lines: [String] = []
        for index in 0..<24 {
            let callee = "+86137000000" + (index < 10 ? "0\(index)" : "\(index)")
            lines.append(#"{"type":"notify","id":"n\#(index)","calleeNbr":"\#(callee)","playInfoList":[{"notifyVoice":"a.wav","collectInd":1}]}"#)
        }
        lines.append(#"{"type":"verify","id":"otp","calleeNbr":"+8613900000001","verifyCode":"4829","preTone":"p.wav"}"#)
        let file = dir + "/batch.jsonl"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file))
        let layout = SpoolLayout(root: configuration.spool.dir)
        try layout.ensureExists()
        guard case .submitted = try SpoolSubmitter(layout: layout).submit(path: file) else {
            Issue.record("submit refused the file")
            return
        }

        let deadline = Date().addingTimeInterval(60)
        var counts: [JobState: Int] = [:]
        while Date() < deadline {
            counts = try parts.database.stateCounts()
            if counts[.completed] == 25 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(counts[.completed] == 25, "states: \(counts)")
        let otp = try #require(try parts.database.jobDetail(id: "otp"))
        #expect(otp.job.outcome == .answered)
        #expect(!otp.job.payload.contains("4829"))
        let busy = try #require(try parts.database.jobDetail(id: "n5"))
        #expect(busy.job.outcome == .busy)
        for index in [0, 7, 23] {
            let job = try #require(try parts.database.jobDetail(id: "n\(index)"))
            #expect(job.job.outcome == .answered)
            #expect(job.job.digitList == ["1"])
            #expect(job.attempts.filter { $0.sessionId != nil }.count == 1)
        }
        // Nobody was called twice, and the hidden limit of 4 ports held.
        let snapshot = await simulator.snapshot()
        #expect(snapshot.peakPorts <= 4)
        // The adaptive limit finds the hidden 4 ports (idlePort) instead of being pushed back call after call:
        // only the first burst (8 configured ports, before any answer) can overshoot.
        #expect((snapshot.resultCodes["1020154"] ?? 0) <= 6, "\(snapshot.resultCodes)")
        #expect(snapshot.callsPerCallee.values.allSatisfy { $0 == 1 }, "\(snapshot.callsPerCallee)")

        await daemon.triggerGracefulShutdown()
        try await daemonTask.value
        await simulatorGroup.triggerGracefulShutdown()
        try await simulatorTask.value
    }
}

enum FreePort {
    /// A TCP port free on 127.0.0.1 right now.
    static func find() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
