/// Just enough of a JSON reader to stream a campaign: it finds value
/// boundaries (strings, nesting) without building values, so each job of a
/// million-job `jobs` array can be cut out and decoded on its own.
struct JSONScanner {
    var source: ByteSource

    struct SyntaxError: Error, CustomStringConvertible {
        var message: String
        var offset: Int64
        var description: String { "\(message) at byte \(offset)" }
    }

    init(source: ByteSource) { self.source = source }

    func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: source.offset) }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    mutating func skipSpace() throws {
        while let byte = try source.peek(), Self.isSpace(byte) { _ = try source.next() }
    }

    mutating func skipByteOrderMark() throws {
        if try source.peek() == 0xEF {
            _ = try source.next()
            guard try source.next() == 0xBB, try source.next() == 0xBF else { throw error("not UTF-8 text (stray 0xEF byte)") }
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard let got = try source.next() else { throw error("unexpected end of file, expected \(what)") }
        guard got == byte else { throw error("expected \(what), found \(Self.show(got))") }
    }

    static func show(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    /// Reads a string (the opening quote is next) into `capture`, quotes included.
    mutating func scanString(into capture: inout [UInt8], limit: Int, capturing: Bool) throws {
        try expect(UInt8(ascii: "\""), "'\"'")
        if capturing { capture.append(UInt8(ascii: "\"")) }
        var escaped = false
        while true {
            guard let byte = try source.next() else { throw error("unexpected end of file inside a string") }
            if capturing {
                guard capture.count < limit else { throw error("value larger than \(limit) bytes") }
                capture.append(byte)
            }
            if escaped { escaped = false; continue }
            if byte == UInt8(ascii: "\\") { escaped = true; continue }
            if byte == UInt8(ascii: "\"") { return }
            if byte < 0x20 { throw error(byte == 0x0A || byte == 0x0D ? "line break inside a string (is the file cut short?)" : "control character inside a string") }
        }
    }

    /// Reads one whole value (object, array, string or scalar), appending its
    /// bytes to `capture` when capturing.
    mutating func scanValue(into capture: inout [UInt8], limit: Int, capturing: Bool) throws {
        guard let first = try source.peek() else { throw error("unexpected end of file, expected a value") }
        switch first {
        case UInt8(ascii: "\""):
            try scanString(into: &capture, limit: limit, capturing: capturing)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var stack: [UInt8] = []
            repeat {
                guard let byte = try source.peek() else { throw error("unexpected end of file inside \(stack.last == UInt8(ascii: "{") ? "an object" : "an array")") }
                if byte == UInt8(ascii: "\"") {
                    try scanString(into: &capture, limit: limit, capturing: capturing)
                    continue
                }
                _ = try source.next()
                if capturing {
                    guard capture.count < limit else { throw error("value larger than \(limit) bytes") }
                    capture.append(byte)
                }
                switch byte {
                case UInt8(ascii: "{"): stack.append(UInt8(ascii: "}"))
                case UInt8(ascii: "["): stack.append(UInt8(ascii: "]"))
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard stack.popLast() == byte else { throw error("mismatched \(Self.show(byte))") }
                default:
                    if byte < 0x20, !Self.isSpace(byte) { throw error("unexpected \(Self.show(byte))") }
                }
            } while !stack.isEmpty
        default:
            var length = 0
            while let byte = try source.peek(), !Self.isSpace(byte), byte != UInt8(ascii: ","),
                byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]") {
                guard byte >= 0x20, byte < 0x7F else { throw error("unexpected \(Self.show(byte))") }
                _ = try source.next()
                if capturing { capture.append(byte) }
                length += 1
            }
            if length == 0 { throw error("expected a value, found \(Self.show(first))") }
        }
    }

    /// Reads an object key (a string) and the colon after it.
    mutating func scanKey() throws -> String {
        var raw: [UInt8] = []
        try scanString(into: &raw, limit: 4096, capturing: true)
        try skipSpace()
        try expect(UInt8(ascii: ":"), "':' after a key")
        try skipSpace()
        let inner = raw.dropFirst().dropLast()
        guard !inner.contains(UInt8(ascii: "\\")) else {
            // Rare: an escaped key. Let Foundation unescape it.
            if let text = try? JSONDecoder().decode([String].self, from: .init([UInt8(ascii: "[")] + raw + [UInt8(ascii: "]")])).first {
                return text
            }
            throw error("invalid key")
        }
        guard let key = String(validating: inner, as: UTF8.self) else { throw error("key is not valid UTF-8") }
        return key
    }
}

import Foundation
