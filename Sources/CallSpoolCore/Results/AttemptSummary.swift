import Foundation

/// One request of a job as results files and `callspool job` show it.
public struct AttemptSummary: Codable, Sendable, Equatable {
    public var n: Int
    public var at: String
    public var httpStatus: Int?
    public var resultcode: String?
    public var sessionId: String?
    public var resultDesc: String?
    public var resultClass: String?
    public var displayNbr: String?

    public init(
        n: Int, at: String, httpStatus: Int?, resultcode: String?, sessionId: String?, resultDesc: String?, resultClass: String?,
        displayNbr: String?
    ) {
        self.n = n
        self.at = at
        self.httpStatus = httpStatus
        self.resultcode = resultcode
        self.sessionId = sessionId
        self.resultDesc = resultDesc
        self.resultClass = resultClass
        self.displayNbr = displayNbr
    }

    public init(_ attempt: AttemptRecord) {
        self.init(
            n: attempt.n, at: Timestamp.format(attempt.at), httpStatus: attempt.httpStatus, resultcode: attempt.resultcode,
            sessionId: attempt.sessionId, resultDesc: attempt.resultDesc, resultClass: attempt.resultClass, displayNbr: attempt.displayNbr)
    }
}
