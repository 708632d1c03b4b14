import CallSpoolCore
import CallSpoolOpenAPI
import Foundation
import Logging
import VoiceCallAPI
import NIOCore
import OpenAPIRuntime

/// The handlers of docs/api/openapi.yaml's operations: each decodes, calls
/// one store operation off the cooperative pool (``CallStore/offPool(_:)``),
/// and answers. What a request may do was settled by ``APIGate`` before;
/// what a job may be is settled by the job-file validator and the intake
/// policy (``APISubmission``), as for spool files.
///
/// Never answers or logs a verification code (``JobView`` leaves it out) or
/// a token.
struct APIOperations: APIProtocol {
    let database: any CallStore
    let policy: IntakePolicy
    let configuration: CallSpoolCore.Configuration
    let clock: any WallClock
    let logger: Logger
    /// Called after a commit that queued jobs: wakes this instance's
    /// dispatcher, so a login code submitted over HTTP is called at once,
    /// not at the dispatcher's next poll.
    var onQueued: @Sendable () -> Void = {}

    static func error(_ code: String, _ message: String) -> Components.Responses._Error {
        .init(body: .json(.init(error: .init(code: code, message: message))))
    }

    func submitJobs(_ input: Operations.submitJobs.Input) async throws -> Operations.submitJobs.Output {
        guard let client = APIRequest.client, let body = APIRequest.body else {
            return .badRequest(Self.error("unreadable_body", "the body could not be read"))
        }
        let format: APISubmission.Format
        switch input.body {
        case .json: format = .json
        case .application_x_hyphen_ndjson: format = .ndjson
        }
        let key = input.headers.Idempotency_hyphen_Key
        if let key, !APISubmission.isIdempotencyKey(key) {
            return .badRequest(Self.error("bad_idempotency_key", "the Idempotency-Key header must be 1 to 255 visible ASCII characters (no spaces)"))
        }
        let bytes = Array(body.readableBytesView)
        let allowance = APISubmission.Allowance(types: client.types, applications: client.applications)
        let (policy, now) = (self.policy, clock.now)
        let submission: APISubmission.KeyedSubmission
        do {
            submission = try await database.offPool { database in
                guard let key else {
                    return .ran(try APISubmission.submit(bytes, format: format, client: client.name, allowance: allowance, policy: policy, database: database, now: now))
                }
                return try APISubmission.submitOnce(bytes, format: format, key: key, client: client.name, allowance: allowance, policy: policy, database: database, now: now)
            }
        } catch {
            logger.error("API: submitting jobs for client \(client.name) failed: \(error)")
            return .serviceUnavailable(Self.error("store_unavailable", "the jobs could not be stored; nothing was queued that is not listed later under the same ids"))
        }
        switch submission {
        case .keyReused:
            return .conflict(.init(body: .json(.init(error: .init(
                code: "idempotency_key_reused",
                message: "the Idempotency-Key \(key ?? "") was used for another request in the last 24 hours: use a new key for a new request")))))
        case .repeated(let outcome):
            logger.info("API: client \(client.name) repeated a request under its Idempotency-Key; answered as before, nothing queued")
            return Self.answer(outcome)
        case .ran(let outcome):
            if !outcome.created.isEmpty {
                onQueued()
                logger.info("API: client \(client.name) queued \(outcome.created.count) job(s)", metadata: [
                    "existing": "\(outcome.existing.count)", "rejected": "\(outcome.conflicts.count + outcome.rejected.count)",
                ])
            }
            return Self.answer(outcome)
        }
    }

    /// The answer to a submission: the same for the first request and a
    /// repeat under its Idempotency-Key (both come from the same outcome).
    static func answer(_ outcome: APISubmission.Outcome) -> Operations.submitJobs.Output {
        if let reason = outcome.documentError {
            if outcome.status == 400 {
                // Never the reason: it may quote a character of the body (a code's).
                return .badRequest(Self.error("malformed", "the request could not be read: the body is not one JSON object (a job or a campaign document)"))
            }
            return .unprocessableContent(.init(body: .json(.init(jobs: [], rejected: [.init(index: 0, field: "", message: reason)]))))
        }
        let rejected = (outcome.conflicts + outcome.rejected).sorted { $0.index < $1.index }.map {
            Components.Schemas.RejectedJob(index: $0.index, id: $0.id, field: $0.field, message: $0.message)
        }
        let result = Components.Schemas.SubmitResult(
            jobs: (outcome.created + outcome.existing).map { .init(id: $0.id, state: $0.state) }, rejected: rejected)
        switch outcome.status {
        case 201: return .created(.init(body: .json(result)))
        case 409:
            let message = outcome.conflicts.first?.message ?? "a job id is already used by a job with different content"
            return .conflict(.init(body: .json(.init(error: .init(code: "conflict", message: message)))))
        case 200: return .ok(.init(body: .json(result)))
        default: return .unprocessableContent(.init(body: .json(result)))
        }
    }

    func getJob(_ input: Operations.getJob.Input) async throws -> Operations.getJob.Output {
        let id = input.path.id
        let rate = configuration.billing
        let view: JobView?
        do {
            view = try await database.offPool { database in
                guard let detail = try database.jobDetail(id: id) else { return nil }
                return JobView(detail, rate: rate, suppression: try database.suppressionAudit(number: detail.job.calleeNbr, limit: 20))
            }
        } catch {
            logger.error("API: reading a job failed: \(error)")
            return .serviceUnavailable(Self.error("store_unavailable", "the job could not be read; try again"))
        }
        guard let view else { return .notFound(Self.error("not_found", "no job with id \(id.prefix(200))")) }
        return .ok(.init(body: .json(try Self.convert(view, to: Components.Schemas.Job.self))))
    }

    func cancelJob(_ input: Operations.cancelJob.Input) async throws -> Operations.cancelJob.Output {
        let id = input.path.id
        let now = clock.now
        let recorded: (state: String, intent: Int64)?
        do {
            recorded = try await database.offPool { database in
                guard let job = try database.jobDetail(id: id)?.job else { return nil }
                // The intent of `callspool cancel ID`: the daemon applies it.
                return (job.state.rawValue, try database.request(.cancel(ids: [id], campaign: nil), now: now))
            }
        } catch {
            logger.error("API: recording a cancel failed: \(error)")
            return .serviceUnavailable(Self.error("store_unavailable", "the cancel request could not be recorded; try again"))
        }
        guard let recorded else { return .notFound(Self.error("not_found", "no job with id \(id.prefix(200))")) }
        return .accepted(.init(body: .json(.init(id: id, state: recorded.state, intent: recorded.intent))))
    }

    func getStatus(_ input: Operations.getStatus.Input) async throws -> Operations.getStatus.Output {
        let configuration = self.configuration
        let now = clock.now
        let view: StatusView
        do {
            view = try await database.offPool { database in
                try StatusView.load(
                    from: database, portLimit: configuration.limits.maxConcurrentCalls, now: now,
                    storage: StatusView.StorageCheck(watched: configuration.watchedFilesystems, minFree: configuration.store.minFreeBytes),
                    applications: configuration.applications, webhooks: configuration.webhooks.map(\.name))
            }
        } catch {
            logger.error("API: reading the status failed: \(error)")
            return .serviceUnavailable(Self.error("store_unavailable", "the status could not be read; try again"))
        }
        return .ok(.init(body: .json(try Self.convert(view, to: Components.Schemas.Status.self))))
    }

    /// A view (the CLI's `--json` shape, one definition) as the generated
    /// free-form object of the contract.
    static func convert<T: Decodable>(_ view: some Encodable, to type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(view))
    }
}
