import Foundation
import VoiceCallAPI

/// callspool's configuration (systemd/callspool.toml.example, contract keys), fully validated.
///
/// Built only by ``ConfigurationLoader``, so a value of this type always holds
/// sane settings: the daemon never starts on a silent default for a mistake.
public struct Configuration: Sendable {
    /// Settings shared by every application (each may override them).
    public struct Platform: Sendable, Equatable {
        public var baseURL: String
        public var auth: AuthScheme
        public var createdClock: CreatedClockSetting
        public var timeout: Duration
    

        package init(baseURL: String, auth: AuthScheme, createdClock: CreatedClockSetting, timeout: Duration) {
            self.baseURL = baseURL
            self.auth = auth
            self.createdClock = createdClock
            self.timeout = timeout
        }
}

    /// `utc`, `utc+8`, or `auto` (start with utc+8, switch once on 1010013).
    public enum CreatedClockSetting: String, Sendable, CaseIterable {
        case utc = "utc"
        case utcPlus8 = "utc+8"
        case auto = "auto"

        public var initial: CreatedClock { self == .utc ? .utc : .utcPlus8 }
    }

    public struct Spool: Sendable, Equatable {
        public var dir: String
        public var settle: Duration
        public var maxFileBytes: Int64
        public var rescan: Duration

        public var tmp: String { dir + "/tmp" }
        public var incoming: String { dir + "/incoming" }
        public var processed: String { dir + "/processed" }
        public var rejected: String { dir + "/rejected" }
    


        package init(dir: String, settle: Duration, maxFileBytes: Int64, rescan: Duration) {

            self.dir = dir

            self.settle = settle

            self.maxFileBytes = maxFileBytes

            self.rescan = rescan

        }
}

    public struct Store: Sendable, Equatable {
        public var path: String
        /// Below this many free bytes on the store's (or the spool's)
        /// filesystem, intake and dispatch pause while callbacks are still
        /// stored in what is left.
        public var minFreeBytes: Int64 = 64 << 20
        /// `url`: a PostgreSQL store shared by several instances
        /// (`postgresql://user@host:port/database`); nil: the SQLite file at `path`.
        public var url: String? = nil
        /// The PostgreSQL password (credential `store_password`,
        /// `password_file` or `$CALLSPOOL_STORE_PASSWORD`); never printed.
        public var password: String? = nil
        /// `lease`: how long the dispatcher lease lasts without renewal.
        public var lease: Duration = .seconds(10)

        /// Whether the store is PostgreSQL (several instances may share it).
        public var isShared: Bool { url != nil }
    


        package init(path: String, minFreeBytes: Int64 = 64 << 20, url: String? = nil, password: String? = nil, lease: Duration = .seconds(10)) {

            self.path = path

            self.minFreeBytes = minFreeBytes

            self.url = url

            self.password = password

            self.lease = lease

        }
}

    public struct Callbacks: Sendable, Equatable {
        public var listen: ListenAddress
        public var statusURL: CallbackURL
        public var feeURL: CallbackURL
        public var verifySignatures: Bool
        /// `max_connections`: callback connections served at once (more wait
        /// in the listen backlog).
        public var maxConnections: Int = 512
        /// `read_timeout`: a whole request must arrive within this.
        public var readTimeout: Duration = .seconds(10)
    


        package init(listen: ListenAddress, statusURL: CallbackURL, feeURL: CallbackURL, verifySignatures: Bool, maxConnections: Int = 512, readTimeout: Duration = .seconds(10)) {

            self.listen = listen

            self.statusURL = statusURL

            self.feeURL = feeURL

            self.verifySignatures = verifySignatures

            self.maxConnections = maxConnections

            self.readTimeout = readTimeout

        }
}

    public struct Limits: Sendable, Equatable {
        public var maxConcurrentCalls: Int
        public var requestsPerSecond: Int
        public var perDisplayNumberPerMinute: Int
        public var perCalleeMax: Int
        public var perCalleeWindow: Duration
        /// The fixed reserve (used when ``verifyReserveAuto`` is false).
        public var verifyReservedPorts: Int
        public var callLease: Duration
        /// An `unknown` notify job with no callback for this long, while the
        /// receiver was up the whole time, is queued again; zero: never.
        public var unknownRequeueAfter: Duration = .seconds(7 * 3600)
        /// `verify_reserved_ports = "auto"`: the reserve follows verify demand.
        public var verifyReserveAuto = false
        public var verifyDemandWindow: Duration = .seconds(3600)
        /// The auto reserve's cap; 0: half the learned port limit.
        public var verifyReservedMax = 0
    


        package init(maxConcurrentCalls: Int, requestsPerSecond: Int, perDisplayNumberPerMinute: Int, perCalleeMax: Int, perCalleeWindow: Duration, verifyReservedPorts: Int, callLease: Duration, unknownRequeueAfter: Duration = .seconds(7 * 3600), verifyReserveAuto: Bool = false, verifyDemandWindow: Duration = .seconds(3600), verifyReservedMax: Int = 0) {
            self.verifyReserveAuto = verifyReserveAuto
            self.verifyReservedMax = verifyReservedMax

            self.maxConcurrentCalls = maxConcurrentCalls

            self.requestsPerSecond = requestsPerSecond

            self.perDisplayNumberPerMinute = perDisplayNumberPerMinute

            self.perCalleeMax = perCalleeMax

            self.perCalleeWindow = perCalleeWindow

            self.verifyReservedPorts = verifyReservedPorts

            self.callLease = callLease

            self.unknownRequeueAfter = unknownRequeueAfter

            self.verifyDemandWindow = verifyDemandWindow

        }
}

    public struct Backoff: Sendable, Equatable {
        public var ports: Duration
        public var flow: Duration
        public var callee: Duration
        public var halt: Duration
        /// The longest pause after a call quota code (1013001–1013003): the
        /// pause doubles from `flow` on each repeat up to this.
        public var quota: Duration = .seconds(3600)
    


        package init(ports: Duration, flow: Duration, callee: Duration, halt: Duration, quota: Duration = .seconds(3600)) {

            self.ports = ports

            self.flow = flow

            self.callee = callee

            self.halt = halt

            self.quota = quota

        }
}

    public struct Defaults: Sendable, Equatable {
        public var displayNumbers: [String]
        public var verifyTTL: Duration
        public var notifyTTL: Duration
        public var window: CallingWindow
    


        package init(displayNumbers: [String], verifyTTL: Duration, notifyTTL: Duration, window: CallingWindow) {

            self.displayNumbers = displayNumbers

            self.verifyTTL = verifyTTL

            self.notifyTTL = notifyTTL

            self.window = window

        }
}

    public struct Results: Sendable, Equatable {
        /// nil: no results outbox.
        public var dir: String?
    


        package init(dir: String? = nil) {

            self.dir = dir

        }
}

    public struct Metrics: Sendable, Equatable {
        public var listen: ListenAddress
    


        package init(listen: ListenAddress) {

            self.listen = listen

        }
}

    public var platform: Platform
    /// The VoiceCall applications, sorted by name; never empty.
    public var applications: [Application]
    public var spool: Spool
    public var store: Store
    public var callbacks: Callbacks
    public var limits: Limits
    public var backoff: Backoff
    public var defaults: Defaults
    public var results: Results
    public var metrics: Metrics
    /// `[guard]`: prefixes, verification-code limits, the daily cap, suppression rules.
    public var callGuard = Guard()
    /// `[billing]`: the price of a billed minute, for views showing costs.
    public var billing: BillingRate = .unpriced
    /// `[api]`: the HTTP API's address and clients (off by default).
    public var api = API()
    /// `[webhooks.NAME]`, sorted by name: where finished jobs' results are POSTed.
    public var webhooks: [WebhookEndpoint] = []
    /// The file it was read from.
    public var source: String
    /// `[instance] name`: this instance among several sharing a store
    /// (default: the host name).
    public var instanceName: String = ProcessInfo.processInfo.hostName

    /// The directories whose filesystems must keep `store.min_free` free,
    /// with the key that names each (for messages).
    public var watchedFilesystems: [(path: String, key: String)] {
        store.isShared ? [(spool.dir, "spool.dir")] : [((store.path as NSString).deletingLastPathComponent, "store.path"), (spool.dir, "spool.dir")]
    }

    package init(platform: Platform, applications: [Application], spool: Spool, store: Store, callbacks: Callbacks, limits: Limits, backoff: Backoff, defaults: Defaults, results: Results, metrics: Metrics, source: String, instanceName: String = ProcessInfo.processInfo.hostName) {
        self.platform = platform
        self.applications = applications
        self.spool = spool
        self.store = store
        self.callbacks = callbacks
        self.limits = limits
        self.backoff = backoff
        self.defaults = defaults
        self.results = results
        self.metrics = metrics
        self.source = source
        self.instanceName = instanceName
    }
}

/// `host:port` to listen on.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public static func parse(_ text: String) -> ListenAddress? {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65_535).contains(port), !host.isEmpty else { return nil }
        if host == "*" { host = "0.0.0.0" }
        return ListenAddress(host: String(host), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
