import Foundation

/// The spool directories of docs/job-files.md and the rules for names in them.
public struct SpoolLayout: Sendable {
    public let root: String
    public var tmp: String { root + "/tmp" }
    public var incoming: String { root + "/incoming" }
    public var processed: String { root + "/processed" }
    public var rejected: String { root + "/rejected" }

    public init(root: String) {
        self.root = root
    }

    /// The mode of `tmp` and `incoming`: group-writable (writers belong to
    /// the spool's group), setgid (files keep that group) and sticky (a
    /// submitter can delete or rename only their own files, never replace
    /// another's pending job file), as `/tmp` is.
    public static let sharedMode: mode_t = 0o3770

    /// Creates the directories that are missing: `tmp` and `incoming` with
    /// ``sharedMode``; `processed` and `rejected` setgid and readable by the
    /// group only. Existing directories are left as they are (`callspool
    /// check` reports a shared one without the sticky bit).
    public func ensureExists() throws {
        let manager = FileManager.default
        for (path, mode) in [(root, 0o755), (tmp, Int(Self.sharedMode)), (incoming, Int(Self.sharedMode)), (processed, 0o2750), (rejected, 0o2750)] {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw SpoolError.notADirectory(path) }
                continue
            }
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: nil)
            _ = chmod(path, mode_t(mode))
        }
    }

    /// Names the daemon leaves alone: dotfiles and files still being written.
    public static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
    }

    /// A report's name: never read as a job file; one dropped into
    /// `incoming/` is rejected (with a report saying why) rather than left
    /// there unnoticed.
    public static func isReport(_ name: String) -> Bool {
        name.hasSuffix(".report.json")
    }

    /// `directory/name`, or `directory/name.N` when that is taken.
    static func freeName(in directory: String, for name: String) -> String {
        var candidate = name
        var counter = 1
        while FileManager.default.fileExists(atPath: directory + "/" + candidate)
            || FileManager.default.fileExists(atPath: directory + "/" + candidate + ".report.json") {
            candidate = "\(name).\(counter)"
            counter += 1
        }
        return candidate
    }
}

/// A spool directory problem that stops intake.
public enum SpoolError: Error, CustomStringConvertible {
    case notADirectory(String)
    case cannotWatch(String, Int32)

    public var description: String {
        switch self {
        case .notADirectory(let path): "\(path) exists but is not a directory"
        case .cannotWatch(let path, let code): "cannot watch \(path): \(String(cString: strerror(code)))"
        }
    }
}
