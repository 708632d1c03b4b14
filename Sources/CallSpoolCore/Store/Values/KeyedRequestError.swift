import Foundation

/// Why a keyed request could not be answered.
public enum KeyedRequestError: Error, CustomStringConvertible, Equatable {
    /// Another request kept an answer under the key, which was gone when read (it expired in between).
    case keyTakenThenGone(key: String)

    public var description: String {
        switch self {
        case .keyTakenThenGone(let key):
            "another request used the Idempotency-Key \(key.prefix(255)) at the same time and its answer expired: send the request again"
        }
    }
}
