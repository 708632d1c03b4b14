/// A text compared as the stores compare it: byte for byte in UTF-8.
///
/// Swift's `String ==` (and so `Set<String>`, dictionary keys) treats
/// canonically equivalent texts as equal: NFC `é` and NFD `e\u{301}` are one
/// key to Swift and two to SQLite and PostgreSQL. Wherever an id or a
/// campaign name is de-duplicated or looked up beside the store, it is keyed
/// by this, so `validate`, the report's counts and the store agree.
public struct ExactText: Hashable, Sendable, Comparable {
    public let text: String
    private let bytes: [UInt8]

    public init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    public static func == (lhs: ExactText, rhs: ExactText) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
    public static func < (lhs: ExactText, rhs: ExactText) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
