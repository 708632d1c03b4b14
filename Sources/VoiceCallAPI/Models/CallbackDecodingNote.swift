/// Something a callback body got wrong that did not stop it from being used:
/// a malformed optional field (read as absent), a value outside a documented
/// enum (kept as sent), a fee CDR that had to be dropped, or an event that
/// cannot be matched to any call and is ignored.
///
/// Exists so the receiver can log what it tolerated instead of refusing the
/// whole push (a refused fee push is re-pushed six times, then lost). A note
/// never holds the offending value (it may be a phone number or a secret);
/// ``sessionId`` is raw and must be masked before it is logged.
public struct CallbackDecodingNote: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// An optional field of the wrong type: read as absent.
        case malformedField = "malformed_field"
        /// A documented enum with a value the reference does not list: kept.
        case unknownValue = "unknown_value"
        /// A fee CDR without a usable `sessionId` (or not an object): not stored.
        case droppedRecord = "dropped_record"
        /// An event without a usable `statusInfo`/`feeLst`, or of an unknown type: not stored.
        case ignoredEvent = "ignored_event"
    }

    public var kind: Kind
    /// Where, as a JSON path: `statusInfo.partyType`, `feeLst[2].recordFlag`.
    public var field: String
    /// What was expected, never the value itself.
    public var detail: String
    /// The call the note is about, when known (raw: mask it before logging).
    public var sessionId: String?

    public init(kind: Kind, field: String, detail: String, sessionId: String? = nil) {
        self.kind = kind
        self.field = field
        self.detail = detail
        self.sessionId = sessionId
    }

    /// The field without array indices (`feeLst[].recordFlag`): a key for rate-limited logging.
    public var fieldPattern: String {
        var out = ""
        var inIndex = false
        for char in field {
            if char == "[" {
                inIndex = true
                out.append("[")
            } else if char == "]" {
                inIndex = false
                out.append("]")
            } else if !inIndex {
                out.append(char)
            }
        }
        return out
    }

    public var description: String { "\(field): \(detail)" }
}
