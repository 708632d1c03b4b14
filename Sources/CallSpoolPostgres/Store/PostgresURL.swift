import CallSpoolCore
import Foundation

/// `[store] url`: reading `postgresql://user[:password]@host[:port]/database`
/// into ``PostgresStore/Settings``, and showing it in messages without the
/// password. In a file of its own because every message naming the URL must
/// go through here, and the rest of the store never needs the text.
extension PostgresStore.Settings {
    /// Reads `postgresql://user[:password]@host[:port]/database`. An error
    /// carries the URL already redacted (``PostgresURL/redacted(_:)``): the
    /// text may hold a password the parse could not even find.
    public init(url text: String, password: String? = nil, timeout: Duration = .seconds(10), instance: String) throws(PostgresStoreError) {
        let shown = PostgresURL.redacted(text)
        guard let url = URLComponents(string: text), ["postgresql", "postgres"].contains(url.scheme ?? ""),
            let host = url.host, !host.isEmpty
        else {
            let hint = text.contains("@") ? "; a password holding @ # / ? : % must be percent-encoded (%40 %23 %2F %3F %3A %25), or kept in password_file" : ""
            throw .badURL(shown, "expected postgresql://user@host:port/database" + hint)
        }
        guard let user = url.user, !user.isEmpty else { throw .badURL(shown, "no user name (postgresql://USER@host/database)") }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw .badURL(shown, "no database name (postgresql://user@host/DATABASE)") }
        self.init(
            host: host, port: url.port ?? 5432, username: user, password: password ?? url.password, database: database, timeout: timeout,
            instance: instance)
        for item in url.queryItems ?? [] {
            guard item.name == "sslmode" else { throw .badURL(shown, "unknown parameter \(item.name) (only sslmode is read)") }
            guard let mode = TLSMode(rawValue: item.value ?? "") else {
                throw .badURL(shown, "sslmode must be \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")), got \(item.value ?? "")")
            }
            tls = mode
        }
    }

    /// The URL without its password, for messages.
    public var displayURL: String { "postgresql://\(username)@\(host):\(port)/\(database)" }

    /// The URL to write as `[store] url`: without its password (that goes
    /// to `password_file` or the credential), with its `sslmode`, always
    /// spelled out, so a suggested line never weakens the connection the
    /// operator asked for (`verify-full` dropped would mean `prefer`).
    public var configurationURL: String { displayURL + "?sslmode=" + tls.rawValue }
}

/// Hiding the password of a store URL in messages.
public enum PostgresURL {
    /// `url` with its password hidden, whether or not it parses: everything
    /// between `//` and the *last* `@` is user information (a password may
    /// hold `@`, `#`, `/`, `?` or `:` unencoded, which is exactly when the
    /// URL does not parse). The user name is kept when it can be told
    /// apart (the text before the first `:`, holding none of `@ / ? #`);
    /// otherwise the whole user information becomes `****`. Query values
    /// other than `sslmode` are hidden too (`?password=` is libpq's).
    /// Applying it twice changes nothing.
    public static func redacted(_ url: String) -> String {
        let authority: String.Index
        if let slashes = url.range(of: "//") {
            authority = slashes.upperBound
        } else if let scheme = ["postgresql:", "postgres:"].first(where: { url.lowercased().hasPrefix($0) }) {
            authority = url.index(url.startIndex, offsetBy: scheme.count)
        } else {
            // No scheme to tell apart: all before the last `@` is user information.
            authority = url.startIndex
        }
        var head = String(url[..<authority])
        var rest = url[authority...]
        if let at = rest.lastIndex(of: "@") {
            head += userInformation(rest[..<at]) + "@"
            rest = rest[rest.index(after: at)...]
        }
        guard let question = rest.firstIndex(of: "?") else { return head + rest }
        let query = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { item in
            let name = item.prefix { $0 != "=" }
            return name.lowercased() == "sslmode" || !item.contains("=") ? String(item) : name + "=****"
        }
        return head + rest[...question] + query.joined(separator: "&")
    }

    /// `user:****`, `user` (no password), or `****` when the user name
    /// cannot be told apart from the password.
    static func userInformation(_ text: Substring) -> String {
        let separators: Set<Character> = ["@", "/", "?", "#"]
        guard let colon = text.firstIndex(of: ":") else {
            return text.contains(where: separators.contains) ? "****" : String(text)
        }
        let user = text[..<colon]
        return user.isEmpty || user.contains(where: separators.contains) ? "****" : user + ":****"
    }
}
