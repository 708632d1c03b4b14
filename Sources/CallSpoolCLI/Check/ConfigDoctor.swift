import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import TOMLKit

/// `callspool check`: loads the configuration exactly as `callspool run`
/// does and reports, one ``CheckItem`` each, what would stop or hurt the
/// daemon: the secret, the spool, the store (the SQLite file, or a
/// connection to the PostgreSQL server), the results directory, the
/// callback URLs against the listen address, the display numbers and the
/// clock against the platform's. It exists so a broken configuration fails
/// at `ExecStartPre=` with its reason in the journal, and so an operator can
/// ask before starting. It never places a call: the only request it sends is
/// an unauthenticated `GET` of `platform.base_url` for its `Date` header
/// (and, with `[store] url`, reads of the PostgreSQL server, no writes).
public struct ConfigDoctor: Sendable {
    public var environment: [String: String]
    public var user: ServiceUser
    public var clock: ClockCheck

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, user: ServiceUser = .forCheck(),
        clock: ClockCheck = ClockCheck()
    ) {
        self.environment = environment
        self.user = user
        self.clock = clock
    }

    public func check(configPath: String) async -> CheckReport {
        var items: [CheckItem] = []
        let loader = ConfigurationLoader(environment: environment)
        let configuration: Configuration
        do {
            configuration = try loader.load(path: configPath, purpose: .daemon)
            items.append(CheckItem("config", .ok, "\(configPath) loads as `callspool run` loads it"))
            for application in configuration.applications {
                items.append(secretItem(configPath: configPath, application: application, named: configuration.applications.count > 1))
            }
        } catch {
            // The secret is the one thing the CLI purpose skips: if that is
            // what failed, the other checks can still run.
            guard let partial = try? loader.load(path: configPath, purpose: .cli) else {
                items.append(CheckItem("config", .problem, error.description))
                return CheckReport(checks: items)
            }
            items.append(CheckItem("config", .ok, "\(configPath) is well formed"))
            if partial.applications.count > 1 {
                for application in partial.applications {
                    items.append(secretItem(configPath: configPath, application: application, named: true))
                }
            } else {
                items.append(CheckItem("secret", .problem, error.description))
            }
            configuration = partial
        }
        items += spoolItems(configuration.spool)
        if let url = configuration.store.url {
            items.append(await postgresStoreItem(configuration, url: url))
        } else {
            items.append(storeItem(configuration.store.path))
        }
        if let results = configuration.results.dir { items.append(resultsItem(results)) }
        items += callbackItems(configuration.callbacks, applications: configuration.applications)
        let named = configuration.applications.count > 1
        for application in configuration.applications {
            items.append(displayNumbersItem(application.displayNumbers, application: named ? application.name : nil))
        }
        var checkedClocks: Set<String> = []
        for application in configuration.applications where checkedClocks.insert(application.baseURL).inserted {
            items.append(await clock.check(baseURL: application.baseURL, timeout: application.timeout))
        }
        return CheckReport(checks: items)
    }

    /// Where the loader found an application's secret, and that nobody else
    /// can read it. `named`: several applications, so the item names it.
    func secretItem(configPath: String, application: Configuration.Application, named: Bool) -> CheckItem {
        let root = try? TOMLTable(string: String(contentsOfFile: configPath, encoding: .utf8))
        let legacy = root?["apps"] == nil
        let (credential, variable, sectionPath) = ConfigurationLoader.secretSources(app: legacy ? nil : application.name)
        let name = named ? "secret (\(application.name))" : "secret"
        func item(_ status: CheckItem.Status, _ message: String) -> CheckItem { CheckItem(name, status, message) }
        if let directory = environment["CREDENTIALS_DIRECTORY"], FileManager.default.fileExists(atPath: directory + "/" + credential) {
            return item(.ok, "found as the systemd credential \(credential) (LoadCredential=)")
        }
        let section = legacy ? root?["platform"]?.table : root?["apps"]?.table?[application.name]?.table
        if let file = section?["app_secret_file"]?.string {
            var info = stat()
            let mode = stat(file, &info) == 0 ? String(info.st_mode & 0o777, radix: 8) : "?"
            if stat(file, &info) == 0, info.st_mode & 0o007 != 0 {
                return item(.problem, "\(file) is readable by other users (mode \(mode)); run: chmod 600 \(file)")
            }
            if !user.canRead(file: info) {
                return item(.problem, "\(file) is not readable by \(user.name) (mode \(mode)); run: chown root:\(user.name) \(file) && chmod 640 \(file)")
            }
            return item(.ok, "found in \(file) (mode \(mode), not readable by others)")
        }
        if let value = environment[variable], !value.isEmpty {
            return item(.warning, "found in $\(variable); prefer app_secret_file or LoadCredential=, which other processes cannot see")
        }
        guard section?["app_secret"]?.string?.isEmpty == false else {
            return item(.problem, "no app secret: set app_secret_file in [\(sectionPath)] (recommended), $\(variable) or the systemd credential \(credential)")
        }
        var info = stat()
        if stat(configPath, &info) == 0, info.st_mode & 0o004 != 0 {
            return item(.problem, "app_secret is inline in [\(sectionPath)] of \(configPath), which every user can read; move it to app_secret_file (chmod 600) or run: chmod o-r \(configPath)")
        }
        return item(.warning, "app_secret is inline in [\(sectionPath)] of \(configPath) (not readable by others); prefer app_secret_file")
    }
}
