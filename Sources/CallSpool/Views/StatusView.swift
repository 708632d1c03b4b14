import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// `callspool status --json` (docs/cli-json.md, contract shape).
public struct StatusView: Codable, Sendable, Equatable {
    public struct Daemon: Codable, Sendable, Equatable {
        public var running: Bool
        public var pid: Int?
        public var startedAt: String?
        public var heartbeatAt: String?
        public var version: String?
    }

    public struct Ports: Codable, Sendable, Equatable {
        public var inUse: Int
        public var limit: Int
        public var effectiveLimit: Int
        /// Ports kept for verify jobs, and why (from the running daemon).
        public var reserve: Int?
        public var reserveReason: String?
    }

    public struct Pause: Codable, Sendable, Equatable {
        public var scope: String
        public var reason: String
        public var code: String?
        public var until: String?

        public init(scope: String, reason: String, code: String?, until: String?) {
            self.scope = scope
            self.reason = reason
            self.code = code
            self.until = until
        }
    }

    public struct Halt: Codable, Sendable, Equatable {
        public var code: String
        public var reason: String
        public var since: String
        public var probeAt: String?
        /// The application halted (the others go on).
        public var app: String?

        public init(code: String, reason: String, since: String, probeAt: String?, app: String?) {
            self.code = code
            self.reason = reason
            self.since = since
            self.probeAt = probeAt
            self.app = app
        }
    }

    /// One configured VoiceCall application: its ports, halt and own pauses.
    public struct App: Codable, Sendable, Equatable {
        public var name: String
        /// Masked.
        public var appKey: String
        public var types: [String]
        public var ports: Ports
        public var halted: Halt?
        public var pauses: [Pause]

        enum CodingKeys: String, CodingKey { case name, appKey, types, ports, halted, pauses }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(appKey, forKey: .appKey)
            try c.encode(types, forKey: .types)
            try c.encode(ports, forKey: .ports)
            try c.encode(halted, forKey: .halted)  // explicit null when not halted
            try c.encode(pauses, forKey: .pauses)
        }
    }

    /// One instance sharing a PostgreSQL store.
    public struct Instance: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var heartbeatAt: String
        public var leader: Bool

        public init(name: String, version: String, heartbeatAt: String, leader: Bool) {
            self.name = name
            self.version = version
            self.heartbeatAt = heartbeatAt
            self.leader = leader
        }
    }

    /// The instance holding the dispatcher lease, its epoch and how long
    /// ago (seconds, on the database's clock) it last renewed it.
    public struct Leader: Codable, Sendable, Equatable {
        public var name: String
        public var epoch: Int64
        public var leaseAge: Double

        public init(name: String, epoch: Int64, leaseAge: Double) {
            self.name = name
            self.epoch = epoch
            self.leaseAge = leaseAge
        }
    }

    public var daemon: Daemon
    public var jobs: [String: Int]
    public var ports: Ports
    public var pauses: [Pause]
    public var halted: Halt?
    /// The last jobs that recorded an error, most recent first (at most 5).
    public var recentErrors: [RecentError] = []
    /// The configured applications (one, `default`, without `[apps]`).
    public var apps: [App] = []
    /// With a PostgreSQL store: every instance and the dispatcher (both
    /// keys absent with SQLite; `leader` null while nobody holds the lease).
    public var instances: [Instance]?
    public var leader: Leader?
    /// The result webhooks' deliveries, per webhook (absent when none is
    /// configured and none is stored).
    public var webhooks: [Webhook]?

    /// One webhook's deliveries.
    public struct Webhook: Codable, Sendable, Equatable {
        public var name: String
        /// Queued or being retried.
        public var backlog: Int
        public var delivered: Int
        /// Given up (a 4xx, or failing past max_age) and kept for `callspool webhooks replay`.
        public var gaveUp: Int
        /// When the oldest undelivered event was queued, or null.
        public var oldestPending: String?

        public init(name: String, backlog: Int, delivered: Int, gaveUp: Int, oldestPending: String?) {
            self.name = name
            self.backlog = backlog
            self.delivered = delivered
            self.gaveUp = gaveUp
            self.oldestPending = oldestPending
        }

        enum CodingKeys: String, CodingKey { case name, backlog, delivered, gaveUp, oldestPending }
    }

    enum CodingKeys: String, CodingKey { case daemon, jobs, ports, pauses, halted, recentErrors, apps, instances, leader, webhooks }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(daemon, forKey: .daemon)
        try c.encode(jobs, forKey: .jobs)
        try c.encode(ports, forKey: .ports)
        try c.encode(pauses, forKey: .pauses)
        try c.encode(halted, forKey: .halted)  // explicit null when not halted
        try c.encode(recentErrors, forKey: .recentErrors)
        try c.encode(apps, forKey: .apps)
        if let instances {
            try c.encode(instances, forKey: .instances)
            try c.encode(leader, forKey: .leader)  // explicit null while nobody dispatches
        }
        if let webhooks {
            var list = c.nestedUnkeyedContainer(forKey: .webhooks)
            for webhook in webhooks {
                var item = list.nestedContainer(keyedBy: Webhook.CodingKeys.self)
                try item.encode(webhook.name, forKey: .name)
                try item.encode(webhook.backlog, forKey: .backlog)
                try item.encode(webhook.delivered, forKey: .delivered)
                try item.encode(webhook.gaveUp, forKey: .gaveUp)
                try item.encode(webhook.oldestPending, forKey: .oldestPending)  // explicit null when none waits
            }
        }
    }

    /// A daemon whose heartbeat is older than this is reported as not running.
    public static let staleAfter: TimeInterval = 30

    /// What `status` checks itself, because a daemon that cannot write its
    /// store cannot record a `storage` pause there either: the free space on
    /// the store's and the spool's filesystems against `store.min_free`.
    public struct StorageCheck: Sendable {
        public var watched: [(path: String, key: String)]
        public var minFree: Int64
        public var freeSpace: StorageMonitor.FreeSpace

        public init(watched: [(path: String, key: String)], minFree: Int64, freeSpace: @escaping StorageMonitor.FreeSpace = StorageMonitor.statvfsFree) {
            self.watched = watched
            self.minFree = minFree
            self.freeSpace = freeSpace
        }
    }

    /// Builds the view from the store; `portLimit` is the configured maximum.
    ///
    /// A daemon whose process runs but whose heartbeat is stale is not
    /// counted as running (exit 3: something needs a look), and the likely
    /// reason is shown as a `storage` pause, since a daemon whose writes fail
    /// cannot record one; a filesystem below `store.min_free` is shown the
    /// same way.
    ///
    /// - Parameter applications: the configured applications (their ports,
    ///   halts and own pauses are listed in `apps`); empty: the single
    ///   `default` application with `portLimit` ports.
    public static func load(
        from database: any CallStore, portLimit: Int, now: Date, storage: StorageCheck? = nil, applications: [Configuration.Application] = [],
        webhooks configured: [String] = []
    ) throws -> StatusView {
        let counts = try database.stateCounts()
        let beat = try database.heartbeat()
        let shared = database as? PostgresStore
        // The heartbeat of a shared store is the dispatcher's, on any host:
        // its age tells, not a process id on this one.
        let processRuns = shared != nil ? beat != nil : beat.map { processExists($0.pid) } ?? false
        let fresh = beat.map { now.timeIntervalSince($0.heartbeatAt) < staleAfter } ?? false
        let daemon = Daemon(
            running: processRuns && fresh, pid: beat?.pid, startedAt: beat.map { Timestamp.format($0.startedAt) },
            heartbeatAt: beat.map { Timestamp.format($0.heartbeatAt) }, version: beat?.version)
        var pauses = try database.pauses().filter { $0.until.map { $0 > now } ?? true }.map {
            Pause(scope: $0.scope, reason: $0.reason, code: $0.code, until: $0.until.map(Timestamp.format))
        }
        if let storage, !pauses.contains(where: { $0.scope == PauseScope.storage.description }) {
            var reasons: [String] = []
            for (path, key) in storage.watched {
                guard let free = storage.freeSpace(path), free < storage.minFree else { continue }
                reasons.append("\(ByteSize.format(free)) free for \(key) (\(path)), below store.min_free \(ByteSize.format(storage.minFree))")
            }
            if processRuns, !fresh, let beat {
                let age = Int(now.timeIntervalSince(beat.heartbeatAt).rounded())
                reasons.append(
                    shared == nil
                        ? "the daemon runs but its heartbeat is \(age) s old: it cannot write the store (full or read-only disk?); see its log"
                        : "the dispatcher's heartbeat is \(age) s old: it cannot reach or write the database (outage, full disk?) or it stopped; see its log")
            }
            if !reasons.isEmpty {
                pauses.append(Pause(scope: PauseScope.storage.description, reason: reasons.joined(separator: "; "), code: nil, until: nil))
            }
        }
        let halts = try database.halts()
        let apps = try applicationViews(
            database: database, applications: applications, portLimit: portLimit, halts: halts, pauses: pauses, daemonRuns: daemon.running)
        // Any halted application is shown at the top: something needs an operator.
        let halted = halts.first.map { halt in
            Halt(
                code: halt.code, reason: apps.count > 1 ? "application \(halt.app): \(halt.reason)" : halt.reason, since: Timestamp.format(halt.since),
                probeAt: Timestamp.format(halt.probeAt), app: halt.app)
        }
        var ports = Ports(
            inUse: counts[.inCall] ?? 0, limit: portLimit, effectiveLimit: beat?.effectivePortLimit ?? portLimit,
            reserve: beat?.verifyReserve, reserveReason: beat?.verifyReserveReason)
        if apps.count > 1 {
            ports.limit = apps.reduce(0) { $0 + $1.ports.limit }
            ports.effectiveLimit = apps.reduce(0) { $0 + $1.ports.effectiveLimit }
            ports.reserve = apps.reduce(0) { $0 + ($1.ports.reserve ?? 0) }
            ports.reserveReason = nil
        }
        var view = StatusView(
            daemon: daemon,
            jobs: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            ports: ports, pauses: pauses, halted: halted, recentErrors: try database.recentErrors(limit: 5), apps: apps)
        if let shared { try view.addInstances(of: shared) }
        let figures = try database.webhookFigures()
        if !configured.isEmpty || !figures.isEmpty {
            let byName = Dictionary(figures.map { ($0.webhook, $0) }, uniquingKeysWith: { first, _ in first })
            let names = configured + figures.map(\.webhook).filter { !configured.contains($0) }.sorted()
            view.webhooks = names.map { name in
                let figure = byName[name] ?? WebhookFigures(webhook: name)
                return Webhook(
                    name: name, backlog: figure.pending, delivered: figure.delivered, gaveUp: figure.gaveUp,
                    oldestPending: figure.oldestPending.map(Timestamp.format))
            }
        }
        return view
    }

    /// The instances sharing the store and the dispatcher lease, timed on
    /// the database's clock (instances' clocks may differ).
    mutating func addInstances(of store: PostgresStore) throws {
        let databaseNow = try store.databaseTime()
        let lease = try store.dispatcherLease().flatMap { $0.expiresAt > databaseNow ? $0 : nil }
        leader = lease.map { Leader(name: $0.holder, epoch: $0.epoch, leaseAge: (databaseNow.timeIntervalSince($0.renewedAt) * 1000).rounded() / 1000) }
        instances = try store.instances().map {
            Instance(name: $0.name, version: $0.version, heartbeatAt: Timestamp.format($0.heartbeatAt), leader: $0.name == lease?.holder)
        }
    }

    static func applicationViews(
        database: any CallStore, applications: [Configuration.Application], portLimit: Int, halts: [HaltRecord], pauses: [Pause], daemonRuns: Bool
    ) throws -> [App] {
        let figures = Dictionary(try database.appStatuses().map { ($0.app, $0) }, uniquingKeysWith: { first, _ in first })
        let inCall = try database.callsInProgressByApplication()
        let configured: [(name: String, appKey: String, types: [String], limit: Int)] = applications.isEmpty
            ? [(Configuration.Application.legacyName, figures[Configuration.Application.legacyName]?.appKey ?? "", JobType.allCases.map(\.rawValue), portLimit)]
            : applications.map { ($0.name, $0.maskedAppKey, $0.typeNames, $0.maxConcurrentCalls) }
        return configured.map { app in
            let figure = daemonRuns ? figures[app.name] : nil
            let halt = halts.first { $0.app == app.name }.map {
                Halt(code: $0.code, reason: $0.reason, since: Timestamp.format($0.since), probeAt: Timestamp.format($0.probeAt), app: $0.app)
            }
            let own = pauses.filter { pause in
                guard let scope = PauseScope(pause.scope) else { return false }
                if let owner = scope.application { return owner == app.name }
                return app.name == Configuration.Application.legacyName && [.flow, .ports, .transport].contains(scope)
            }
            return App(
                name: app.name, appKey: app.appKey, types: app.types,
                ports: Ports(
                    inUse: inCall[app.name] ?? 0, limit: app.limit, effectiveLimit: figure?.effectivePortLimit ?? app.limit,
                    reserve: figure?.verifyReserve, reserveReason: figure?.verifyReserveReason),
                halted: halt, pauses: own)
        }
    }

    static func processExists(_ pid: Int) -> Bool {
        kill(pid_t(pid), 0) == 0 || errno == EPERM
    }
}
