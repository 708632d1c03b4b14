import Foundation

/// One attempt of a campaign's job, with when its call ended if known.
public struct ReportAttempt: Sendable, Equatable {
    public var at: Date
    public var n: Int
    public var resultClass: String?
    public var resultcode: String?
    public var accepted: Bool
    /// The first `disconnect` event of its session, else the job's
    /// finish time when this was its last attempt; nil while in call.
    public var endedAt: Date?

    package init(at: Date, n: Int, resultClass: String? = nil, resultcode: String? = nil, accepted: Bool, endedAt: Date? = nil) {
        self.at = at
        self.n = n
        self.resultClass = resultClass
        self.resultcode = resultcode
        self.accepted = accepted
        self.endedAt = endedAt
    }
}

/// One error: a refused or failed attempt, or a job's final error.
public struct ReportError: Sendable, Equatable {
    public var at: Date
    public var jobId: String
    public var calleeNbr: String
    public var code: String
    public var description: String

    package init(at: Date, jobId: String, calleeNbr: String, code: String, description: String) {
        self.at = at
        self.jobId = jobId
        self.calleeNbr = calleeNbr
        self.code = code
        self.description = description
    }
}
