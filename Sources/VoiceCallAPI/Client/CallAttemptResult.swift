/// What became of one `callnotify` / `callVerify` request.
///
/// The split between ``notSent`` and ``uncertain`` is what lets callspool keep
/// its promise never to call a person twice: a request that may have reached
/// the platform is never retried blindly, it waits for callbacks instead.
public enum CallAttemptResult: Sendable, Hashable {
    /// The platform placed the call.
    case accepted(CallAcceptance)
    /// The platform answered with a non-zero result code (or an HTTP error).
    case rejected(CallRejection)
    /// The request certainly did not reach the platform (connect failure,
    /// refused connection, DNS): safe to retry.
    case notSent(reason: String)
    /// The request may have reached the platform but no usable answer came
    /// back (read timeout, connection lost, success without sessionId).
    case uncertain(reason: String)
}

public struct CallAcceptance: Sendable, Hashable {
    public var sessionId: String
    public var idlePort: Int?
    public var httpStatus: Int
    public var resultdesc: String?

    public init(sessionId: String, idlePort: Int?, httpStatus: Int = 200, resultdesc: String? = nil) {
        self.sessionId = sessionId
        self.idlePort = idlePort
        self.httpStatus = httpStatus
        self.resultdesc = resultdesc
    }
}

public struct CallRejection: Sendable, Hashable, CustomStringConvertible {
    public var httpStatus: Int
    public var resultcode: String?
    public var resultdesc: String?
    public var resultClass: ResultClass
    public var idlePort: Int?

    public init(httpStatus: Int, resultcode: String?, resultdesc: String?, idlePort: Int? = nil) {
        self.httpStatus = httpStatus
        self.resultcode = resultcode
        self.resultdesc = resultdesc
        self.idlePort = idlePort
        self.resultClass = ResultCode.classify(httpStatus: httpStatus, resultcode: resultcode)
    }

    /// The reference's English description when the platform sent none.
    public var explanation: String {
        if let desc = resultdesc, !desc.isEmpty { return desc }
        if let code = resultcode, let entry = ResultCode.lookup(httpStatus: httpStatus, resultcode: code) {
            return entry.description
        }
        return "HTTP \(httpStatus)"
    }

    public var description: String {
        "HTTP \(httpStatus) resultcode \(resultcode ?? "-") (\(resultClass)): \(explanation)"
    }
}
