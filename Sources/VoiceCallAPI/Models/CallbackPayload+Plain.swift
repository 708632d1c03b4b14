/// The common status push read by a byte scanner: the receiver decodes every
/// push, and `JSONDecoder` with the lenient per-field reading was its largest
/// single cost after the store.
///
/// Only a body whose reading cannot need leniency is taken: one object with
/// `eventType` (a status event type, as a string) and `statusInfo` (an
/// object), whose fields are each at most once, known, and of their
/// documented JSON type (strings without escapes or non-ASCII bytes;
/// `stateCode` a plain integer), with a non-empty `sessionId` within its
/// bound. Then the result is exactly what ``CallbackPayload/decode(_:)``'s
/// full reading gives, with no notes; anything else (`partyType`, unknown
/// keys, nulls, numbers for strings, escapes, fee pushes, malformed JSON) is
/// left to the full reading (nil here).
enum PlainStatusPush {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> CallbackPayload? {
        var scanner = Scanner(bytes: bytes)
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var eventType: String?
        var info: CallStatusInfo?
        var first = true
        while true {
            if scanner.consume(UInt8(ascii: "}")) { break }
            if !first { guard scanner.consume(UInt8(ascii: ",")) else { return nil } }
            first = false
            guard let key = scanner.plainString(), scanner.consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case "eventType":
                guard eventType == nil, let value = scanner.plainString() else { return nil }
                eventType = value
            case "statusInfo":
                guard info == nil, let value = statusInfo(&scanner) else { return nil }
                info = value
            default:
                return nil
            }
        }
        guard scanner.atEnd, let eventType, let info, let type = CallbackEventType(rawValue: eventType), type != .fee else { return nil }
        return CallbackPayload(eventType: eventType, event: .status(type, info), ignoredBecause: nil, notes: [])
    }

    private static func statusInfo(_ scanner: inout Scanner) -> CallStatusInfo? {
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var strings: [CallStatusInfo.CodingKeys: String] = [:]
        var stateCode: Int?
        var first = true
        while true {
            if scanner.consume(UInt8(ascii: "}")) { break }
            if !first { guard scanner.consume(UInt8(ascii: ",")) else { return nil } }
            first = false
            guard let name = scanner.plainString(), scanner.consume(UInt8(ascii: ":")),
                let key = CallStatusInfo.CodingKeys(rawValue: name), key != .partyType
            else { return nil }
            if key == .stateCode {
                guard stateCode == nil, let value = scanner.plainInteger() else { return nil }
                stateCode = value
            } else {
                guard strings[key] == nil, let value = scanner.plainString() else { return nil }
                strings[key] = value
            }
        }
        guard let sessionId = strings[.sessionId], !sessionId.isEmpty, sessionId.utf8.count <= CallbackLimits.maxSessionIdLength else { return nil }
        return CallStatusInfo(
            sessionId: sessionId, timestamp: strings[.timestamp], userData: strings[.userData], caller: strings[.caller],
            called: strings[.called], digitInfo: strings[.digitInfo], stateCode: stateCode, stateDesc: strings[.stateDesc])
    }

    /// Reads JSON tokens of the plain kinds above, skipping blanks before each.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool {
            mutating get {
                skipBlanks()
                return index == bytes.count
            }
        }

        mutating func skipBlanks() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
                default: return
                }
            }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            skipBlanks()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A string of printable ASCII without escapes; nil for anything else.
        mutating func plainString() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            return nil
        }

        /// An integer of at most nine digits, optionally negative, in JSON's
        /// form (no leading zero, no fraction or exponent); nil otherwise.
        mutating func plainInteger() -> Int? {
            skipBlanks()
            var negative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            let start = index
            var value = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                // A tenth digit is not plain: left to the full reader, never accumulated (no overflow).
                guard index - start < 9 else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            let digits = index - start
            guard (1...9).contains(digits), !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
            return negative ? -value : value
        }
    }
}
