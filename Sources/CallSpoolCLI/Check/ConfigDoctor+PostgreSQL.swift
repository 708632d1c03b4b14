import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

extension ConfigDoctor {
    /// The longest `check` waits for the PostgreSQL server (connecting, then
    /// each statement): a check at `ExecStartPre=` must not hang on an
    /// unreachable host.
    static let storeTimeout: Duration = .seconds(5)

    /// `[store] url`: connects as `callspool run` would (the password
    /// resolved the same way: credential `store_password`, `password_file`,
    /// `$CALLSPOOL_STORE_PASSWORD`), reports the server's version, whether
    /// the connection is encrypted (a warning when it is not and the server
    /// is not on this host's loopback) and how the schema compares with this
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
        let item = Self.schemaItem(server: server, schema: probe.schema)
        guard let warning = Self.plaintextWarning(host: settings.host, encrypted: probe.encrypted, tls: settings.tls) else { return item }
        return CheckItem("store", item.status == .problem ? .problem : .warning, "\(item.message); \(warning)")
    }

    /// Why an unencrypted store connection deserves a warning, or nil when
    /// it does not: encrypted, or to this machine's loopback (nothing
    /// crosses a network). `sslmode=prefer` (the default) falls back to
    /// plain text when the server offers no TLS, without a word; the
    /// password and every phone number then cross the network in clear.
    static func plaintextWarning(host: String, encrypted: Bool, tls: PostgresStore.Settings.TLSMode) -> String? {
        guard !encrypted, !LoopbackHost.contains(host) else { return nil }
        let why = tls == .disable ? "sslmode=disable" : "the server offers no TLS and sslmode=\(tls.rawValue) accepts that"
        return "the connection to \(host) is not encrypted (\(why)): the password and the jobs' phone numbers cross the network in clear; enable TLS on the server and set ?sslmode=verify-full (or require) in [store] url"
    }

    static func schemaItem(server: String, schema: PostgresStoreProbe.Schema) -> CheckItem {
        switch schema {
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
