import Foundation

extension JSONValue {
    /// Parses JSON text with Foundation's `JSONSerialization` (several times
    /// faster than `Decodable` for the small, loosely typed objects of job
    /// files) and converts the result.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONValue(foundation: JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// Converts a `JSONSerialization` value; booleans are told apart from numbers.
    init(foundation value: Any) throws {
        // Containers first: testing a Swift dictionary against NSNumber would
        // bridge it to NSDictionary, which costs more than the parse.
        switch value {
        case let text as String:
            self = .string(text)
        case let object as [String: Any]:
            var result: [String: JSONValue] = [:]
            result.reserveCapacity(object.count)
            for (key, element) in object { result[key] = try JSONValue(foundation: element) }
            self = .object(result)
        case let array as [Any]:
            self = .array(try array.map(JSONValue.init(foundation:)))
        case let number as NSNumber:
            if type(of: number) != NSNumber.self, let flag = value as? Bool {
                self = .bool(flag)
            } else {
                self = .number(number.doubleValue)
            }
        case is NSNull:
            self = .null
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unsupported JSON value \(type(of: value))"))
        }
    }

    var objectValue: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }

    /// An integer when the value is a whole number.
    var intValue: Int? {
        guard case .number(let value) = self, value.rounded() == value, abs(value) < 9e15 else { return nil }
        return Int(value)
    }
}
