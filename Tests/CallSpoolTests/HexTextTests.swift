@testable import CallSpoolCore
import Crypto
import Foundation
import Testing

/// ``HexText`` replaced `String(format: "%02x")` per byte in every digest
/// callspool writes: its text must be the formatter's, byte for byte (ids
/// of campaign jobs queued before it are found again by the same text).
@Suite struct HexTextTests {
    @Test func everyByteIsWrittenAsTheFormatterWroteIt() {
        let all = (0...255).map { UInt8($0) }
        #expect(HexText.lowercase(all) == all.map { String(format: "%02x", $0) }.joined())
        #expect(HexText.lowercase([UInt8]()) == "")
    }

    @Test func aCampaignJobKeepsTheIdItWasGivenBefore() {
        let digest = SHA256.hash(data: Data("+8613912345678".utf8))
        let before = "flu/n-" + digest.prefix(8).map { String(format: "%02x", $0) }.joined()
        #expect(JobFile.campaignJobID(campaign: "flu", callee: "+8613912345678") == before)
    }
}
