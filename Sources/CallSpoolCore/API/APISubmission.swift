import Foundation

/// One `POST /v1/jobs`: a document in the format of a job file, read by the
/// same reader and validator (``JobFile``), taken in under the daemon's
/// intake policy (``IntakePolicy``: applications, calling windows, callee
/// prefixes, then the suppression list in the store's ``CallStore/insertJobs(_:intakeKey:sourceFile:policy:now:)``),
/// and committed before the answer.
///
/// Guarantees: every accepted job is committed when ``submit(_:format:client:allowance:policy:database:now:)``
/// returns; a job whose id already exists is never queued again: it is
/// reported as ``Outcome/existing`` when the stored job has the same content
/// (a retried request) and as a conflict otherwise; rejections name the
/// field at fault, never quote a verification code, and the document's
/// bytes never touch the disk.
public enum APISubmission {
    /// A job's `sourceFile` when API client `client` submitted it.
    public static func source(ofClient client: String) -> String { "api:" + client }

    /// The API client that submitted a job, from its `sourceFile` (nil: a spool file).
    public static func client(ofSource source: String?) -> String? {
        guard let source, source.hasPrefix("api:") else { return nil }
        return String(source.dropFirst(4))
    }

    /// How the body is laid out.
    public enum Format: Sendable {
        /// One job or a campaign document (a `.json` job file).
        case json
        /// One job object per line (a `.jsonl` job file).
        case ndjson

        var name: String { self == .json ? "request.json" : "request.jsonl" }
    }

    /// What a client may submit (`[api.clients.NAME] types`, `apps`).
    public struct Allowance: Sendable {
        /// Empty: any type.
        public var types: Set<JobType>
        /// Empty: any application.
        public var applications: [String]

        public init(types: Set<JobType> = [], applications: [String] = []) {
            self.types = types
            self.applications = applications
        }
    }

    /// One job of the request and where it stands now.
    public struct Submitted: Sendable, Equatable, Codable {
        public var id: String
        public var state: String
    }

    /// One job kept out, naming the field at fault.
    public struct Rejection: Sendable, Equatable, Codable {
        /// 0-based position in the request (its line minus one for NDJSON).
        public var index: Int
        public var id: String?
        public var field: String
        public var message: String
    }

    /// What the request did.
    public struct Outcome: Sendable, Equatable, Codable {
        /// Jobs queued by this request.
        public var created: [Submitted] = []
        /// Jobs that already existed with the same content.
        public var existing: [Submitted] = []
        /// Ids already used by a job with different content.
        public var conflicts: [Rejection] = []
        public var rejected: [Rejection] = []
        /// Why the whole document was refused (nothing was read from it).
        public var documentError: String?
        /// The document was refused because it is not a JSON object at all
        /// (an unreadable request, 400), not for what its fields say (422).
        /// Optional: answers kept under an Idempotency-Key before it existed decode.
        public var documentNotJSON: Bool?

        /// The HTTP status that answers it: 400 for a body that is not a JSON
        /// object, 201 when a job was created, else
        /// 409 when an id is taken by other content, else 200 when every
        /// job existed, else 422 (nothing acceptable).
        public var status: Int {
            if documentError != nil { return documentNotJSON == true ? 400 : 422 }
            if !created.isEmpty { return 201 }
            if !conflicts.isEmpty { return 409 }
            if !existing.isEmpty { return 200 }
            return 422
        }
    }

    /// Where a request's jobs go and are read back from: the store's own
    /// operations, or the rows of one transaction (a keyed request, whose
    /// answer is kept in the same commit).
    struct Destination {
        let insert: (_ specs: [JobSpec], _ intakeKey: String, _ sourceFile: String) throws -> IntakeBatchResult
        let job: (_ id: String) throws -> JobRecord?

        static func store(_ database: any CallStore, policy: IntakePolicy, now: Date) -> Destination {
            Destination(
                insert: { try database.insertJobs($0, intakeKey: $1, sourceFile: $2, policy: policy, now: now) },
                job: { try database.jobDetail(id: $0)?.job })
        }

        static func rows(_ rows: any StoreTransaction, policy: IntakePolicy, now: Date) -> Destination {
            Destination(
                insert: { specs, key, source in
                    let result = try rows.insertJobs(specs, intakeKey: key, sourceFile: source, policy: policy, now: now, resumedUpTo: 0)
                    if result.accepted > 0 { try rows.announceQueuedJobs() }
                    return result
                },
                job: { id in try rows.jobs(.page(JobFilter(ids: [id], campaign: nil, states: JobState.allCases), afterRowID: 0), limit: 1).first })
        }
    }

    /// The field of a conflicting duplicate.
    static let conflictField = "id"

    public static func submit(
        _ bytes: [UInt8], format: Format, client: String, allowance: Allowance = Allowance(), policy: IntakePolicy, database: any CallStore,
        now: Date
    ) throws -> Outcome {
        try submit(bytes, format: format, client: client, allowance: allowance, policy: policy, into: .store(database, policy: policy, now: now), now: now)
    }

    /// The same in the caller's transaction `rows` (its jobs are committed
    /// with whatever else the transaction writes: a keyed request's answer).
    public static func submit(
        _ bytes: [UInt8], format: Format, client: String, allowance: Allowance = Allowance(), policy: IntakePolicy, rows: any StoreTransaction,
        now: Date
    ) throws -> Outcome {
        try submit(bytes, format: format, client: client, allowance: allowance, policy: policy, into: .rows(rows, policy: policy, now: now), now: now)
    }

    static func submit(
        _ bytes: [UInt8], format: Format, client: String, allowance: Allowance, policy: IntakePolicy, into destination: Destination, now: Date
    ) throws -> Outcome {
        var outcome = Outcome()
        let entries: [JobFile.Entry]
        var report: FileReport
        do {
            let opened = try OpenedFile.inMemory(bytes, name: format.name)
            let file = try JobFile.open(opened, path: format.name, maxBytes: Int64(bytes.count) + 1)
            report = FileReport(file: format.name, campaign: file.campaign)
            entries = try file.entries()
        } catch let error as JobFileError {
            outcome.documentError = error.reason
            if error.kind == .notJSONObject { outcome.documentNotJSON = true }
            return outcome
        }
        var specs: [JobSpec] = []
        for entry in entries {
            guard var spec = report.take(entry, policy: policy, now: now) else { continue }
            let index = Self.index(of: entry.position)
            if !allowance.types.isEmpty, !allowance.types.contains(spec.type) {
                outcome.rejected.append(
                    Rejection(index: index, id: spec.id, field: "type", message: "API client \(client) may not submit \(spec.type.rawValue) jobs"))
                continue
            }
            if !allowance.applications.isEmpty, let app = spec.app, !allowance.applications.contains(app) {
                outcome.rejected.append(Rejection(index: index, id: spec.id, field: "app", message: "API client \(client) may not submit jobs for application \(app)"))
                continue
            }
            spec.position = entry.position
            specs.append(spec)
        }
        for rejection in report.rejected { outcome.rejected.append(Self.rejection(rejection)) }
        guard !specs.isEmpty else { return outcome }
        let intakeKey = "api:" + UUID().uuidString
        let result = try destination.insert(specs, intakeKey, Self.source(ofClient: client))
        var refused = Set<String>()
        for rejection in result.rejections {
            refused.insert(rejection.id ?? "")
            outcome.rejected.append(Self.rejection(rejection))
        }
        let duplicates = result.duplicates == result.duplicateIDs.count ? Set(result.duplicateIDs) : nil
        for spec in specs where !refused.contains(FileReport.quoted(spec.id)) {
            if let duplicates, !duplicates.contains(spec.id) {
                outcome.created.append(Submitted(id: spec.id, state: JobState.queued.rawValue))
                continue
            }
            let stored = try destination.job(spec.id) ?? spec.formerID.flatMap { try? destination.job($0) }
            guard let stored else {
                outcome.conflicts.append(
                    Rejection(index: Self.index(of: spec.position ?? .single), id: spec.id, field: conflictField, message: "the job could not be read back"))
                continue
            }
            if stored.intakeKey == intakeKey {
                outcome.created.append(Submitted(id: spec.id, state: stored.state.rawValue))
            } else if stored.hasSameContent(as: spec) {
                outcome.existing.append(Submitted(id: stored.jobId, state: stored.state.rawValue))
            } else {
                outcome.conflicts.append(
                    Rejection(
                        index: Self.index(of: spec.position ?? .single), id: spec.id, field: conflictField,
                        message: "a job with id \(FileReport.quoted(spec.id)) already exists with different content; use a new id"))
            }
        }
        return outcome
    }

    static func index(of position: JobPosition) -> Int {
        switch position {
        case .single: 0
        case .index(let index): index
        case .line(let line): max(0, line - 1)
        }
    }

    /// A report's rejection for the API: its first issue, split into the
    /// field and the message (every issue reads `field: rule`).
    static func rejection(_ rejection: FileReport.Rejection) -> Rejection {
        let first = rejection.details.first ?? rejection.error
        let parts = first.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let field = parts.count == 2 && !parts[0].contains(" ") ? parts[0] : ""
        let message = field.isEmpty ? rejection.error : ([parts[1]] + rejection.details.dropFirst()).joined(separator: "; ")
        return Rejection(index: index(of: rejection.position), id: rejection.id, field: field, message: message)
    }
}
