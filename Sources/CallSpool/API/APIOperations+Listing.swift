import CallSpoolCore
import CallSpoolOpenAPI
import Foundation

/// `GET /v1/jobs`: keyset pages of jobs (``JobPageView``).
extension APIOperations {
    /// Jobs a page holds when the request does not say.
    static let defaultPageSize = 100
    /// The most jobs one page holds.
    static let maxPageSize = 1000

    func listJobs(_ input: Operations.listJobs.Input) async throws -> Operations.listJobs.Output {
        let query = input.query
        var state: JobState?
        if let text = query.state {
            guard let known = JobState(rawValue: text) else {
                return .badRequest(Self.error(
                    "bad_state", "the parameter state must be one of: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            state = known
        }
        let limit = query.limit ?? Self.defaultPageSize
        guard (1...Self.maxPageSize).contains(limit) else {
            return .badRequest(Self.error("bad_limit", "the parameter limit must be from 1 to \(Self.maxPageSize)"))
        }
        var after: Int64 = 0
        if let text = query.after {
            guard let cursor = JobCursor(text) else {
                return .badRequest(Self.error("bad_cursor", "the parameter after must be the next cursor of a previous page"))
            }
            after = cursor.afterRowID
        }
        let (campaign, filter, cursor) = (query.campaign, state, after)
        let page: JobPageView
        do {
            page = try await database.offPool { database in
                JobPageView(try database.jobsPage(state: filter, campaign: campaign, afterRowID: cursor, limit: limit + 1), limit: limit)
            }
        } catch {
            logger.error("API: listing jobs failed: \(error)")
            return .serviceUnavailable(Self.error("store_unavailable", "the jobs could not be read; try again"))
        }
        return .ok(.init(body: .json(try Self.convert(page, to: Components.Schemas.JobPage.self))))
    }
}
