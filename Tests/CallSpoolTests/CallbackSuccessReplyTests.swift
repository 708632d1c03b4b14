@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Hummingbird
import NIOCore
import Testing

/// The pre-encoded success answer is byte for byte the encoded reply.
@Suite struct CallbackSuccessReplyTests {
    @Test func successIsTheEncodedReply() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(["resultcode": "0", "resultdesc": "Success"])
        #expect(CallbackReceiver.successBody == ByteBuffer(bytes: data))
        let encoded = CallbackReceiver.reply(.ok, code: "0", description: "Success")
        let cached = CallbackReceiver.success()
        #expect(cached.status == encoded.status)
        #expect(cached.headers == encoded.headers)
    }
}
