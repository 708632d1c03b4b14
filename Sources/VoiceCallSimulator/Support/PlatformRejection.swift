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

    /// A code forced by a scenario, under the status the reference lists it with.
    static func forced(_ code: String) -> PlatformRejection {
        let status = ResultCode.lookup(httpStatus: 403, resultcode: code)?.httpStatus ?? 403
        return PlatformRejection(status, code)
    }
}
