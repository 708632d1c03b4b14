import Foundation

/// What identifies one version of a spool file: name, device, inode, size and
/// modification time. Used as the intake key so a file re-read after a crash
/// is recognised, and to tell whether a file is still changing (settle).
struct FileIdentity: Sendable, Hashable {
    var name: String
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var mtimeNanoseconds: Int64
    var isSymlink: Bool
    var isRegular: Bool

    static func of(path: String, name: String) -> FileIdentity? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return FileIdentity(
            name: name, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            mtimeNanoseconds: mtime, isSymlink: kind == S_IFLNK, isRegular: kind == S_IFREG)
    }

    var intakeKey: String { "\(name)|\(device)|\(inode)|\(size)|\(mtimeNanoseconds)" }
    var modified: Date { Date(timeIntervalSince1970: Double(mtimeNanoseconds) / 1e9) }
}

extension FileIdentity {
    /// The identity of what was actually opened (fstat of the descriptor).
    init(name: String, opened: OpenedFile) {
        self.init(
            name: name, device: opened.device, inode: opened.inode, size: opened.size, mtimeNanoseconds: opened.mtimeNanoseconds,
            isSymlink: opened.kind == .symlink, isRegular: opened.kind == .regular)
    }
}
