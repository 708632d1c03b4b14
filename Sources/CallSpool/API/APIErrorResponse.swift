import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `{"error": {"code", "message"}}`, the shape of every API error, for the
/// answers given before the generated handlers run (the gate's).
enum APIErrorResponse {
    static func make(_ status: HTTPResponse.Status, code: String, message: String, closing: Bool = false) -> Response {
        let object = ["error": ["code": code, "message": message]]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(object)) ?? Data(#"{"error":{"code":"internal","message":"internal error"}}"#.utf8)
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        response.headers[.contentType] = "application/json"
        if status == .unauthorized { response.headers[.wwwAuthenticate] = #"Bearer realm="callspool""# }
        // The body may still be unread: close once the answer is written (RequestDeadlineHandler).
        if closing { response.headers[.connection] = "close" }
        return response
    }
}
