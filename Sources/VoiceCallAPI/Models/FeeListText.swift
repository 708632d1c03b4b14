/// Cuts the elements of a fee push's top-level `feeLst` array out of the
/// push's bytes, exactly as they were sent.
///
/// Exists so the store keeps each CDR as the platform sent it (for audit:
/// unknown fields, malformed values and the platform's number formatting
/// included), next to the fields the decoder read, without re-encoding the
/// parsed record or storing the whole push (up to 50 CDRs) once per CDR.
/// `JSONDecoder` gives no byte offsets, so this scanner walks the JSON the
/// decoder has already accepted, tracking only strings and nesting.
///
/// It answers nil when it cannot be sure its elements are the decoder's: no
/// object at the top, a `feeLst` key written with escapes or present twice,
/// or anything it does not follow. The caller then falls back to the whole
/// push body.
enum FeeListText {
    /// The byte ranges of the `feeLst` elements, in order.
    static func elements(in bytes: [UInt8]) -> [Range<Int>]? {
        var scanner = Scanner(bytes: bytes)
        return scanner.feeList()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        static let quote = UInt8(ascii: "\"")
        static let backslash = UInt8(ascii: "\\")
        static let key = Array("\"feeLst\"".utf8)

        init(bytes: [UInt8]) {
            self.bytes = bytes
            // A UTF-8 byte order mark, which the decoder skips too.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        mutating func feeList() -> [Range<Int>]? {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var found: [Range<Int>]?
            skipSpace()
            if take(UInt8(ascii: "}")) { return nil }
            while true {
                skipSpace()
                guard let name = string() else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                if bytes[name].elementsEqual(Self.key) {
                    guard found == nil, let list = array() else { return nil }
                    found = list
                } else {
                    guard value() else { return nil }
                }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { return nil }
                return found
            }
        }

        /// The elements of the array at `index`, each without surrounding space.
        private mutating func array() -> [Range<Int>]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var elements: [Range<Int>] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return elements }
            while true {
                skipSpace()
                let start = index
                guard value() else { return nil }
                elements.append(start..<index)
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "]")) else { return nil }
                return elements
            }
        }

        /// Skips one value: a string, an object or array (by nesting), or a
        /// literal or number (up to the next delimiter).
        private mutating func value() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case Self.quote:
                return string() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case Self.quote:
                        guard string() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default:
                        break
                    }
                    index += 1
                }
                return false
            default:
                let start = index
                while index < bytes.count, !Self.isDelimiter(bytes[index]) { index += 1 }
                return index > start
            }
        }

        /// The range of the string at `index`, quotes included.
        private mutating func string() -> Range<Int>? {
            guard index < bytes.count, bytes[index] == Self.quote else { return nil }
            let start = index
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                index += byte == Self.backslash ? 2 : 1
                if byte == Self.quote { return start..<index }
            }
            return nil
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipSpace() {
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        }

        private static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        private static func isDelimiter(_ byte: UInt8) -> Bool {
            isSpace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
        }
    }
}
