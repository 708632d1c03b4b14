@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Logging
import Testing

/// Numbers hide in job ids, file names and error texts, not only in callee
/// fields (issue 12, item 4: `otp/+8613800000008` in the log).
@Suite struct PhoneMaskingLogHandlerTests {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "platform refused +8613800000007" }
    }

    @Test func masksMessageEveryMetadataValueHandlerMetadataAndErrors() {
        let log = CapturedLog()
        var logger = log.logger(masking: true)
        logger[metadataKey: "campaign-job"] = "otp/+8613800000001"
        logger.info(
            "job otp/+8613800000002 failed",
            metadata: [
                "job": "otp/+8613800000003",
                "nested": ["ids": ["otp/8613800000004"], "map": ["callee": "\(Substring("+8613800000005"))"]],
                "count": "\(42)",
            ])
        logger.error("call failed", error: Failure())
        let text = log.text
        for digits in 1...7 {
            #expect(!text.contains("13800000\(String(format: "%03d", digits))"), "number \(digits) in full: \(text)")
        }
        #expect(text.contains("+86138****0002"))
        #expect(text.contains("count=42"))
    }

    @Test func withoutTheWrapperTheNumbersLeak() {
        let log = CapturedLog()
        log.logger(masking: false).info("job otp/+8613800000002 failed")
        #expect(log.text.contains("+8613800000002"))
    }
}
