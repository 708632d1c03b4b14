import Foundation

/// The `after`/`next` cursor of `GET /v1/jobs`: the row id of the last job
/// of a page, as text. Opaque to clients (docs/api.md): only a `next` the
/// API gave is a valid `after`.
public struct JobCursor: Sendable, Equatable {
    public var afterRowID: Int64

    public init(afterRowID: Int64) { self.afterRowID = afterRowID }

    /// Reads a cursor; nil when `text` is not one the API gives.
    public init?(_ text: String) {
        guard !text.isEmpty, text.count <= 19, text.allSatisfy(\.isASCII), let value = Int64(text), value >= 0, String(value) == text else { return nil }
        afterRowID = value
    }

    public var text: String { String(afterRowID) }
}
