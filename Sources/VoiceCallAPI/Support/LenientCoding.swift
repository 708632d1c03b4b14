/// Decoding helpers for the platform's loosely typed JSON.
///
/// The platform (and its documentation) sends numbers as strings and strings as
/// numbers in places: `"resultcode": "0"`, `"stateCode": "8101"`, `"idlePort": "3"`.
/// These helpers accept both so a well-meant payload is never dropped for its quoting.
extension KeyedDecodingContainer {
    func decodeLenientInt(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Int.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            if let value = Int(trimmed) { return value }
        }
        if let value = try? decode(Double.self, forKey: key), value.rounded() == value, abs(value) < 1e15 {
            return Int(value)
        }
        throw DecodingError.typeMismatch(
            Int.self,
            .init(codingPath: codingPath + [key], debugDescription: "expected an integer or a string holding one")
        )
    }

    func decodeLenientString(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(String.self, forKey: key) { return value }
        if let value = try? decode(Int.self, forKey: key) { return String(value) }
        if let value = try? decode(Double.self, forKey: key) { return String(value) }
        if let value = try? decode(Bool.self, forKey: key) { return String(value) }
        throw DecodingError.typeMismatch(
            String.self,
            .init(codingPath: codingPath + [key], debugDescription: "expected a string")
        )
    }
}

import Foundation

/// Reads the optional fields of one object so that a malformed value is
/// never an error: it becomes nil (absent) plus a ``CallbackDecodingNote``.
///
/// Exists because a single odd field (a number sent as text, an enum the
/// reference did not list) used to fail a whole push, and a refused fee push
/// loses up to 50 CDRs after six re-pushes. Only the fields needed to match a
/// push to its call (`sessionId`) are read strictly, by the caller.
struct LenientFields<Key: CodingKey> {
    let container: KeyedDecodingContainer<Key>
    let notes: DecodingNoteCollector?
    /// The call the object belongs to, attached to notes when known.
    var sessionId: String?

    init(_ container: KeyedDecodingContainer<Key>, notes: DecodingNoteCollector?, sessionId: String? = nil) {
        self.container = container
        self.notes = notes
        self.sessionId = sessionId
    }

    func int(_ key: Key) -> Int? {
        do {
            return try container.decodeLenientInt(forKey: key)
        } catch {
            note(.malformedField, key, "expected an integer (or a string holding one); ignored")
            return nil
        }
    }

    func string(_ key: Key) -> String? {
        do {
            return try container.decodeLenientString(forKey: key)
        } catch {
            note(.malformedField, key, "expected a string; ignored")
            return nil
        }
    }

    /// A documented string enum: numbers are tolerated (kept as their text);
    /// a value outside `known` is kept as sent, with a note.
    func enumString(_ key: Key, known: Set<String>) -> String? {
        guard let value = string(key) else { return nil }
        if !known.contains(value) {
            note(.unknownValue, key, "not one of \(known.sorted().joined(separator: ", ")); kept as sent")
        }
        return value
    }

    /// A documented integer enum (`direction`, `recordFlag`): strings holding
    /// a number are tolerated; a number outside `known` is kept, with a note.
    func enumInt(_ key: Key, known: ClosedRange<Int>) -> Int? {
        guard let value = int(key) else { return nil }
        if !known.contains(value) {
            note(.unknownValue, key, "not in \(known.lowerBound)…\(known.upperBound); kept as sent")
        }
        return value
    }

    func note(_ kind: CallbackDecodingNote.Kind, _ key: Key, _ detail: String) {
        notes?.add(CallbackDecodingNote(kind: kind, field: jsonPath(container.codingPath + [key]), detail: detail, sessionId: sessionId))
    }
}
