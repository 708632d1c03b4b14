import Foundation
import VoiceCallAPI

/// How a fee CDR is kept in `cdr.body`, for every store: the parsed record
/// as JSON with sorted keys (one encoder, one decoder). `userData` is read
/// from that text by the sweeper's query, so the key is fixed.
public enum StoredFeeRecord {
    public static func text(of record: FeeRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }

    /// The record in `text`; nil when it cannot be read (a row written by a
    /// version that stored something else): such a CDR is never applied.
    public static func record(from text: String) -> FeeRecord? {
        try? JSONDecoder().decode(FeeRecord.self, from: Data(text.utf8))
    }
}
