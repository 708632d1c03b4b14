@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import CallspoolTestSupport
import Foundation
import Testing
import VoiceCallAPI

/// `callspool check`: each line says what is wrong, in temporary
/// directories, with a local HTTP server standing in for the platform's clock.
@Suite struct ConfigDoctorTests {
    /// A complete setup: config, secret file (0600), spool with its four
    /// directories, base_url pointing at `server`.
    struct Setup {
        let temp: TemporaryDirectory
        var config: String { temp.path + "/callspool.toml" }
        var spool: String { temp.path + "/spool" }

        init(baseURL: String, extra: String = "", secretMode: Int = 0o600, listen: String = "0.0.0.0:8080",
             statusURL: String = "https://cb.example.com/callspool/status", numbers: String = #"["+8675528000088"]"#, store: String = "") throws {
            temp = try TemporaryDirectory()
            let secret = try temp.write("app_secret", "s3cret\n")
            chmod(secret, mode_t(secretMode))
            try SpoolLayout(root: temp.path + "/spool").ensureExists()
            try temp.write("callspool.toml", """
                [platform]
                base_url = "\(baseURL)"
                app_key = "key"
                app_secret_file = "\(secret)"
                timeout = "2s"
                [spool]
                dir = "\(temp.path)/spool"
                [store]
                path = "\(temp.path)/state/callspool.sqlite"
                \(store)
                [callbacks]
                listen = "\(listen)"
                status_url = "\(statusURL)"
                fee_url = "https://cb.example.com/callspool/fee"
                [defaults]
                display_numbers = \(numbers)
                \(extra)
                """)
        }
    }

    static func doctor(clock now: @escaping @Sendable () -> Date = { Date() }) -> ConfigDoctor {
        ConfigDoctor(environment: [:], user: .forCheck(serviceName: "no-such-user-\(UUID())"), clock: ClockCheck(timeout: .milliseconds(300), now: now))
    }

    @Test func aGoodSetupPassesAndNeverSendsACall() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)")
        let report = await Self.doctor().check(configPath: setup.config)
        #expect(report.ok, "\(report.text)")
        #expect(report.exitStatus == 0)
        for name in ["config", "secret", "spool", "store", "callbacks", "display_numbers", "clock"] {
            #expect(report.items(name).first?.status == .ok, "\(name): \(report.text)")
        }
        #expect(report.items("store").first?.message.contains("creates it") == true)
        // Only an unauthenticated GET of base_url reached the "platform".
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.hasPrefix("GET / HTTP/1.1") == true, "\(server.requests)")
        #expect(server.requests.first?.lowercased().contains("authorization") == false)
        // The secret itself is never printed.
        #expect(!report.text.contains("s3cret"))
        // The store was not created by the check.
        #expect(!FileManager.default.fileExists(atPath: setup.temp.path + "/state"))
    }

    @Test func aClockTwentyMinutesOffIsAProblemAndSixIsAWarning() async throws {
        let platformNow = Date(timeIntervalSince1970: 1_800_000_000)
        let server = try DateServer(.date(DateServer.httpDate(platformNow)))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)")
        let far = await Self.doctor(clock: { platformNow.addingTimeInterval(20 * 60) }).check(configPath: setup.config)
        #expect(far.items("clock").first?.status == .problem, "\(far.text)")
        #expect(far.items("clock").first?.message.contains("1200 s ahead") == true, "\(far.text)")
        #expect(far.exitStatus == 1)
        let near = await Self.doctor(clock: { platformNow.addingTimeInterval(-6 * 60) }).check(configPath: setup.config)
        #expect(near.items("clock").first?.status == .warning, "\(near.text)")
        #expect(near.items("clock").first?.message.contains("behind") == true)
        #expect(near.ok)
    }

    /// A silent platform must not hang the doctor: the check gives up after
    /// its bound and says so (an unbounded wait would hit the time limit).
    @Test(.timeLimit(.minutes(1))) func anUnreachableOrSilentPlatformIsOnlyAWarning() async throws {
        let silent = try DateServer(.silent)
        let noDate = try DateServer(.noDate)
        for (url, expected) in [("http://127.0.0.1:\(silent.port)", "could not reach"), ("http://127.0.0.1:\(noDate.port)", "without a Date")] {
            let setup = try Setup(baseURL: url)
            let report = await Self.doctor().check(configPath: setup.config)
            #expect(report.items("clock").first?.status == .warning, "\(report.text)")
            #expect(report.items("clock").first?.message.contains(expected) == true, "\(report.text)")
            #expect(report.ok)
        }
    }

    @Test func aSecretReadableByOthersIsAProblemNamingIt() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)", secretMode: 0o644)
        let report = await Self.doctor().check(configPath: setup.config)
        let secret = try #require(report.items("secret").first)
        #expect(secret.status == .problem)
        #expect(secret.message.contains("chmod 600"), "\(secret.message)")
        #expect(report.exitStatus == 1)
        // The other checks still ran.
        #expect(report.items("spool").first?.status == .ok)
    }

    /// Each application's secret and display numbers are checked on their own line.
    @Test func eachApplicationIsCheckedOnItsOwnLine() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let temp = try TemporaryDirectory()
        let open = try temp.write("app_secret_otp", "o\n")
        chmod(open, 0o644)
        try SpoolLayout(root: temp.path + "/spool").ensureExists()
        let config = try temp.write("callspool.toml", """
            [platform]
            base_url = "http://127.0.0.1:\(server.port)"
            timeout = "2s"
            [apps.otp]
            app_key = "VerifyKey"
            app_secret_file = "\(open)"
            types = ["verify"]
            display_numbers = ["+8675528000002"]
            [apps.reminders]
            app_key = "NotifyKey"
            types = ["notify"]
            display_numbers = []
            [spool]
            dir = "\(temp.path)/spool"
            [store]
            path = "\(temp.path)/state/callspool.sqlite"
            [callbacks]
            status_url = "https://cb.example.com/callspool/status"
            fee_url = "https://cb.example.com/callspool/fee"
            """)
        let doctor = ConfigDoctor(
            environment: ["CALLSPOOL_APP_SECRET_REMINDERS": "r"], user: .forCheck(serviceName: "no-such-user-\(UUID())"),
            clock: ClockCheck(timeout: .milliseconds(300)))
        let report = await doctor.check(configPath: config)
        #expect(report.items("secret (otp)").first?.status == .problem, "\(report.checks)")
        #expect(report.items("secret (otp)").first?.message.contains("chmod 600") == true)
        #expect(report.items("secret (reminders)").first?.message.contains("$CALLSPOOL_APP_SECRET_REMINDERS") == true, "\(report.checks)")
        #expect(report.items("display_numbers (otp)").first?.status == .ok)
        #expect(report.items("display_numbers (reminders)").first?.message.contains("apps.reminders.display_numbers is empty") == true)
        #expect(report.items("clock").count == 1, "one base URL, one clock check")
    }

    @Test func spoolProblemsAreNamed() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)")
        try FileManager.default.removeItem(atPath: setup.spool + "/rejected")
        try Data().write(to: URL(fileURLWithPath: setup.spool + "/rejected"))
        if getuid() != 0 { chmod(setup.spool + "/incoming", 0o555) }
        defer { chmod(setup.spool + "/incoming", 0o755) }
        let report = await Self.doctor().check(configPath: setup.config)
        let lines = report.items("spool")
        #expect(lines.contains { $0.status == .problem && $0.message.contains("/rejected is not a directory") }, "\(report.text)")
        if getuid() != 0 {
            #expect(lines.contains { $0.status == .problem && $0.message.contains("/incoming is not writable") }, "\(report.text)")
        }
        #expect(!report.ok)
    }

    /// SpoolLayout creates `tmp/` and `incoming/` setgid and sticky.
    @Test func sharedSpoolDirectoriesAreCreatedSticky() throws {
        let temp = try TemporaryDirectory()
        let layout = SpoolLayout(root: temp.path + "/spool")
        try layout.ensureExists()
        for path in [layout.tmp, layout.incoming] {
            var info = stat()
            #expect(stat(path, &info) == 0)
            #expect(info.st_mode & mode_t(S_ISVTX) != 0, "\(path) is not sticky")
            #expect(info.st_mode & 0o7777 == 0o3770, "\(path): \(String(info.st_mode & 0o7777, radix: 8))")
        }
    }

    /// A group-writable `tmp/` or `incoming/` without the sticky bit (or
    /// setgid) is a warning naming the chmod; 3770 and an owner-only spool pass.
    @Test func aSharedSpoolDirectoryWithoutTheStickyBitIsAWarning() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)")
        chmod(setup.spool + "/tmp", 0o2770)
        chmod(setup.spool + "/incoming", 0o0770)
        let report = await Self.doctor().check(configPath: setup.config)
        let lines = report.items("spool")
        #expect(lines.contains { $0.status == .warning && $0.message.contains("/tmp has mode 2770") && $0.message.contains("not sticky") && $0.message.contains("chmod 3770") }, "\(report.text)")
        #expect(lines.contains { $0.status == .warning && $0.message.contains("/incoming has mode 770") && $0.message.contains("not setgid") }, "\(report.text)")
        #expect(report.ok, "a warning: the daemon still works")
        #expect(ConfigDoctor.sharedDirectoryIssue(mode: 0o3770) == nil)
        #expect(ConfigDoctor.sharedDirectoryIssue(mode: 0o0700) == nil, "only its owner writes it")
        #expect(ConfigDoctor.sharedDirectoryIssue(mode: 0o3777)?.contains("every user") == true)
    }

    @Test func aMissingSpoolIsOneWarningWhenItCanBeCreated() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)")
        try FileManager.default.removeItem(atPath: setup.spool)
        let report = await Self.doctor().check(configPath: setup.config)
        let lines = report.items("spool")
        #expect(lines.count == 1, "\(report.text)")
        #expect(lines.first?.status == .warning)
        #expect(lines.first?.message.contains("does not exist yet") == true)
        #expect(report.ok)
    }

    @Test func spoolOnTwoFileSystemsIsAProblem() async throws {
        // /dev/shm is a tmpfs, the temporary directory usually is not.
        var shm = stat()
        var tmp = stat()
        guard stat("/dev/shm", &shm) == 0, stat(FileManager.default.temporaryDirectory.path, &tmp) == 0, shm.st_dev != tmp.st_dev,
              access("/dev/shm", W_OK) == 0 else { return }
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)")
        let elsewhere = "/dev/shm/callspool-test-\(UUID())"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try FileManager.default.removeItem(atPath: setup.spool + "/processed")
        try FileManager.default.createSymbolicLink(atPath: setup.spool + "/processed", withDestinationPath: elsewhere)
        let report = await Self.doctor().check(configPath: setup.config)
        #expect(report.items("spool").contains { $0.status == .problem && $0.message.contains("different file systems") }, "\(report.text)")
    }

    @Test func storeSchemaIsCheckedWithoutMigrating() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)")
        let path = setup.temp.path + "/state/callspool.sqlite"
        _ = try AppDatabase.open(path: path)
        let current = await Self.doctor().check(configPath: setup.config)
        #expect(current.items("store").first?.status == .ok)
        #expect(current.items("store").first?.message.contains("schema current") == true, "\(current.text)")
        // A store from a newer version: an unknown migration.
        let writer = try AppDatabase.open(path: path)
        try await writer.write { try $0.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        let newer = await Self.doctor().check(configPath: setup.config)
        #expect(newer.items("store").first?.status == .problem, "\(newer.text)")
        // Not a database at all.
        try Data("not sqlite".utf8).write(to: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try? FileManager.default.removeItem(atPath: path + "-shm")
        let broken = await Self.doctor().check(configPath: setup.config)
        #expect(broken.items("store").first?.status == .problem, "\(broken.text)")
    }

    @Test(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.unavailableReason ?? "")))
    func aPostgreSQLStoreIsConnectedToAndItsSchemaComparedWithoutMigrating() async throws {
        let cluster = try #require(PostgresCluster.shared)
        let url = try cluster.makeDatabase()
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(baseURL: "http://127.0.0.1:\(server.port)", store: "url = \"\(url)\"")
        func storeLine() async -> CheckItem? { await Self.doctor().check(configPath: setup.config).items("store").first }
        let empty = try #require(await storeLine())
        #expect(empty.status == .ok, "\(empty.message)")
        #expect(empty.message.contains("PostgreSQL "), "the server's version: \(empty.message)")
        #expect(empty.message.contains("127.0.0.1:\(cluster.port)"), "\(empty.message)")
        #expect(empty.message.contains("callspool run creates it"), "\(empty.message)")
        let store = try PostgresStore.open(PostgresStore.Settings(url: url, instance: "test"))
        defer { store.close() }
        #expect(try store.pendingMigrations().isEmpty)
        let current = try #require(await storeLine())
        #expect(current.status == .ok, "\(current.message)")
        #expect(current.message.contains("schema current"), "\(current.message)")
        // One step not applied yet: run migrates it; the check does not.
        let last = try #require(PostgresSchema.steps.last?.name)
        _ = try store.write { session in try session.execute("DELETE FROM callspoolMigration WHERE name = $1", [last]) }
        let older = try #require(await storeLine())
        #expect(older.status == .warning, "\(older.message)")
        #expect(older.message.contains(last), "\(older.message)")
        #expect(try store.pendingMigrations() == [last], "the check migrated nothing")
        // A step from a newer callspool.
        _ = try store.write { session in try session.execute("INSERT INTO callspoolMigration (name, appliedAt) VALUES ('pg99: from the future', 0)") }
        let newer = try #require(await storeLine())
        #expect(newer.status == .problem, "\(newer.message)")
        #expect(newer.message.contains("pg99: from the future"), "\(newer.message)")
    }

    @Test(.timeLimit(.minutes(1))) func anUnreachablePostgreSQLStoreIsAProblemNamingItsURLWithoutThePassword() async throws {
        let refused = try RefusedPort()
        defer { withExtendedLifetime(refused) {} }
        let port = refused.port
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(
            baseURL: "http://127.0.0.1:\(server.port)", store: "url = \"postgresql://callspool:hunter2@127.0.0.1:\(port)/callspool\"")
        let report = await Self.doctor().check(configPath: setup.config)
        let line = try #require(report.items("store").first)
        #expect(line.status == .problem, "\(report.text)")
        #expect(line.message.contains("cannot connect"), "\(line.message)")
        #expect(line.message.contains("postgresql://callspool@127.0.0.1:\(port)/callspool"), "\(line.message)")
        #expect(!report.text.contains("hunter2"), "the password is never shown")
        #expect(report.exitStatus == 1)
    }

    /// A password holding `#` makes the URL unparsable: the error still
    /// shows it redacted.
    @Test func anUnparsableStoreURLIsAProblemWithoutThePassword() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        let setup = try Setup(
            baseURL: "http://127.0.0.1:\(server.port)", store: "url = \"postgresql://callspool:TopSecret#1@127.0.0.1:55432/callspool\"")
        let report = await Self.doctor().check(configPath: setup.config)
        #expect(!report.ok, "\(report.text)")
        #expect(report.text.contains("postgresql://callspool:****@127.0.0.1:55432/callspool"), "\(report.text)")
        #expect(!report.text.contains("TopSecret"), "the password is never shown: \(report.text)")
        #expect(!String(decoding: try JSONEncoder().encode(report), as: UTF8.self).contains("TopSecret"))
    }

    /// A platform off this host (TEST-NET-1, unreachable: the clock check
    /// gives up after its bound, a warning).
    static let remotePlatform = "http://192.0.2.1:9"

    @Test func callbackURLsAgainstTheListenAddress() async throws {
        let loopback = try Setup(baseURL: Self.remotePlatform, statusURL: "http://localhost:8080/status")
        let report = await Self.doctor().check(configPath: loopback.config)
        #expect(report.items("callbacks").contains { $0.status == .problem && $0.message.contains("loopback") }, "\(report.text)")
        let otherPort = try Setup(baseURL: Self.remotePlatform, listen: "127.0.0.1:9000", statusURL: "http://cb.example.com:8080/status")
        let warned = await Self.doctor().check(configPath: otherPort.config)
        let lines = warned.items("callbacks")
        #expect(lines.contains { $0.status == .warning && $0.message.contains("forward 8080 to 9000") }, "\(warned.text)")
        #expect(lines.contains { $0.status == .warning && $0.message.contains("loopback only") }, "\(warned.text)")
        #expect(warned.ok)
    }

    /// With the platform on this host (a simulator, a local proxy to the
    /// platform) loopback callback URLs are reachable and right: no
    /// problem, and `check` passes. The same URLs against a platform off
    /// this host are a problem each.
    @Test func loopbackCallbacksAreJudgedAgainstWhereThePlatformIs() async throws {
        let server = try DateServer(.date(DateServer.httpDate(Date())))
        for base in ["http://127.0.0.1:\(server.port)", "http://localhost:\(server.port)"] {
            let local = try Setup(baseURL: base, listen: "127.0.0.1:8080", statusURL: "http://127.0.0.1:8080/callspool/status")
            var text = try String(contentsOfFile: local.config, encoding: .utf8)
            text = text.replacingOccurrences(of: "https://cb.example.com/callspool/fee", with: "http://localhost:8080/callspool/fee")
            try Data(text.utf8).write(to: URL(fileURLWithPath: local.config))
            let report = await Self.doctor().check(configPath: local.config)
            #expect(report.items("callbacks").allSatisfy { $0.status != .problem }, "\(report.text)")
            #expect(report.items("callbacks").first?.status == .ok, "\(report.text)")
            #expect(report.ok && report.exitStatus == 0, "\(report.text)")
        }
        let remote = try Setup(baseURL: Self.remotePlatform, listen: "127.0.0.1:8080", statusURL: "http://127.0.0.1:8080/callspool/status")
        var text = try String(contentsOfFile: remote.config, encoding: .utf8)
        text = text.replacingOccurrences(of: "https://cb.example.com/callspool/fee", with: "http://localhost:8080/callspool/fee")
        try Data(text.utf8).write(to: URL(fileURLWithPath: remote.config))
        let report = await Self.doctor().check(configPath: remote.config)
        let problems = report.items("callbacks").filter { $0.status == .problem }
        #expect(problems.count == 2, "\(report.text)")
        #expect(problems.allSatisfy { $0.message.contains("not on this host") && $0.message.contains("192.0.2.1") }, "\(report.text)")
        #expect(report.exitStatus == 1)
    }

    /// With several applications, one platform off this host is enough.
    @Test func anyApplicationOffThisHostNeedsReachableCallbacks() throws {
        func app(_ name: String, _ base: String) -> Configuration.Application {
            Configuration.Application(
                name: name, appKey: "k", appSecret: nil, types: Set(JobType.allCases), displayNumbers: [], maxConcurrentCalls: 1, baseURL: base,
                auth: .aksk, createdClock: .utc, timeout: .seconds(1))
        }
        #expect(ConfigDoctor.remotePlatforms([app("a", "http://127.0.0.1:9000"), app("b", "http://[::1]:9000")]).isEmpty)
        #expect(ConfigDoctor.remotePlatforms([app("a", "http://127.0.0.1:9000"), app("b", "https://rtccall.example.com:443")]).map(\.name) == ["b"])
        #expect(ConfigDoctor.remotePlatforms([app("a", "http://127.example.com")]).map(\.name) == ["a"], "a name, not an address")
    }

    @Test func aBrokenConfigurationIsOneProblemLine() async throws {
        let temp = try TemporaryDirectory()
        let path = try temp.write("callspool.toml", "[platform]\nbase_url = \"http://x\"\n[nonsense]\n")
        let report = await Self.doctor().check(configPath: path)
        #expect(report.checks.count == 1)
        #expect(report.checks.first?.status == .problem)
        #expect(report.checks.first?.message.contains("nonsense") == true)
        #expect(report.text.contains("PROBLEM"))
        let missing = await Self.doctor().check(configPath: temp.path + "/absent.toml")
        #expect(missing.checks.first?.message.contains("absent.toml") == true)
    }

    @Test func jsonShape() throws {
        let report = CheckReport(checks: [CheckItem("clock", .warning, "w"), CheckItem("spool", .ok, "o")])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect(object["ok"] as? Bool == true)
        let checks = try #require(object["checks"] as? [[String: String]])
        #expect(checks.first == ["name": "clock", "status": "warning", "message": "w"])
    }
}
