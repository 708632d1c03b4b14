import CallSpoolCore
import Foundation
import PostgresNIO

/// Reads a `Codable` record from a PostgreSQL row and writes one into
/// statement parameters, column by coding key: the same records the SQLite
/// store uses, so a column added to a record (and to both schemas) needs no
/// mapping code here.
///
/// Encodings match the SQLite store's, so rows copy between the two as they
/// are: dates as epoch seconds (double precision), enums as their raw
/// strings, booleans as booleans, nested values (arrays, structs) as JSON
/// text. Column names are compared case-insensitively, as PostgreSQL folds
/// the schema's unquoted camelCase names to lower case.
enum PostgresRecordDecoder {
    /// The column of a coding key: a record's `rowId` is the table's `id`
    /// (as in the SQLite store's records), every other key its own column.
    static func column(forKey key: String) -> String { key == "rowId" ? "id" : key }

    static func decode<Record: Decodable>(_ type: Record.Type, from row: PostgresRandomAccessRow) throws -> Record {
        try Record(from: RowDecoder(row: row))
    }
}

enum PostgresRecordEncoder {
    /// The record's columns (coding keys) and values, in encoding order.
    static func columns<Record: Encodable>(of record: Record) throws -> [(name: String, value: any PostgresBindable)] {
        let encoder = RowEncoder()
        try record.encode(to: encoder)
        return encoder.storage.columns
    }

    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// The error a record whose row does not fit it throws: the column is named.
struct PostgresRecordError: Error, CustomStringConvertible {
    var column: String
    var problem: String
    var description: String { "column \(column): \(problem)" }
}

// MARK: Decoding

private struct RowDecoder: Decoder {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is keyed by column"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is keyed by column"))
    }
}

private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] = []
    var allKeys: [Key] { [] }

    private func name(_ key: Key) -> String { PostgresRecordDecoder.column(forKey: key.stringValue).lowercased() }

    func contains(_ key: Key) -> Bool { row.contains(name(key)) }

    private func cell(_ key: Key) throws -> PostgresCell {
        guard row.contains(name(key)) else { throw PostgresRecordError(column: key.stringValue, problem: "missing from the row") }
        return row[name(key)]
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard row.contains(name(key)) else { return true }
        return row[name(key)].bytes == nil
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try CellValue(cell: try cell(key)).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try CellValue(cell: try cell(key)).primitive(String.self) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try CellValue(cell: try cell(key)).double() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try CellValue(cell: try cell(key)).double()) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try CellValue(cell: try cell(key)).primitive(Int.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try CellValue(cell: try cell(key)).primitive(Int64.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { Int32(try CellValue(cell: try cell(key)).primitive(Int64.self)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try CellValue(cell: try cell(key)).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw PostgresRecordError(column: key.stringValue, problem: "nested containers are stored as JSON text")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw PostgresRecordError(column: key.stringValue, problem: "nested containers are stored as JSON text")
    }

    func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
}

/// One cell, decoded as a Swift value: primitives directly, dates from epoch
/// seconds, raw-value enums through a single-value decoder, anything else
/// from the cell's JSON text.
private struct CellValue {
    let cell: PostgresCell

    func fail(_ problem: String) -> PostgresRecordError { PostgresRecordError(column: cell.columnName, problem: problem) }

    func primitive<T: PostgresDecodable>(_ type: T.Type) throws -> T {
        guard cell.bytes != nil else { throw fail("NULL where \(T.self) is required") }
        do { return try cell.decode(T.self) } catch { throw fail("cannot read \(cell.dataType) as \(T.self)") }
    }

    func bool() throws -> Bool {
        switch cell.dataType {
        case .bool: return try primitive(Bool.self)
        default: return try primitive(Int64.self) != 0
        }
    }

    func double() throws -> Double {
        switch cell.dataType {
        case .float8, .float4: return try primitive(Double.self)
        case .int2, .int4, .int8: return Double(try primitive(Int64.self))
        case .numeric: return Double(try primitive(String.self)) ?? .nan
        default: return try primitive(Double.self)
        }
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Date.self, let date = Date(timeIntervalSince1970: try double()) as? T { return date }
        if T.self == String.self, let value = try primitive(String.self) as? T { return value }
        if T.self == Int.self, let value = try primitive(Int.self) as? T { return value }
        if T.self == Int64.self, let value = try primitive(Int64.self) as? T { return value }
        if T.self == Double.self, let value = try double() as? T { return value }
        if T.self == Bool.self, let value = try bool() as? T { return value }
        if T.self == StoredJobPayload.self, let value = StoredJobPayload(storedText: try primitive(String.self)) as? T { return value }
        if T.self is any RawRepresentable.Type, let value = try? T(from: CellDecoder(value: self)) { return value }
        if let json = T.self as? any StoredJSON.Type {
            guard let value = json.fromStoredJSON(try primitive(String.self)) as? T else { throw fail("not a valid \(T.self)") }
            return value
        }
        // Nested values are JSON text.
        let text = try primitive(String.self)
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw fail("not a valid \(T.self)")
        }
    }
}

/// A decoder over one cell for values that decode from a single value
/// (raw-value enums): keyed or unkeyed requests mean JSON text instead.
private struct CellDecoder: Decoder, SingleValueDecodingContainer {
    let value: CellValue
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: [], debugDescription: "JSON text"))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "JSON text"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value.cell.bytes == nil }
    func decode(_ type: Bool.Type) throws -> Bool { try value.bool() }
    func decode(_ type: String.Type) throws -> String { try value.primitive(String.self) }
    func decode(_ type: Double.Type) throws -> Double { try value.double() }
    func decode(_ type: Float.Type) throws -> Float { Float(try value.double()) }
    func decode(_ type: Int.Type) throws -> Int { try value.primitive(Int.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value.primitive(Int64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "JSON text"))
    }
}

// MARK: Encoding

private final class RowStorage {
    var columns: [(name: String, value: any PostgresBindable)] = []
}

/// A null whose type PostgreSQL infers from the column it is written to.
struct UntypedNull: PostgresBindable {
    func bind(to bindings: inout PostgresBindings) { bindings.appendNull() }
    static func bindNull(to bindings: inout PostgresBindings) { bindings.appendNull() }
}

private struct RowEncoder: Encoder {
    let storage = RowStorage()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowEncodingContainer<Key>(storage: storage))
    }

    // A record is keyed by column: anything else fails its encoding (throws).
    func unkeyedContainer() -> any UnkeyedEncodingContainer { RejectingUnkeyed() }
    func singleValueContainer() -> any SingleValueEncodingContainer { RejectingSingleValue() }
}

private struct RowEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: RowStorage
    var codingPath: [any CodingKey] = []

    private func put(_ key: Key, _ value: any PostgresBindable) {
        storage.columns.append((PostgresRecordDecoder.column(forKey: key.stringValue), value))
    }

    mutating func encodeNil(forKey key: Key) throws { put(key, UntypedNull()) }

    // A nil optional is a NULL column, not a missing one: a record written
    // back whole clears what it cleared (the standard library's default
    // skips the key, which left the old value in the row).
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeOptional(value, forKey: key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encodeOptional(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeOptional(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeOptional(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeOptional(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeOptional(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeOptional(value, forKey: key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try encodeOptional(value, forKey: key) }

    private mutating func encodeOptional<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return put(key, UntypedNull()) }
        try encode(value, forKey: key)
    }

    /// A primitive reached through a generic (an optional's wrapped value) is
    /// still its column's plain value, not JSON text.
    private func primitive(_ value: Any) -> (any PostgresBindable)? {
        switch value {
        case let value as String: value
        case let value as Bool: value
        case let value as Double: value
        case let value as Float: Double(value)
        case let value as Int: value
        case let value as Int64: value
        case let value as Int32: Int64(value)
        default: nil
        }
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws { put(key, value) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(key, value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(key, value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(key, Double(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(key, value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(key, value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(key, Int64(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let primitive = primitive(value) { return put(key, primitive) }
        if let date = value as? Date { return put(key, date) }
        if let payload = value as? StoredJobPayload { return put(key, payload.storedText) }
        let single = SingleValueCapture()
        if value is any RawRepresentable, (try? value.encode(to: single)) != nil, let captured = single.box.value {
            return put(key, captured)
        }
        // After the primitives and the enums: a failed cast costs on every column.
        if let json = value as? any StoredJSON { return put(key, json.storedJSON) }
        put(key, String(decoding: try PostgresRecordEncoder.jsonEncoder.encode(value), as: UTF8.self))
    }

    // Nested values are encoded whole, as JSON text: these fail (throw) when used.
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(RejectingContainer<NestedKey>())
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { RejectingUnkeyed() }
    mutating func superEncoder() -> any Encoder { RowEncoder() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { RowEncoder() }
}

/// Captures a value that encodes as one primitive (raw-value enums); a value
/// asking for a keyed or unkeyed container is JSON instead.
private final class CaptureBox {
    var value: (any PostgresBindable)?
}

private struct NotSingleValue: Error {}

private struct SingleValueCapture: Encoder, SingleValueEncodingContainer {
    let box = CaptureBox()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RejectingContainer<Key>())
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { RejectingUnkeyed() }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    mutating func encodeNil() throws { box.value = UntypedNull() }
    mutating func encode(_ value: Bool) throws { box.value = value }
    mutating func encode(_ value: String) throws { box.value = value }
    mutating func encode(_ value: Double) throws { box.value = value }
    mutating func encode(_ value: Float) throws { box.value = Double(value) }
    mutating func encode(_ value: Int) throws { box.value = value }
    mutating func encode(_ value: Int64) throws { box.value = value }
    mutating func encode<T: Encodable>(_ value: T) throws { throw NotSingleValue() }
}

private struct RejectingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var codingPath: [any CodingKey] = []
    mutating func encodeNil(forKey key: Key) throws { throw NotSingleValue() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw NotSingleValue() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(RejectingContainer<NestedKey>())
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { RejectingUnkeyed() }
    mutating func superEncoder() -> any Encoder { SingleValueCapture() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { SingleValueCapture() }
}

private struct RejectingUnkeyed: UnkeyedEncodingContainer {
    var codingPath: [any CodingKey] = []
    var count = 0
    mutating func encodeNil() throws { throw NotSingleValue() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw NotSingleValue() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(RejectingContainer<NestedKey>())
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { RejectingUnkeyed() }
    mutating func superEncoder() -> any Encoder { SingleValueCapture() }
}

private struct RejectingSingleValue: SingleValueEncodingContainer {
    var codingPath: [any CodingKey] = []
    mutating func encodeNil() throws { throw NotSingleValue() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw NotSingleValue() }
}
