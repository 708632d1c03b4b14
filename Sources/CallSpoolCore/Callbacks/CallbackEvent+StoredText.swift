import Foundation
import VoiceCallAPI

extension CallbackEvent {
    /// Whether a push's raw body may carry a NUL into its decoded texts
    /// (a raw NUL byte, or the JSON escape `\u0000`).
    static func mayHoldNUL(_ body: String) -> Bool {
        body.utf8.contains(0) || body.contains("\\u0000")
    }

    /// The event with every NUL in its texts replaced by U+FFFD.
    ///
    /// PostgreSQL refuses NUL in text where SQLite keeps it, and a signed
    /// push refused with 500 is a status event lost for good (the platform
    /// re-sends only CDRs): its outcome or digits would never reach the job.
    /// Only a body that may hold one pays for this (``mayHoldNUL(_:)``).
    func replacingNUL() -> CallbackEvent {
        switch self {
        case .status(let type, let info):
            guard let clean = Self.withoutNUL(info) else { return self }
            return .status(type, clean)
        case .fee(let records):
            return .fee(records.map { Self.withoutNUL($0) ?? $0 })
        }
    }

    /// `value` through its own coding, with each encoded NUL replaced; nil
    /// when it held none (or cannot be coded, which a decoded push can).
    private static func withoutNUL<T: Codable>(_ value: T) -> T? {
        guard let data = try? JSONEncoder().encode(value) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains("\\u0000") else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(text.replacingOccurrences(of: "\\u0000", with: "\\ufffd").utf8))
    }
}
