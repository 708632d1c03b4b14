import Foundation
import Synchronization

/// A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary
/// directory, `pg_ctl start` on a free loopback port, one fresh database per
/// test, `pg_ctl stop` when the test process exits.
///
/// Exists so the PostgreSQL store runs the same suites as SQLite on any
/// machine with Debian's `postgresql` package (CI installs it), and so a
/// machine without it reports those tests as skipped with the reason instead
/// of failing. As root (CI), the server runs as the `postgres` user, since
/// PostgreSQL refuses to run as root. Durability settings are off: these are
/// tests of behaviour, and a test database never outlives its process.
public final class PostgresCluster: Sendable {
    public let port: Int
    public let directory: String
    private let binaries: String
    private let owner: String?
    private let databases = Mutex(0)

    /// The cluster of this test process, started on first use; nil (with
    /// ``unavailableReason``) when PostgreSQL is not installed or did not start.
    public static var shared: PostgresCluster? { start.cluster }
    /// Why PostgreSQL tests are skipped here, or nil when they run.
    public static var unavailableReason: String? { start.reason }
    public static var isAvailable: Bool { shared != nil }

    private static let start: (cluster: PostgresCluster?, reason: String?) = {
        do {
            let cluster = try PostgresCluster.launch()
            atexit { PostgresCluster.stopShared() }
            return (cluster, nil)
        } catch {
            return (nil, "\(error)")
        }
    }()

    private static func stopShared() { shared?.stop() }

    /// Whether the server also takes TLS connections (openssl made its certificate).
    public let tls: Bool

    private init(port: Int, directory: String, binaries: String, owner: String?, tls: Bool) {
        self.tls = tls
        self.port = port
        self.directory = directory
        self.binaries = binaries
        self.owner = owner
    }

    /// A new, empty database; its URL for `[store] url`.
    public func makeDatabase() throws -> String {
        let name = databases.withLock { count in
            count += 1
            return "t\(getpid())_\(count)_\(UInt32.random(in: 0...UInt32.max))"
        }
        try Self.run(binaries + "/createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "callspool", name], as: nil)
        return url(database: name)
    }

    public func url(database: String) -> String { "postgresql://callspool@127.0.0.1:\(port)/\(database)" }

    /// Stops the server at once (tests are over; nothing to keep).
    public func stop() {
        _ = try? Self.run(binaries + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], as: owner)
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Starting

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    static func launch() throws -> PostgresCluster {
        guard let binaries = findBinaries() else {
            throw Unavailable(description: "initdb and pg_ctl not found (install Debian's postgresql package)")
        }
        let owner: String? = geteuid() == 0 ? "postgres" : nil
        if let owner, getpwnam(owner) == nil {
            throw Unavailable(description: "running as root and there is no '\(owner)' user for the server")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let owner, let entry = getpwnam(owner) {
            guard chown(directory, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
                throw Unavailable(description: "cannot give \(directory) to \(owner): errno \(errno)")
            }
        }
        try run(binaries + "/initdb", ["-D", directory + "/data", "-U", "callspool", "--auth=trust", "-E", "UTF8", "--no-sync"], as: owner)
        // A self-signed certificate, so TLS connections can be tested too
        // (plain ones are still accepted).
        let tls = (try? run(
            "/usr/bin/openssl",
            ["req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", directory + "/data/server.key", "-out", directory + "/data/server.crt"],
            as: owner)) != nil
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try freePort()
            let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" + (tls ? " -c ssl=on" : "")
            do {
                try run(binaries + "/pg_ctl", ["-D", directory + "/data", "-o", options, "-l", directory + "/server.log", "-w", "-t", "60", "start"], as: owner)
                return PostgresCluster(port: port, directory: directory, binaries: binaries, owner: owner, tls: tls)
            } catch {
                lastError = error  // the port was taken meanwhile: try another
            }
        }
        let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
        throw Unavailable(description: "pg_ctl start failed: \(lastError.map { "\($0)" } ?? "?") \(log.suffix(400))")
    }

    /// The directory holding initdb and pg_ctl: PATH first, then Debian's
    /// versioned directories (newest first).
    static func findBinaries() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) where FileManager.default.isExecutableFile(atPath: directory + "/initdb") {
            let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/initdb")).map { ($0 as NSString).deletingLastPathComponent }
            let candidate = resolved ?? directory
            if FileManager.default.isExecutableFile(atPath: candidate + "/pg_ctl"), FileManager.default.isExecutableFile(atPath: candidate + "/createdb") {
                return candidate
            }
        }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for version in versions {
            let candidate = "/usr/lib/postgresql/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: candidate + "/initdb") { return candidate }
        }
        return nil
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Unavailable(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Unavailable(description: "bind: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Unavailable(description: "getsockname: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a PostgreSQL program to its end (as `user` through runuser when
    /// given), its output in a file. posix_spawn and waitpid rather than
    /// Foundation's Process: the server pg_ctl leaves running must not keep
    /// this waiting, and the wait must not depend on a run loop.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], as user: String?) throws -> String {
        let argv = user.map { ["/usr/sbin/runuser", "-u", $0, "--", program] + arguments } ?? [program] + arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-pg-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot start \(argv[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            throw Unavailable(description: "\((program as NSString).lastPathComponent) exited with status \(status): \(text.suffix(600))")
        }
        return text
    }
}
