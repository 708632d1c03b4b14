import Foundation

/// A callback body as the receiver reads it: leniently, per field.
///
/// Exists because the platform re-pushes a refused fee push six times and
/// then drops it, with up to 50 CDRs inside, and never re-pushes status
/// events: refusing a whole push for one odd field loses data for good. So
/// only a body that is not JSON or has no `eventType` is an error
/// (``CallbackDecodingError``); everything else decodes to what is usable,
/// plus ``notes`` on what was tolerated:
/// * a malformed optional field reads as absent;
/// * a documented enum is read as a string, numbers tolerated, and an
///   undocumented value is kept as sent;
/// * a fee CDR without a usable `sessionId` is dropped, the others kept;
/// * an event that cannot be matched to any call (unknown `eventType`, no
///   `statusInfo` or `feeLst`, no `sessionId`) has a nil ``event``.
public struct CallbackPayload: Sendable {
    /// The `eventType` as sent.
    public var eventType: String
    /// What to store; nil when nothing in the push is usable.
    public var event: CallbackEvent?
    /// Why ``event`` is nil.
    public var ignoredBecause: CallbackDecodingError?
    /// What was tolerated, in body order.
    public var notes: [CallbackDecodingNote]
    /// For a fee push: each CDR of ``event`` as sent (its `feeLst` element's
    /// text), one per record and in their order, for the store to keep
    /// beside the parsed fields. Nil for a status push, or when the
    /// elements could not be cut out of the body (``FeeListText``).
    public var feeTexts: [String]? = nil

    /// Decodes a body: the common plain status push by a scanner
    /// (``PlainStatusPush``), anything else by the full lenient reading.
    public static func decode(_ body: some Collection<UInt8>) throws(CallbackDecodingError) -> CallbackPayload {
        let bytes = Array(body)
        if let plain = bytes.withUnsafeBufferPointer({ PlainStatusPush.decode($0) }) { return plain }
        return try decodeLeniently(bytes)
    }

    /// The full reading (``CallbackEnvelope``), tolerant per field.
    static func decodeLeniently(_ bytes: [UInt8]) throws(CallbackDecodingError) -> CallbackPayload {
        do {
            return try attempt(bytes)
        } catch let error as CallbackDecodingError {
            throw error
        } catch {
            throw map(error)
        }
    }

    private static func attempt(_ bytes: [UInt8]) throws -> CallbackPayload {
        let collector = DecodingNoteCollector()
        let decoder = JSONDecoder()
        if let key = CodingUserInfoKey.callbackDecodingNotes { decoder.userInfo[key] = collector }
        let envelope = try decoder.decode(CallbackEnvelope.self, from: Data(bytes))
        var payload = CallbackPayload(
            eventType: envelope.eventType, event: envelope.event, ignoredBecause: envelope.ignoredBecause, notes: collector.notes)
        if case .fee(let records) = envelope.event {
            payload.feeTexts = feeTexts(of: records, at: envelope.feeIndices, in: bytes)
        }
        return payload
    }

    /// The texts of the kept CDRs: element `indices[i]` of `feeLst` is
    /// `records[i]` (the decoder drops CDRs without a usable sessionId, so
    /// positions differ from record order). Nil when the scanner's elements
    /// do not line up with the decoder's.
    private static func feeTexts(of records: [FeeRecord], at indices: [Int], in bytes: [UInt8]) -> [String]? {
        guard indices.count == records.count, let elements = FeeListText.elements(in: bytes),
            indices.allSatisfy({ elements.indices.contains($0) })
        else { return nil }
        return indices.map { String(decoding: bytes[elements[$0]], as: UTF8.self) }
    }

    private static func map(_ error: any Error) -> CallbackDecodingError {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return .notJSON(context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        case DecodingError.keyNotFound(let key, let context):
            return .invalid("\(jsonPath(context.codingPath + [key])) is missing")
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return .invalid("\(jsonPath(context.codingPath)): \(context.debugDescription)")
        default:
            return .notJSON("\(error)")
        }
    }
}

/// The top level of a push, read without ever failing past `eventType`.
struct CallbackEnvelope: Decodable {
    var eventType: String
    var event: CallbackEvent?
    var ignoredBecause: CallbackDecodingError?
    /// For a fee push: the position in `feeLst` of each record kept.
    var feeIndices: [Int] = []

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CallbackEvent.CodingKeys.self)
        let raw: String?
        do {
            raw = try c.decodeLenientString(forKey: .eventType)
        } catch {
            raw = nil
        }
        guard let raw, !raw.isEmpty else { throw CallbackDecodingError.missingEventType }
        eventType = raw
        let notes = decoder.decodingNotes
        guard let type = CallbackEventType(rawValue: raw) else {
            ignore(.unknownEventType(raw), field: "eventType", notes: notes)
            return
        }
        if type == .fee {
            readFeeList(c, notes: notes)
        } else {
            readStatusInfo(type, c, notes: notes)
        }
    }

    private mutating func readStatusInfo(
        _ type: CallbackEventType, _ c: KeyedDecodingContainer<CallbackEvent.CodingKeys>, notes: DecodingNoteCollector?
    ) {
        guard c.contains(.statusInfo), (try? c.decodeNil(forKey: .statusInfo)) == false else {
            ignore(.missingStatusInfo(type), field: "statusInfo", notes: notes)
            return
        }
        do {
            let info = try c.decode(CallStatusInfo.self, forKey: .statusInfo)
            guard info.sessionId.count <= CallbackLimits.maxSessionIdLength else {
                ignore(
                    .invalid("statusInfo.sessionId is longer than \(CallbackLimits.maxSessionIdLength) characters"),
                    field: "statusInfo.sessionId", notes: notes, sessionId: info.sessionId)
                return
            }
            event = .status(type, info)
        } catch {
            ignore(.invalid("statusInfo has no usable sessionId"), field: "statusInfo.sessionId", notes: notes)
        }
    }

    private mutating func readFeeList(_ c: KeyedDecodingContainer<CallbackEvent.CodingKeys>, notes: DecodingNoteCollector?) {
        guard c.contains(.feeLst), (try? c.decodeNil(forKey: .feeLst)) == false else {
            ignore(.missingFeeList, field: "feeLst", notes: notes)
            return
        }
        guard var list = try? c.nestedUnkeyedContainer(forKey: .feeLst) else {
            ignore(.invalid("feeLst is not an array"), field: "feeLst", notes: notes)
            return
        }
        var records: [FeeRecord] = []
        var index = 0
        while !list.isAtEnd {
            guard let entry = try? list.decode(FeeEntry.self) else { break }
            if let record = entry.record, record.sessionId.count <= CallbackLimits.maxSessionIdLength {
                records.append(record)
                feeIndices.append(index)
            } else {
                let why = entry.record == nil
                    ? "no usable sessionId (or not an object); this CDR is not stored"
                    : "sessionId longer than \(CallbackLimits.maxSessionIdLength) characters; this CDR is not stored"
                notes?.add(CallbackDecodingNote(
                    kind: .droppedRecord, field: "feeLst[\(index)]", detail: why, sessionId: entry.record?.sessionId ?? entry.sessionId))
            }
            index += 1
        }
        event = .fee(records)
    }

    private mutating func ignore(
        _ reason: CallbackDecodingError, field: String, notes: DecodingNoteCollector?, sessionId: String? = nil
    ) {
        ignoredBecause = reason
        notes?.add(CallbackDecodingNote(kind: .ignoredEvent, field: field, detail: "\(reason); the push is not stored", sessionId: sessionId))
    }
}

/// One element of `feeLst`: a CDR, or why not. Never fails, so one bad
/// element does not stop the others from being read.
struct FeeEntry: Decodable {
    var record: FeeRecord?
    /// The element's `sessionId` when it could be read although the CDR could not.
    var sessionId: String?

    init(from decoder: any Decoder) {
        do {
            record = try FeeRecord(from: decoder)
        } catch {
            let container = try? decoder.container(keyedBy: FeeRecord.CodingKeys.self)
            sessionId = container.flatMap { try? $0.decodeLenientString(forKey: .sessionId) }
        }
    }
}

/// Bounds the reference puts on pushed values that matter for matching.
enum CallbackLimits {
    /// `sessionId` is String(1-256) in the status and fee tables.
    static let maxSessionIdLength = 256
}
