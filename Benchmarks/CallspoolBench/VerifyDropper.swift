import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation

/// Drops single verify job files into the spool the way writers must
/// (write in `tmp/`, rename(2) into `incoming/`), each for its own callee,
/// and remembers the instant of each rename.
final class VerifyDropper: @unchecked Sendable {
    struct Drop {
        var callee: String
        var renamedAt: ContinuousClock.Instant
    }

    let layout: SpoolLayout
    private let lock = NSLock()
    private var drops: [Drop] = []
    private var done = false

    init(layout: SpoolLayout) {
        self.layout = layout
    }

    static func callee(_ index: Int) -> String { "+86138" + String(format: "%08d", index) }

    /// Writes and renames one file; the instant is taken just before rename(2).
    func drop(index: Int) throws {
        let name = "verify-\(index).json"
        let callee = Self.callee(index)
        let text = #"{"type":"verify","id":"bench-verify-\#(index)","calleeNbr":"\#(callee)","verifyCode":"482913","preTone":"otp_pre.wav","ttl":"5m"}"#
        let staging = layout.tmp + "/" + name
        guard FileManager.default.createFile(atPath: staging, contents: Data(text.utf8)) else {
            throw BenchError("cannot write \(staging)")
        }
        let at = ContinuousClock.now
        guard rename(staging, layout.incoming + "/" + name) == 0 else { throw BenchError("rename failed: \(errno)") }
        lock.lock()
        drops.append(Drop(callee: callee, renamedAt: at))
        lock.unlock()
    }

    /// One file every `interval` until `count` files or `deadline`.
    func run(every interval: Duration, count: Int, deadline: ContinuousClock.Instant) async throws {
        defer { finish() }
        var next = ContinuousClock.now
        for index in 0..<count {
            guard next < deadline else { break }
            try await Task.sleep(until: next)
            try drop(index: index)
            next += interval
        }
    }

    private func finish() {
        lock.lock()
        done = true
        lock.unlock()
    }

    var finished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    var dropped: [Drop] {
        lock.lock()
        defer { lock.unlock() }
        return drops
    }

    /// Rename-to-arrival latencies of the drops, in seconds; drops the
    /// simulator never saw are counted as missing.
    func latencies(arrivals: ArrivalLog) -> LatencySummary {
        var samples: [Double] = []
        var missing = 0
        for drop in dropped {
            if let arrived = arrivals.firstVerify(callee: drop.callee) {
                samples.append((arrived - drop.renamedAt).timeInterval)
            } else {
                missing += 1
            }
        }
        return LatencySummary(samples: samples, missing: missing)
    }
}
