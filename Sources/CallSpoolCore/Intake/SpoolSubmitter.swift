import CSpoolSystem
import Foundation

/// `callspool submit`: validates a job file, then places it in `incoming/`
/// atomically (copy into `tmp/`, flush, then rename into `incoming/` without
/// replacing a file of the same name), so the daemon never sees half a file.
public struct SpoolSubmitter: Sendable {
    public let layout: SpoolLayout
    public var maxFileBytes: Int64

    public init(layout: SpoolLayout, maxFileBytes: Int64 = 256 << 20) {
        self.layout = layout
        self.maxFileBytes = maxFileBytes
    }

    public enum Outcome: Sendable {
        case submitted(name: String, report: FileReport)
        case invalid(FileReport)
    }

    /// Validates `path` and drops it unless it has errors (or `allowPartial`
    /// is set and only some jobs are bad). Returns the name used in `incoming/`.
    public func submit(path: String, allowPartial: Bool = false) throws -> Outcome {
        let report = JobFileLinter.lint(path: path, maxBytes: maxFileBytes)
        if report.error != nil || (!report.rejected.isEmpty && !allowPartial) || report.accepted == 0 {
            return .invalid(report)
        }
        let name = (path as NSString).lastPathComponent
        let staging = layout.tmp + "/.submit-\(getpid())-\(UInt64.random(in: 0...UInt64.max))-" + name
        try FileManager.default.copyItem(atPath: path, toPath: staging)
        defer { unlink(staging) }
        let descriptor = open(staging, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        _ = chmod(staging, 0o640)
        var target = name
        var counter = 2
        // renameat2(RENAME_NOREPLACE): atomic, never overwrites, and inotify
        // reports it as a completed arrival (IN_MOVED_TO).
        while renameNoReplace(staging, layout.incoming + "/" + target) != 0 {
            guard errno == EEXIST else { throw POSIXError.current("place \(name) in \(layout.incoming)") }
            let ext = (name as NSString).pathExtension
            let stem = (name as NSString).deletingPathExtension
            target = "\(stem)-\(counter).\(ext)"
            counter += 1
        }
        return .submitted(name: target, report: report)
    }
}

/// Renames without replacing an existing target (fails with EEXIST):
/// renameat2(2) with RENAME_NOREPLACE, through the `CSpoolSystem` shim.
func renameNoReplace(_ from: String, _ to: String) -> Int32 {
    cspool_rename_noreplace(from, to)
}
