import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// The directories and files `callspool run` writes: the spool, the store,
/// the results directory.
extension ConfigDoctor {
    /// The spool root and its four directories exist (or can be created by
    /// the service user), are writable by it, and are on one file system so
    /// that moves between them are atomic renames; `tmp` and `incoming`, when
    /// the group writes them, are setgid and sticky (``SpoolLayout/sharedMode``).
    func spoolItems(_ spool: Configuration.Spool) -> [CheckItem] {
        var items: [CheckItem] = []
        var devices: [String: dev_t] = [:]
        var rootInfo = stat()
        if stat(spool.dir, &rootInfo) != 0 {
            // One line for the whole tree rather than one per directory.
            return [missingDirectory(
                "spool", spool.dir, createdBy: "callspool run (or systemd-tmpfiles --create callspool.conf)", shown: spool.dir + " (and tmp, incoming, processed, rejected)")]
        }
        for path in [spool.dir, spool.tmp, spool.incoming, spool.processed, spool.rejected] {
            var info = stat()
            if stat(path, &info) != 0 {
                items.append(missingDirectory("spool", path, createdBy: "callspool run (or systemd-tmpfiles --create callspool.conf)"))
                continue
            }
            guard info.st_mode & 0o170000 == 0o040000 else {
                items.append(CheckItem("spool", .problem, "\(path) is not a directory"))
                continue
            }
            guard user.canWrite(directory: info) else {
                items.append(CheckItem("spool", .problem, "\(path) is not writable by \(user.name) (mode \(String(info.st_mode & 0o7777, radix: 8))); fix its owner or mode"))
                continue
            }
            devices[path] = info.st_dev
            if path == spool.tmp || path == spool.incoming, let issue = Self.sharedDirectoryIssue(mode: info.st_mode) {
                items.append(CheckItem(
                    "spool", .warning,
                    "\(path) has mode \(String(info.st_mode & 0o7777, radix: 8)): \(issue); run: chmod \(String(SpoolLayout.sharedMode, radix: 8)) \(path) (systemd-tmpfiles --create callspool.conf does it too)"))
            }
        }
        if Set(devices.values).count > 1 {
            let listing = devices.sorted { $0.key < $1.key }.map { "\($0.key) (device \($0.value))" }.joined(separator: ", ")
            items.append(CheckItem("spool", .problem, "the spool directories are on different file systems: \(listing); moves between them would not be atomic renames, keep them under one mount"))
        }
        if items.isEmpty {
            items.append(CheckItem("spool", .ok, "\(spool.dir): tmp, incoming, processed, rejected writable by \(user.name), one file system"))
        }
        return items
    }

    /// What is wrong with the mode of `tmp/` or `incoming/`, or nil. Only a
    /// directory others than its owner may write (the submitters' group)
    /// needs the sticky bit (else any submitter can delete or replace
    /// another's pending job file) and setgid (else files do not keep the
    /// spool's group); one only its owner writes needs neither.
    static func sharedDirectoryIssue(mode: mode_t) -> String? {
        guard mode & 0o022 != 0 else { return nil }
        var issues: [String] = []
        if mode & mode_t(S_ISVTX) == 0 { issues.append("writable by the group but not sticky, so any submitter can delete or replace another's pending file") }
        if mode & mode_t(S_ISGID) == 0 { issues.append("not setgid, so files written there do not keep the spool's group") }
        if mode & 0o002 != 0 { issues.append("writable by every user") }
        return issues.isEmpty ? nil : issues.joined(separator: "; ")
    }

    /// The store file opens read-only and its schema is the one this
    /// version expects (without migrating it: that is `callspool run`'s job).
    func storeItem(_ path: String) -> CheckItem {
        guard FileManager.default.fileExists(atPath: path) else {
            return missingDirectoryOrOK("store", path, created: "no store yet at \(path); callspool run creates it")
        }
        do {
            switch try AppDatabase.schemaState(path: path) {
            case .newer:
                return CheckItem("store", .problem, "\(path) was written by a newer callspool (unknown schema migrations); run that version or restore a backup")
            case .current:
                return CheckItem("store", .ok, "\(path) opens, schema current")
            case .older:
                return CheckItem("store", .warning, "\(path) opens, schema older than this version: callspool run migrates it at start (take a backup first)")
            }
        } catch {
            return CheckItem("store", .problem, "cannot open \(path): \(error); check its owner and mode (the service user must read and write it)")
        }
    }

    /// results.dir exists (or can be created) and is writable.
    func resultsItem(_ path: String) -> CheckItem {
        var info = stat()
        guard stat(path, &info) == 0 else { return missingDirectory("results", path, createdBy: "callspool run") }
        guard info.st_mode & 0o170000 == 0o040000 else { return CheckItem("results", .problem, "\(path) is not a directory") }
        guard user.canWrite(directory: info) else {
            return CheckItem("results", .problem, "\(path) is not writable by \(user.name); under systemd also add it to ReadWritePaths=")
        }
        return CheckItem("results", .ok, "\(path) writable by \(user.name)")
    }

    /// A missing directory: a warning when the service user can create it, a problem otherwise.
    func missingDirectory(_ name: String, _ path: String, createdBy creator: String, shown: String? = nil) -> CheckItem {
        if let parent = nearestExistingParent(of: path), user.canWrite(directory: parent.info) {
            return CheckItem(name, .warning, "\(shown ?? path) does not exist yet; \(creator) creates it")
        }
        return CheckItem(name, .problem, "\(shown ?? path) does not exist and \(user.name) cannot create it; create it (see systemd/callspool.tmpfiles)")
    }

    /// A missing file whose directory the service user can write (or create).
    func missingDirectoryOrOK(_ name: String, _ path: String, created: String) -> CheckItem {
        guard let parent = nearestExistingParent(of: path) else {
            return CheckItem(name, .problem, "no existing directory above \(path)")
        }
        if user.canWrite(directory: parent.info) { return CheckItem(name, .ok, created) }
        return CheckItem(name, .problem, "\(path) does not exist and \(parent.path) is not writable by \(user.name); create the directory for it")
    }

    func nearestExistingParent(of path: String) -> (path: String, info: stat)? {
        var current = (path as NSString).deletingLastPathComponent
        while !current.isEmpty {
            var info = stat()
            if stat(current, &info) == 0 { return (current, info) }
            if current == "/" { return nil }
            current = (current as NSString).deletingLastPathComponent
        }
        return nil
    }
}
