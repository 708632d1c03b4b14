import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallSimulator

extension EndToEnd {
    /// Nothing of a person outlives its use (issue 12, item 2): after a run
    /// with a campaign (whose default job ids embed the callee number) and a
    /// verify job, the daemon's whole log holds no callee number in full, and
    /// the store file, its WAL and processed/ hold no byte of the code.
    @Suite struct Privacy {
        /// The last campaign callee is blacklisted: its job fails, and the
        /// failure is logged with its id, `otp/<number>`.
        static var scenario: String {
            """
        {"blacklist": ["\(JobLine.callee(4))"],
         "limits": {"ports": 10, "requestsPerSecond": 0},
         "timing": {"calloutSeconds": 0.05, "feeDelaySeconds": 0.1, "feeBatchWindowSeconds": 0.05},
         "defaults": {"outcome": "answer", "digits": ["1"], "ringSeconds": 0.2, "talkSeconds": {"min": 0.5, "max": 1}}}
        """
        }
        static let code = "73519864"

        @Test(.timeLimit(.minutes(1)))
        func noFullNumberInTheLogAndNoCodeOnDiskAfterTheRun() async throws {
            let log = CapturedLog()
            var options = DaemonHarness.Options(scenario: Self.scenario)
            options.logger = log.logger()
            let callees = (0..<5).map { JobLine.callee($0) }
            let verifyCallee = JobLine.callee(9, prefix: "+86139")
            try await DaemonHarness.run(options) { daemon in
                let jobs = callees.map { #"{"calleeNbr":"\#($0)"}"# }.joined(separator: ",")
                try daemon.submit(
                    contents: #"{"campaign":"otp","type":"notify","defaults":{"playInfoList":[{"notifyVoice":"a.wav"}]},"jobs":[\#(jobs)]}"#,
                    fileName: "otp.json")
                try daemon.submit([JobLine.verify("login", callee: verifyCallee, code: Self.code)])
                #expect(try await daemon.waitFor(.completed, count: 5, timeout: .seconds(30)), "\(daemon.states)")
                #expect(try await daemon.waitFor(.failed, count: 1, timeout: .seconds(30)), "\(daemon.states)")
                // The checkpoint the daemon runs after erasures (at most every 10 s), now.
                #expect(try await eventually { try daemon.parts.secrets.runOnce(checkpointed: nil) != nil })
                let store = daemon.configuration.store.path
                for path in [store, store + "-wal", daemon.configuration.spool.dir + "/processed"] {
                    #expect(try !Self.contains(Self.code, under: path), "\(path) holds the verify code")
                }
            }
            let text = log.text
            #expect(text.contains("otp"), "the log captured nothing")
            for callee in callees + [verifyCallee] {
                #expect(!text.contains(callee), "the log holds \(callee) in full")
                #expect(!text.contains(String(callee.dropFirst())), "the log holds \(callee) in full")
            }
        }

        /// Whether `needle`'s bytes occur in the file at `path`, or in any file under it.
        static func contains(_ needle: String, under path: String) throws -> Bool {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
            let files = isDirectory.boolValue ? try FileManager.default.contentsOfDirectory(atPath: path).map { path + "/" + $0 } : [path]
            let bytes = Data(needle.utf8)
            return try files.contains { try Data(contentsOf: URL(fileURLWithPath: $0)).range(of: bytes) != nil }
        }
    }
}
