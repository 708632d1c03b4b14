import CallSpoolCore
import Foundation

/// One page of `GET /v1/jobs`: `{"jobs": [...], "next": "..." | null}`,
/// `jobs` in the shape of `callspool jobs --json`'s elements
/// (``JobListItem``), `next` the cursor of the following page.
///
/// Exists so the API pages through any number of jobs with a cursor that
/// stays right while jobs are added: keyset paging on the job's row id
/// (``JobCursor``), never an offset. `next` is null exactly on the last page.
public struct JobPageView: Encodable, Sendable, Equatable {
    public var jobs: [JobListItem]
    public var next: String?

    /// The page of up to `limit` jobs from `fetched`, which holds up to
    /// `limit + 1` jobs in row order (one more than shown tells whether a
    /// page follows).
    public init(_ fetched: [JobRecord], limit: Int) {
        let shown = fetched.prefix(limit)
        jobs = shown.map(JobListItem.init)
        next = fetched.count > limit ? shown.last?.rowId.map { JobCursor(afterRowID: $0).text } : nil
    }

    enum CodingKeys: String, CodingKey { case jobs, next }

    /// `next` is written as null on the last page (not left out).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobs, forKey: .jobs)
        try c.encode(next, forKey: .next)
    }
}
