import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// The account the daemon runs as, for `callspool check`'s "writable by the
/// service user" questions: the current user, except that root checks on
/// behalf of the packaged `callspool` user (an operator runs the check as
/// root, the daemon runs as `callspool`).
public struct ServiceUser: Sendable, Equatable {
    public var name: String
    public var uid: uid_t
    public var groups: Set<gid_t>

    public init(name: String, uid: uid_t, groups: Set<gid_t>) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }

    /// The user `callspool check` judges access for (see the type).
    public static func forCheck(serviceName: String = "callspool") -> ServiceUser {
        if geteuid() == 0, let service = named(serviceName) { return service }
        let uid = geteuid()
        var groups = Set<gid_t>([getegid()])
        let count = getgroups(0, nil)
        if count > 0 {
            var list = [gid_t](repeating: 0, count: Int(count))
            let got = getgroups(count, &list)
            if got > 0 { groups.formUnion(list.prefix(Int(got))) }
        }
        let name = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(uid)"
        return ServiceUser(name: name, uid: uid, groups: groups)
    }

    /// The account `name` from the user database, with its groups.
    public static func named(_ name: String) -> ServiceUser? {
        guard let entry = getpwnam(name) else { return nil }
        let uid = entry.pointee.pw_uid
        let primary = entry.pointee.pw_gid
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, primary, &list, &count) == -1 {
            list = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, primary, &list, &count)
        }
        return ServiceUser(name: name, uid: uid, groups: Set(list.prefix(Int(max(count, 0)))).union([primary]))
    }

    /// Whether this user may create and rename entries in the directory
    /// described by `info` (write and search permission).
    public func canWrite(directory info: stat) -> Bool {
        if uid == 0 { return true }
        let mode = info.st_mode
        if info.st_uid == uid { return mode & 0o300 == 0o300 }
        if groups.contains(info.st_gid) { return mode & 0o030 == 0o030 }
        return mode & 0o003 == 0o003
    }

    /// Whether this user may read the file described by `info`.
    public func canRead(file info: stat) -> Bool {
        if uid == 0 { return true }
        let mode = info.st_mode
        if info.st_uid == uid { return mode & 0o400 != 0 }
        if groups.contains(info.st_gid) { return mode & 0o040 != 0 }
        return mode & 0o004 != 0
    }
}
