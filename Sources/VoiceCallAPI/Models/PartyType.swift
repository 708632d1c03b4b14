/// Who hung up, in a `disconnect` event (`partyType`, table 4-18): the
/// reference documents a string enum `caller`, `callee` or `platform`.
///
/// Open-ended on purpose: an undocumented value (or a number) is kept as sent
/// rather than failing the push, so the event is still stored and matched.
public struct PartyType: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let caller = PartyType(rawValue: "caller")
    public static let callee = PartyType(rawValue: "callee")
    public static let platform = PartyType(rawValue: "platform")

    /// The values the reference lists.
    public static let documented: Set<String> = ["caller", "callee", "platform"]

    public var isDocumented: Bool { Self.documented.contains(rawValue) }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            rawValue = text
        } else {
            rawValue = String(try container.decode(Int.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
