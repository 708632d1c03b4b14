import Foundation

/// This process's resident memory: current (`/proc/self/statm`) and peak (`getrusage`).
enum ResidentMemory {
    /// Current resident set size in MB, from the second field of /proc/self/statm.
    static func currentMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return .nan }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return .nan }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func peakMegabytes() -> Double { peakRSSMegabytes() }
}
