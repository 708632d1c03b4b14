import Foundation

extension Configuration {
    /// `[api]`: the HTTP API (docs/api.md), off unless `listen` is set or
    /// systemd passes a socket named `api`.
    ///
    /// Why: applications submit calls and read results over HTTP instead of
    /// the spool directory. Guarantees: every client has a token of its own
    /// (never written inline in the file) and a set of scopes; the API's
    /// connection and time bounds are the callback port's.
    public struct API: Sendable, Equatable {
        /// `listen`: host:port to bind; nil: off (unless systemd passes a socket).
        public var listen: ListenAddress?
        /// `[api.clients.NAME]`, sorted by name.
        public var clients: [APIClient] = []
        /// `tls_cert` and `tls_key`: PEM files; nil: plain HTTP (keep it
        /// on loopback or behind a TLS proxy).
        public var tls: TLSFiles?

        public init(listen: ListenAddress? = nil, clients: [APIClient] = [], tls: TLSFiles? = nil) {
            self.listen = listen
            self.clients = clients
            self.tls = tls
        }
    }

    /// A certificate chain and its private key, both PEM files.
    public struct TLSFiles: Sendable, Equatable {
        /// The certificate first, then any intermediates.
        public var certificate: String
        public var privateKey: String

        public init(certificate: String, privateKey: String) {
            self.certificate = certificate
            self.privateKey = privateKey
        }
    }
}

/// What an API client may do: each route needs one scope.
public enum APIScope: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `POST /v1/jobs`.
    case submit
    /// `GET /v1/jobs/{id}`, `GET /v1/status`.
    case read
    /// `POST /v1/jobs/{id}/cancel`.
    case control

    public static func < (lhs: APIScope, rhs: APIScope) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One `[api.clients.NAME]`: who may call the API with which token, and
/// what it may submit. The token is read from a file, the environment or a
/// systemd credential, never from the configuration itself, and is never
/// shown (``description``).
public struct APIClient: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var token: String
    public var scopes: Set<APIScope>
    /// `apps`: the applications its jobs may name; empty: any.
    public var applications: [String]
    /// `types`: the job types it may submit; empty: any.
    public var types: Set<JobType>
    /// `rate`: requests per sliding window; over it the API answers 429. Nil: no limit.
    public var rate: RateLimit?

    public init(name: String, token: String, scopes: Set<APIScope>, applications: [String] = [], types: Set<JobType> = [], rate: RateLimit? = nil) {
        self.name = name
        self.token = token
        self.scopes = scopes
        self.applications = applications
        self.types = types
        self.rate = rate
    }

    /// Never the token.
    public var description: String { "APIClient(\(name), scopes: \(scopes.sorted().map(\.rawValue).joined(separator: ",")))" }
}
