import Foundation
import VoiceCallAPI

/// RFC 3339 timestamps with an explicit offset (`2026-11-22T09:00:00+08:00`,
/// `…Z`, optional fractional seconds). A time without an offset is refused:
/// "09:00" in which zone is exactly the ambiguity a reminder must not have.
public enum Timestamp {
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { return nil }
        guard let naive = CivilTime.parse(String(decoding: bytes[0..<19], as: UTF8.self)) else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":") else { return nil }
            let digits = [bytes[index + 1], bytes[index + 2], bytes[index + 4], bytes[index + 5]]
            guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            let hours = Int64(digits[0] - 48) * 10 + Int64(digits[1] - 48)
            let minutes = Int64(digits[2] - 48) * 10 + Int64(digits[3] - 48)
            guard hours < 24, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        return Date(timeIntervalSince1970: Double(naive - offset) + fraction)
    }

    /// `2026-11-22T01:00:00Z`.
    public static func format(_ date: Date) -> String {
        CivilTime.formatCreated(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
