import Foundation
import VoiceCallAPI

/// What committing one callback POST did.
public struct CallbackCommit: Sendable, Equatable {
    /// Calls that ended: free their ports (after commit).
    public var signals: [CallEndSignal] = []
    /// Events or CDRs stored but not attached to a job yet (sessionId unknown).
    public var pending = 0
    /// CDRs already stored (platform re-pushes): nothing changed for them.
    public var duplicates = 0
    /// Fee CDRs applied to their jobs, with the minutes each added (0 for
    /// an unanswered call): the metric counts them after commit.
    public var billed: [BilledCall] = []

    public init() {}

    /// Adds what applying a call's callbacks did.
    mutating func add(_ applied: CallbackCommit) {
        signals += applied.signals
        billed += applied.billed
    }
}

/// One callback push to store (``CallStore/recordCallbacks(_:)``).
public struct CallbackPush: Sendable {
    public var event: CallbackEvent
    public var body: String
    public var now: Date
    /// The push's verified nonce, remembered in the same savepoint as the
    /// event (nil when signatures are not verified).
    public var nonce: CallbackNonce?
    /// The application whose secret signed it (nil: not checked): it
    /// may only change that application's calls.
    public var app: String?
    /// For a fee push: each CDR as sent (``CallbackPayload/feeTexts``), one
    /// per record, kept as the CDR's `raw` text. Nil when the receiver could
    /// not cut them out (or the push was built without them): each CDR then
    /// keeps the whole ``body`` instead (``feeRecordsAsSent(_:)``).
    public var feeTexts: [String]?

    /// Texts are stored with NUL replaced by U+FFFD (PostgreSQL refuses
    /// NUL; a refused status push would be lost).
    public init(event: CallbackEvent, body: String, now: Date, nonce: CallbackNonce? = nil, app: String? = nil, feeTexts: [String]? = nil) {
        if CallbackEvent.mayHoldNUL(body) {
            self.event = event.replacingNUL()
            self.body = Self.replacingNUL(body)
            self.feeTexts = feeTexts?.map(Self.replacingNUL)
        } else {
            self.event = event
            self.body = body
            self.feeTexts = feeTexts
        }
        self.now = now
        self.nonce = nonce
        self.app = app
    }

    private static func replacingNUL(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").replacingOccurrences(of: "\\u0000", with: "\\ufffd")
    }

    /// Each of `records` (the push's CDRs) with its raw text: its element
    /// as sent when the receiver had it, else the whole push body, so a CDR
    /// always keeps what the platform sent, for audit.
    func feeRecordsAsSent(_ records: [FeeRecord]) -> [ReceivedFeeRecord] {
        guard let feeTexts, feeTexts.count == records.count else { return records.map { ReceivedFeeRecord(record: $0, raw: body) } }
        return zip(records, feeTexts).map { ReceivedFeeRecord(record: $0, raw: $1) }
    }
}

/// A fee CDR to store: the fields the receiver read, and the text the
/// platform sent (the `cdr` row's columns and its `raw`).
public struct ReceivedFeeRecord: Sendable, Hashable {
    public var record: FeeRecord
    public var raw: String

    public init(record: FeeRecord, raw: String) {
        self.record = record
        self.raw = raw
    }
}

