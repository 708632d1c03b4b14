import VoiceCallAPI

/// A refusal as the platform sends it: HTTP status, result code and the
/// reference's English description.
struct PlatformRejection: Error, Sendable, Hashable {
    var httpStatus: Int
    var resultcode: String
    var resultdesc: String

    init(_ httpStatus: Int, _ resultcode: String, _ description: String? = nil) {
        self.httpStatus = httpStatus
        self.resultcode = resultcode
        self.resultdesc =
            description ?? ResultCode.lookup(httpStatus: httpStatus, resultcode: resultcode)?.description ?? "Error."
    }

    /// A code forced by a scenario, under the status the reference lists it with;
    /// `"401/1010010"` names the status too (a code listed under two statuses).
    static func forced(_ code: String) -> PlatformRejection {
        let parts = code.split(separator: "/", maxSplits: 1)
        if parts.count == 2, let status = Int(parts[0]) { return PlatformRejection(status, String(parts[1])) }
        let status = ResultCode.lookup(httpStatus: 403, resultcode: code)?.httpStatus ?? 403
        return PlatformRejection(status, code)
    }
}
