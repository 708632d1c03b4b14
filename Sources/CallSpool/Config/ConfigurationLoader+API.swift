import CallSpoolCore
import Foundation
import TOMLKit

extension ConfigurationLoader {
    /// `[api]` and its `[api.clients.NAME]` tables; a wrong key or value
    /// stops start-up naming it. A client's token is looked up (daemon only:
    /// the CLI never needs one) in the systemd credential `api_token_NAME`,
    /// then `token_file`, then `$CALLSPOOL_API_TOKEN_<NAME>`; an inline
    /// `token` is refused.
    func readAPI(_ root: TOMLTable, file: String, purpose: Purpose) throws(ConfigurationError) -> Configuration.API {
        var section = try TOMLSection("api", in: root, file: file)
        var api = Configuration.API()
        let listenText = try section.string("listen", default: "")
        if !listenText.isEmpty {
            guard let listen = ListenAddress.parse(listenText) else {
                throw section.error("listen", "must be host:port (such as \"127.0.0.1:8081\") or \"\" for off, got \"\(listenText.prefix(80))\"")
            }
            api.listen = listen
        }
        let certificate = try section.string("tls_cert")
        let privateKey = try section.string("tls_key")
        switch (certificate, privateKey) {
        case (nil, nil):
            break
        case (let certificate?, let privateKey?):
            guard certificate.hasPrefix("/"), privateKey.hasPrefix("/") else {
                throw section.error(certificate.hasPrefix("/") ? "tls_key" : "tls_cert", "must be an absolute path to a PEM file")
            }
            if purpose == .daemon {
                // Readable, and the key readable by nobody else (as every secret file).
                _ = try readSecretFile(certificate, key: "api.tls_cert", config: file, checkMode: false)
                _ = try readSecretFile(privateKey, key: "api.tls_key", config: file, checkMode: true)
            }
            api.tls = Configuration.TLSFiles(certificate: certificate, privateKey: privateKey)
        case (nil, _?):
            throw section.error("tls_cert", "is needed with tls_key: the certificate (chain) in PEM")
        case (_?, nil):
            throw section.error("tls_key", "is needed with tls_cert: the certificate's private key in PEM (mode 600)")
        }
        if let clients = try section.subtable("clients") {
            for name in clients.keys.sorted() {
                guard let table = clients[name]?.table else {
                    throw ConfigurationError(file: file, key: "api.clients.\(name)", message: "must be a table ([api.clients.\(name)])")
                }
                api.clients.append(try readAPIClient(name: name, table: table, file: file, purpose: purpose))
            }
        }
        try section.finish()
        return api
    }

    /// Where the token of client `name` is looked for: the systemd
    /// credential and the environment variable.
    public static func apiTokenSources(client name: String) -> (credential: String, variable: String) {
        ("api_token_\(name)", "CALLSPOOL_API_TOKEN_" + name.uppercased().replacingOccurrences(of: "-", with: "_"))
    }

    private func readAPIClient(name: String, table: TOMLTable, file: String, purpose: Purpose) throws(ConfigurationError) -> APIClient {
        var section = TOMLSection("api.clients.\(name)", table: table, file: file)
        guard !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy({ Self.clientNameBytes.contains($0) }) else {
            throw ConfigurationError(file: file, key: "api.clients.\(name)", message: "a client name is 1–64 characters of a-z, 0-9, '-' and '_'")
        }
        if section.has("token") {
            throw section.error("token", "a token is never written in the configuration: use token_file, $\(Self.apiTokenSources(client: name).variable) or the systemd credential api_token_\(name)")
        }
        let tokenFile = try section.string("token_file")
        let scopeNames = try section.stringList("scopes")
        var scopes = Set<APIScope>()
        for (index, scopeName) in scopeNames.enumerated() {
            guard let scope = APIScope(rawValue: scopeName) else {
                throw section.error("scopes[\(index)]", "must be one of \"submit\", \"read\", \"control\", got \"\(scopeName.prefix(40))\"")
            }
            scopes.insert(scope)
        }
        if scopes.isEmpty { throw section.error("scopes", "give at least one of \"submit\", \"read\", \"control\"") }
        let applications = try section.has("apps") ? section.stringList("apps") : []
        var types = Set<JobType>()
        if section.has("types") {
            for (index, typeName) in try section.stringList("types").enumerated() {
                guard let type = JobType(rawValue: typeName) else {
                    throw section.error("types[\(index)]", "must be \"verify\" or \"notify\", got \"\(typeName.prefix(40))\"")
                }
                types.insert(type)
            }
        }
        var rate: RateLimit?
        if let text = try section.string("rate") {
            do {
                rate = try RateLimit.parse(text)
            } catch {
                throw section.error("rate", error.description)
            }
        }
        try section.finish()
        let token = try purpose == .daemon ? loadAPIToken(client: name, file: tokenFile, config: file) : ""
        return APIClient(name: name, token: token, scopes: scopes, applications: applications, types: types, rate: rate)
    }

    private static let clientNameBytes = Set("abcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The shortest token taken: shorter ones are guessable.
    static let minimumTokenBytes = 16

    private func loadAPIToken(client name: String, file tokenFile: String?, config: String) throws(ConfigurationError) -> String {
        let (credential, variable) = Self.apiTokenSources(client: name)
        return try loadSharedSecret(
            SharedSecretSources(credential: credential, file: tokenFile, fileKey: "api.clients.\(name).token_file", variable: variable),
            noun: "token", owner: "API client \(name)", config: config)
    }

    /// Where one shared secret (an API token, a webhook secret) may come from.
    struct SharedSecretSources {
        var credential: String
        var file: String?
        /// The configuration key of `file` (`…token_file`, `…secret_file`), named in errors.
        var fileKey: String
        var variable: String
    }

    /// The secret from the systemd credential, else the file (mode 600),
    /// else the environment; at least ``minimumTokenBytes``.
    func loadSharedSecret(_ sources: SharedSecretSources, noun: String, owner: String, config: String) throws(ConfigurationError) -> String {
        let (credential, variable, key) = (sources.credential, sources.variable, sources.fileKey)
        let fileName = key.split(separator: ".").last.map(String.init) ?? key
        let secret: String
        if let directory = environment["CREDENTIALS_DIRECTORY"], FileManager.default.fileExists(atPath: directory + "/" + credential) {
            secret = try readSecretFile(directory + "/" + credential, key: "CREDENTIALS_DIRECTORY/\(credential)", config: config, checkMode: false)
        } else if let file = sources.file {
            secret = try readSecretFile(file, key: key, config: config, checkMode: true)
        } else if let value = environment[variable], !value.isEmpty {
            secret = value
        } else {
            throw ConfigurationError(
                file: config, key: key, message: "no \(noun) for \(owner): set \(fileName), $\(variable) or the systemd credential \(credential)")
        }
        guard secret.utf8.count >= Self.minimumTokenBytes else {
            throw ConfigurationError(
                file: config, key: key,
                message: "the \(noun) of \(owner) is shorter than \(Self.minimumTokenBytes) bytes: make one with `openssl rand -hex 32`")
        }
        return secret
    }
}
