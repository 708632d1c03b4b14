@testable import CallSpool
import Foundation
import Testing

/// Digits appended as text are what encoding the whole list writes.
@Suite struct DigitsTextTests {
    static func encoded(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }

    @Test(arguments: [
        ([], ["1"]), (["1"], ["2"]), (["1", "23"], ["#", "*9"]), ([], []), (["1"], []), (["a b"], ["0123456789*#"]),
    ] as [([String], [String])])
    func plainDigitsAreAppendedAsTheEncoderWouldWriteThem(stored: [String], added: [String]) throws {
        let text = try #require(AppDatabase.appendingDigits(added, toStored: try Self.encoded(stored)))
        #expect(text == (try Self.encoded(stored + added)))
    }

    @Test(arguments: [#"a"b"#, #"a\b"#, "a/b", "\u{1}", "é"])
    func digitsTheEncoderWouldEscapeAreLeftToIt(digit: String) throws {
        #expect(AppDatabase.appendingDigits([digit], toStored: "[]") == nil)
    }

    @Test func aStoredTextNotInTheEncodersFormIsLeftToIt() {
        #expect(AppDatabase.appendingDigits(["1"], toStored: "[ ]") == nil)
        #expect(AppDatabase.appendingDigits(["1"], toStored: "") == nil)
    }
}
