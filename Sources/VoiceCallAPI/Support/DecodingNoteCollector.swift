import Synchronization

/// Gathers ``CallbackDecodingNote``s while one callback body is decoded.
///
/// `Decodable` initialisers cannot return side information, so the decoder
/// carries one collector in its `userInfo` for the duration of one decode
/// call; the lenient field readers add to it. Without a collector (decoding a
/// stored CDR, say) notes are simply dropped.
public final class DecodingNoteCollector: Sendable {
    private let storage = Mutex<[CallbackDecodingNote]>([])

    public init() {}

    public func add(_ note: CallbackDecodingNote) {
        storage.withLock { $0.append(note) }
    }

    public var notes: [CallbackDecodingNote] {
        storage.withLock { $0 }
    }
}

extension CodingUserInfoKey {
    /// Where a ``DecodingNoteCollector`` travels in a decoder's `userInfo`
    /// (optional only because the initialiser is failable; it never fails).
    static let callbackDecodingNotes = CodingUserInfoKey(rawValue: "callspool.callbackDecodingNotes")
}

extension Decoder {
    var decodingNotes: DecodingNoteCollector? {
        guard let key = CodingUserInfoKey.callbackDecodingNotes else { return nil }
        return userInfo[key] as? DecodingNoteCollector
    }
}

/// A JSON path for a coding path: `feeLst[2].recordFlag`.
func jsonPath(_ path: [any CodingKey]) -> String {
    var out = ""
    for key in path {
        if let index = key.intValue {
            out += "[\(index)]"
        } else {
            out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return out
}
