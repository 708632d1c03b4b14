import CallSpool
import Foundation

extension ConfigDoctor {
    /// The longest `check` waits for the PostgreSQL server (connecting, then
    /// each statement): a check at `ExecStartPre=` must not hang on an
    /// unreachable host.
    static let storeTimeout: Duration = .seconds(5)

    /// `[store] url`: connects as `callspool run` would (the password
    /// resolved the same way: credential `store_password`, `password_file`,
    /// `$CALLSPOOL_STORE_PASSWORD`), reports the server's version, whether
    /// the connection is encrypted and how the schema compares with this
    /// version's (never migrating it). The URL is shown without its password.
    func postgresStoreItem(_ configuration: Configuration, url: String) async -> CheckItem {
        let settings: PostgresStore.Settings
        do {
            settings = try configuration.postgresSettings(url: url)
        } catch {
            return CheckItem("store", .problem, error.description)
        }
        var bounded = settings
        bounded.timeout = min(settings.timeout, Self.storeTimeout)
        let shown = settings.displayURL
        let probe: PostgresStoreProbe
        do {
            probe = try await PostgresStore.probe(bounded)
        } catch let error as PostgresStoreError {
            return CheckItem(
                "store", .problem,
                "\(error.description); check [store] url, the password (credential store_password, password_file or $CALLSPOOL_STORE_PASSWORD) and that the server takes connections from this host")
        } catch {
            return CheckItem("store", .problem, "\(shown): \(error)")
        }
        let server = "\(shown): PostgreSQL \(probe.serverVersion), \(probe.encrypted ? "TLS" : "not encrypted")"
        switch probe.schema {
        case .current:
            return CheckItem("store", .ok, "\(server), schema current")
        case .empty:
            return CheckItem("store", .ok, "\(server), no callspool schema yet: callspool run creates it")
        case .pending(let steps):
            return CheckItem(
                "store", .warning,
                "\(server), schema older than this version (pending: \(steps.joined(separator: ", "))): the first callspool run of this version migrates it at start")
        case .newer(let steps):
            return CheckItem(
                "store", .problem,
                "\(server) was migrated by a newer callspool (\(steps.joined(separator: ", "))): upgrade this instance")
        }
    }
}
