import Foundation

/// A push from the platform to the status or fee URL.
///
/// Status events (`callout`, `alerting`, `answer`, `collectInfo`, `disconnect`)
/// carry a ``CallStatusInfo``; `fee` carries up to 50 ``FeeRecord``s. Either
/// kind may arrive on either URL.
public enum CallbackEvent: Sendable, Hashable {
    case status(CallbackEventType, CallStatusInfo)
    case fee([FeeRecord])

    public var eventType: CallbackEventType {
        switch self {
        case .status(let type, _): type
        case .fee: .fee
        }
    }
}

/// Why a callback body could not be understood.
public enum CallbackDecodingError: Error, CustomStringConvertible, Equatable {
    case notJSON(String)
    case missingEventType
    case unknownEventType(String)
    case missingStatusInfo(CallbackEventType)
    case missingFeeList
    case invalid(String)

    public var description: String {
        switch self {
        case .notJSON(let detail): "body is not valid JSON: \(detail)"
        case .missingEventType: "eventType is missing"
        case .unknownEventType(let type): "eventType '\(type)' is not one of callout, alerting, answer, collectInfo, disconnect, fee"
        case .missingStatusInfo(let type): "eventType \(type.rawValue) needs a statusInfo object"
        case .missingFeeList: "eventType fee needs a feeLst array"
        case .invalid(let detail): detail
        }
    }
}

extension CallbackEvent: Codable {
    enum CodingKeys: String, CodingKey { case eventType, statusInfo, feeLst }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let raw = try c.decodeLenientString(forKey: .eventType) else {
            throw CallbackDecodingError.missingEventType
        }
        guard let type = CallbackEventType(rawValue: raw) else {
            throw CallbackDecodingError.unknownEventType(raw)
        }
        if type == .fee {
            guard c.contains(.feeLst), let list = try c.decodeIfPresent([FeeRecord].self, forKey: .feeLst) else {
                throw CallbackDecodingError.missingFeeList
            }
            self = .fee(list)
        } else {
            guard c.contains(.statusInfo), let info = try c.decodeIfPresent(CallStatusInfo.self, forKey: .statusInfo) else {
                throw CallbackDecodingError.missingStatusInfo(type)
            }
            self = .status(type, info)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(eventType, forKey: .eventType)
        switch self {
        case .status(_, let info): try c.encode(info, forKey: .statusInfo)
        case .fee(let records): try c.encode(records, forKey: .feeLst)
        }
    }

    /// Decodes a callback body.
    ///
    /// Accepts what the platform's documentation shows verbatim: a stray
    /// leading `>` (a quoting artefact) and string values broken across lines
    /// (`"timestamp":"20  ⏎19-01-24 02:49:23"`), by removing a line break and the
    /// blanks before it when it falls inside a string literal. Anything else that
    /// is not JSON is refused with ``CallbackDecodingError``.
    public static func decode(_ body: some Collection<UInt8>) throws -> CallbackEvent {
        let decoder = JSONDecoder()
        let bytes = Array(body)
        do {
            return try decoder.decode(CallbackEvent.self, from: Data(bytes))
        } catch let error as CallbackDecodingError {
            throw error
        } catch let firstError {
            guard let repaired = JSONRepair.repairDocumentationQuirks(bytes), repaired != bytes else {
                throw Self.map(firstError)
            }
            do {
                return try decoder.decode(CallbackEvent.self, from: Data(repaired))
            } catch let error as CallbackDecodingError {
                throw error
            } catch {
                throw Self.map(firstError)
            }
        }
    }

    private static func map(_ error: any Error) -> CallbackDecodingError {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return .notJSON(context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        case DecodingError.keyNotFound(let key, let context):
            return .invalid("\(context.codingPath.map(\.stringValue).joined(separator: ".")).\(key.stringValue) is missing")
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return .invalid("\(path): \(context.debugDescription)")
        default:
            return .notJSON("\(error)")
        }
    }
}

/// Undoes the line-wrapping and quoting the reference's PDF extraction adds.
enum JSONRepair {
    static func repairDocumentationQuirks(_ input: [UInt8]) -> [UInt8]? {
        var bytes = input[...]
        while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\n") || first == UInt8(ascii: "\r") || first == UInt8(ascii: "\t") {
            bytes = bytes.dropFirst()
        }
        if bytes.first == UInt8(ascii: ">") { bytes = bytes.dropFirst() }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        // A wrap between two words ("The user  ⏎releases") was a blank in the
        // original; a wrap inside a token ("20  ⏎19-01-24") was nothing.
        var wrappedAfterWord = false
        func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
        for byte in bytes {
            if inString {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    var blanks = 0
                    while let last = out.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                        out.removeLast()
                        blanks += 1
                    }
                    if blanks > 0, let last = out.last, isLetter(last) { wrappedAfterWord = true }
                    continue
                }
                if wrappedAfterWord, isLetter(byte) { out.append(UInt8(ascii: " ")) }
                wrappedAfterWord = false
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            }
            out.append(byte)
        }
        return out
    }
}
