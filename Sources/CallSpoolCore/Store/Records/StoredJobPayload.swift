import Foundation

/// The `payload` column of a job: the JSON text of a ``JobPayload``, decoded
/// where it is used, so that a payload which cannot be decoded (a row damaged
/// by hand, or written by a version whose shape this one cannot read) fails
/// its own job when dispatch reaches it (error code `payload`,
/// ``StoredPayloadError``) and never makes a query that reads the row throw.
///
/// The text is kept as read and written back as it is: only dispatch (once
/// per attempt) and the erasure of a finished verify job's code decode it,
/// not every read of the row (callbacks read a job several times per call).
/// Equal when the stored texts are equal.
public struct StoredJobPayload: Sendable, Hashable, CustomStringConvertible {
    /// The JSON text the column holds.
    public let storedText: String

    /// A payload to store, in the shape intake writes (``JobPayload/storedText``).
    public init(_ payload: JobPayload) {
        storedText = payload.storedText
    }

    /// Stored text as read from a row, decodable or not.
    public init(storedText: String) {
        self.storedText = storedText
    }

    /// The payload, or which field of the stored text cannot be decoded (the
    /// error never quotes the text: it may hold a verification code).
    public func decode() -> Result<JobPayload, StoredPayloadError> {
        do {
            return .success(try JSONDecoder().decode(JobPayload.self, from: Data(storedText.utf8)))
        } catch {
            return .failure(StoredPayloadError(decoding: error))
        }
    }

    /// The payload, nil when the stored text cannot be decoded.
    public var decoded: JobPayload? { try? decode().get() }

    /// The same payload without its verification code: blanked in a
    /// decodable verify payload (its other fields kept), every `verifyCode`
    /// blanked in an undecodable text (an empty object when the text is not
    /// even JSON: the code may be anywhere in it). A notify payload is unchanged.
    public func erasingVerifyCodes() -> StoredJobPayload {
        switch decode() {
        case .success(.verify(var verify)):
            verify.verifyCode = ""
            return StoredJobPayload(.verify(verify))
        case .success(.notify):
            return self
        case .failure:
            return StoredJobPayload(storedText: StoredPayloadError.erasingVerifyCodes(storedText))
        }
    }

    /// Never the text (it may hold a verification code).
    public var description: String { "StoredJobPayload(\(storedText.utf8.count) bytes)" }
}

/// Stored as the JSON text itself: any text value reads back, decodable or not.

/// Outside the database (a record encoded to JSON elsewhere) the payload is
/// its JSON text as a string, so an undecodable one survives a round trip.
extension StoredJobPayload: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(storedText: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(storedText)
    }
}
