import Foundation

/// Why a queued job's stored payload (the JSON in `job.payload`) cannot be
/// decoded into a request: a row damaged by hand, or written by a version
/// whose shape this one does not read.
///
/// Such a job can never be sent, so dispatch fails it with this error
/// (``errorCode`` `payload`) instead of skipping it on every pass. The
/// description names the field and what is wrong with it, and never
/// quotes the payload: it may hold a verification code.
public struct StoredPayloadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// Not JSON, or not an object with a `notify` or `verify` object.
        case notAPayload
        case missing
        case wrongType(expected: String)
        case null(expected: String)
        case invalidValue
    }

    public static let errorCode = "payload"

    /// The field, as a path (`notify.playInfoList[0].notifyVoice`); nil for
    /// the payload as a whole.
    public var field: String?
    public var problem: Problem

    public init(field: String?, problem: Problem) {
        self.field = field
        self.problem = problem
    }

    /// Classifies a decoding failure by its case and coding path only (the
    /// debug texts of Foundation's decoder may quote values).
    public init(decoding error: any Error) {
        guard let error = error as? DecodingError else {
            self.init(field: nil, problem: .notAPayload)
            return
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(field: Self.path(context.codingPath + [key]), problem: .missing)
        case .typeMismatch(let type, let context):
            self.init(field: Self.path(context.codingPath), problem: .wrongType(expected: Self.typeName(type)))
        case .valueNotFound(let type, let context):
            self.init(field: Self.path(context.codingPath), problem: .null(expected: Self.typeName(type)))
        case .dataCorrupted(let context):
            let field = Self.path(context.codingPath)
            self.init(field: field, problem: field == nil ? .notAPayload : .invalidValue)
        @unknown default:
            self.init(field: nil, problem: .notAPayload)
        }
    }

    public var description: String {
        let what: String
        switch problem {
        case .notAPayload: what = #"it is not a JSON object holding a "notify" or a "verify" object"#
        case .missing: what = "\(field ?? "a field") is missing"
        case .wrongType(let expected): what = "\(field ?? "a field") is not \(expected)"
        case .null(let expected): what = "\(field ?? "a field") is null, expected \(expected)"
        case .invalidValue: what = "\(field ?? "a field") holds an invalid value"
        }
        return "the stored payload cannot be decoded: \(what); the job was never sent (queue it again from a job file)"
    }

    /// `notify.playInfoList[0].notifyVoice`; the `_0` the verify payload is
    /// stored under is left out.
    static func path(_ keys: [any CodingKey]) -> String? {
        var text = ""
        for key in keys where key.stringValue != "_0" {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? nil : text
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is Double.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }

    /// `payload` with every `verifyCode` blanked, for a failed verify job
    /// whose payload the normal erasure cannot decode. A payload that is not
    /// even JSON is replaced by an empty object: the code may be anywhere in it.
    public static func erasingVerifyCodes(_ payload: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8), options: [.fragmentsAllowed]) else { return "{}" }
        func scrub(_ value: Any) -> Any {
            if let dictionary = value as? [String: Any] {
                var out: [String: Any] = [:]
                for (key, inner) in dictionary { out[key] = key == "verifyCode" ? "" : scrub(inner) }
                return out
            }
            if let array = value as? [Any] { return array.map(scrub) }
            return value
        }
        let scrubbed = scrub(object)
        guard JSONSerialization.isValidJSONObject(scrubbed),
            let data = try? JSONSerialization.data(withJSONObject: scrubbed, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
