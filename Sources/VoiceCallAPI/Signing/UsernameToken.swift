/// The parsed value of an `X-AKSK` / `X-WSSE` header.
public struct UsernameToken: Sendable, Hashable {
    public var username: String?
    public var passwordDigest: String?
    public var nonce: String?
    public var created: String?

    /// Parses `UsernameToken Username="…", PasswordDigest="…", Nonce="…", Created="…"`.
    /// Tolerates blanks after commas and any key order; key names are matched
    /// without regard to case. Returns nil when the `UsernameToken` prefix is missing.
    /// Reads the header's bytes once (every push is parsed before anything else).
    public init?(header: String) {
        var header = header
        guard let parsed = header.withUTF8({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    private init() {}

    private static let prefix = Array("usernametoken".utf8)

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> UsernameToken? {
        var index = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard bytes.count - index >= prefix.count else { return nil }
        for letter in prefix {
            guard bytes[index] | 0x20 == letter else { return nil }
            index += 1
        }
        var token = UsernameToken()
        for (key, value) in pairs(bytes, from: index) {
            switch key {
            case .username: token.username = String(decoding: bytes[value], as: UTF8.self)
            case .passwordDigest: token.passwordDigest = String(decoding: bytes[value], as: UTF8.self)
            case .nonce: token.nonce = String(decoding: bytes[value], as: UTF8.self)
            case .created: token.created = String(decoding: bytes[value], as: UTF8.self)
            }
        }
        return token
    }

    private enum Key: CaseIterable {
        case username, passwordDigest, nonce, created

        var lowercased: [UInt8] {
            switch self {
            case .username: Array("username".utf8)
            case .passwordDigest: Array("passworddigest".utf8)
            case .nonce: Array("nonce".utf8)
            case .created: Array("created".utf8)
            }
        }

        static let names = allCases.map { ($0, $0.lowercased) }

        /// The key `bytes[range]` names (ASCII, any case), if one callspool reads.
        static func named(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Key? {
            names.first { _, name in
                name.count == range.count && zip(name, bytes[range]).allSatisfy { letter, byte in byte | 0x20 == letter }
            }?.0
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// The known keys and their value ranges, in header order.
    private static func pairs(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [(Key, Range<Int>)] {
        var result: [(Key, Range<Int>)] = []
        var index = start
        let end = bytes.count
        while true {
            while index < end, isBlank(bytes[index]) || bytes[index] == UInt8(ascii: ",") { index += 1 }
            guard let equals = bytes[index..<end].firstIndex(of: UInt8(ascii: "=")) else { break }
            var keyStart = index
            var keyEnd = equals
            while keyStart < keyEnd, isBlank(bytes[keyStart]) { keyStart += 1 }
            while keyEnd > keyStart, isBlank(bytes[keyEnd - 1]) { keyEnd -= 1 }
            let key = Key.named(bytes, keyStart..<keyEnd)
            index = equals + 1
            while index < end, bytes[index] == UInt8(ascii: " ") { index += 1 }
            let value: Range<Int>
            if index < end, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                guard let close = bytes[index..<end].firstIndex(of: UInt8(ascii: "\"")) else {
                    if let key { result.append((key, index..<end)) }
                    break
                }
                value = index..<close
                index = close + 1
            } else {
                let stop = bytes[index..<end].firstIndex(of: UInt8(ascii: ",")) ?? end
                var valueStart = index
                var valueEnd = stop
                while valueStart < valueEnd, isBlank(bytes[valueStart]) { valueStart += 1 }
                while valueEnd > valueStart, isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
                value = valueStart..<valueEnd
                index = stop
            }
            if let key { result.append((key, value)) }
        }
        return result
    }
}
