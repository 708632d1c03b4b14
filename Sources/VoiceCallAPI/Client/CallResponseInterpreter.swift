import Foundation

/// Turns an HTTP status and body into a ``CallAttemptResult`` (pure, no I/O).
public enum CallResponseInterpreter {
    public static func interpret(httpStatus: Int, body: [UInt8]) -> CallAttemptResult {
        let decoder = JSONDecoder()
        if let response = try? decoder.decode(CallResponse.self, from: Data(body)) {
            if response.resultcode == "0", (200...299).contains(httpStatus) {
                guard let session = response.sessionId else {
                    return .uncertain(reason: "HTTP \(httpStatus) success without a sessionId")
                }
                return .accepted(.init(sessionId: session, idlePort: response.idlePort, httpStatus: httpStatus, resultdesc: response.resultdesc))
            }
            if response.resultcode == "0" {
                // "Success" under an error status: the call may or may not exist.
                return .uncertain(reason: "HTTP \(httpStatus) with resultcode 0")
            }
            return .rejected(.init(httpStatus: httpStatus, resultcode: response.resultcode, resultdesc: response.resultdesc, idlePort: response.idlePort))
        }
        if let gateway = try? decoder.decode(GatewayError.self, from: Data(body)) {
            return .rejected(.init(httpStatus: httpStatus, resultcode: gateway.error.code, resultdesc: gateway.error.message))
        }
        if (200...299).contains(httpStatus) {
            return .uncertain(reason: "HTTP \(httpStatus) with a body that is not a platform response")
        }
        let snippet = String(decoding: body.prefix(120), as: UTF8.self)
        return .rejected(.init(httpStatus: httpStatus, resultcode: nil, resultdesc: snippet.isEmpty ? nil : snippet))
    }

    /// The API gateway's error shape (reference §3.3).
    struct GatewayError: Decodable {
        struct Detail: Decodable {
            var code: String
            var message: String?
        }
        var error: Detail
    }
}
