import Foundation
import Hummingbird
import NIOCore

/// JSON responses with the platform's content type.
enum WireResponse {
    static func json(status: Int, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data(#"{"resultcode":"1010001","resultdesc":"Internal system error."}"#.utf8)
        var response = Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(bytes: data)))
        response.headers[.contentType] = "application/json;charset=UTF-8"
        return response
    }
}

extension HTTPFields {
    /// The first value of the header called `name` (case-insensitive).
    func value(named name: String) -> String? {
        let lower = name.lowercased()
        return first { $0.name.canonicalName == lower }?.value
    }
}
