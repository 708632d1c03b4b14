import Foundation

/// `[store] url`: reading `postgresql://user[:password]@host[:port]/database`
/// into ``PostgresStore/Settings``, and showing it in messages without the
/// password. In a file of its own because every message naming the URL must
/// go through here, and the rest of the store never needs the text.
extension PostgresStore.Settings {
    /// Reads `postgresql://user[:password]@host[:port]/database`.
    public init(url text: String, password: String? = nil, timeout: Duration = .seconds(10), instance: String) throws(PostgresStoreError) {
        guard let url = URLComponents(string: text), ["postgresql", "postgres"].contains(url.scheme ?? ""),
            let host = url.host, !host.isEmpty
        else { throw .badURL(text, "expected postgresql://user@host:port/database") }
        guard let user = url.user, !user.isEmpty else { throw .badURL(text, "no user name (postgresql://USER@host/database)") }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw .badURL(text, "no database name (postgresql://user@host/DATABASE)") }
        self.init(
            host: host, port: url.port ?? 5432, username: user, password: password ?? url.password, database: database, timeout: timeout,
            instance: instance)
        for item in url.queryItems ?? [] {
            guard item.name == "sslmode" else { throw .badURL(text, "unknown parameter \(item.name) (only sslmode is read)") }
            guard let mode = TLSMode(rawValue: item.value ?? "") else {
                throw .badURL(text, "sslmode must be \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")), got \(item.value ?? "")")
            }
            tls = mode
        }
    }

    /// The URL without its password, for messages.
    public var displayURL: String { "postgresql://\(username)@\(host):\(port)/\(database)" }
}

/// Hiding the password of a store URL in messages.
public enum PostgresURL {
    /// A URL with its password (if any) hidden.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? url
    }
}
