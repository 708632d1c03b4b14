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

/// Why a callback body could not be understood. The receiver refuses a body
/// (400) only for ``notJSON`` and ``missingEventType``; the other cases say
/// why a push held nothing to store (``CallbackPayload/ignoredBecause``).
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

    /// Strict reading: an event with nothing usable (unknown type, no
    /// `statusInfo`, no `feeLst` array, no `sessionId`) throws; malformed
    /// optional fields and unusable CDRs are tolerated as in ``CallbackPayload``.
    public init(from decoder: any Decoder) throws {
        let envelope = try CallbackEnvelope(from: decoder)
        guard let event = envelope.event else {
            throw envelope.ignoredBecause ?? CallbackDecodingError.invalid("nothing usable in the \(envelope.eventType) push")
        }
        self = event
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(eventType, forKey: .eventType)
        switch self {
        case .status(_, let info): try c.encode(info, forKey: .statusInfo)
        case .fee(let records): try c.encode(records, forKey: .feeLst)
        }
    }

    /// Decodes a callback body; throws when it is not JSON, has no
    /// `eventType`, or holds nothing usable (see ``CallbackPayload/decode(_:)``
    /// for the lenient reading the receiver uses).
    public static func decode(_ body: some Collection<UInt8>) throws(CallbackDecodingError) -> CallbackEvent {
        let payload = try CallbackPayload.decode(body)
        guard let event = payload.event else {
            throw payload.ignoredBecause ?? .invalid("nothing usable in the \(payload.eventType) push")
        }
        return event
    }
}
