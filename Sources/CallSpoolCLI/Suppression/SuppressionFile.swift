import CallSpoolCore
import Foundation

/// Reads a do-not-call list for `callspool suppress import`: CSV or plain
/// text, one number per line, optionally followed by a reason and a scope
/// (`number[,reason[,scope]]`), as `callspool suppress export` writes it
/// (its extra columns are ignored) or as a carrier's list comes.
///
/// Bounded like every file reader of callspool: lines of at most
/// ``maxLineBytes`` (a longer one is reported, not read whole), files read
/// in chunks, so a list of millions of numbers takes little memory. A bad
/// line is reported with its number and skipped; the others are imported.
public struct SuppressionFile {
    public static let maxLineBytes = 4096

    /// One line that could not be imported.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    let handle: FileHandle
    let path: String
    var buffer: [UInt8] = []
    var offset = 0
    var atEnd = false
    public private(set) var line = 0

    public init(path: String) throws(SuppressionFileError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SuppressionFileError(path: path, message: "cannot be opened for reading") }
        self.handle = handle
        self.path = path
    }

    /// One entry of the list, as read.
    public struct Entry: Sendable, Hashable {
        public var number: String
        public var reason: String?
        public var scope: String?
    }

    /// The next line's entry or problem; nil at the end of the file.
    public mutating func next() throws(SuppressionFileError) -> Result<Entry, Problem>? {
        while true {
            guard let (bytes, truncated) = try nextLine() else { return nil }
            line += 1
            if truncated { return .failure(Problem(line: line, message: "is longer than \(Self.maxLineBytes) bytes")) }
            guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(Problem(line: line, message: "is not UTF-8 text")) }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = Self.fields(of: trimmed)
            var number = fields[0].trimmingCharacters(in: .whitespaces)
            if number.hasPrefix("'") { number.removeFirst() }  // as `export` writes it for spreadsheets
            // A header line (`number,reason,…`) is skipped.
            if line == 1, number.lowercased() == "number" || number.lowercased() == "phone" { continue }
            let normalised: String
            switch CalleeNumber.normalise(number) {
            case .unchanged?: normalised = number
            case .rewritten(let rewritten, _)?: normalised = rewritten
            case nil:
                return .failure(Problem(line: line, message: "'\(String(number.prefix(40)).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined())' is not a phone number (E.164, e.g. +8613800000001)"))
            }
            let reason = fields.count > 1 ? fields[1].trimmingCharacters(in: .whitespaces) : nil
            let scope = fields.count > 2 ? fields[2].trimmingCharacters(in: .whitespaces) : nil
            return .success(Entry(number: normalised, reason: reason?.isEmpty == true ? nil : reason, scope: scope))
        }
    }

    /// The fields of one CSV line (RFC 4180 quoting, no line breaks inside a field).
    static func fields(of line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = line.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let following = characters.next() {
                        if following == "\"" { current.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"", current.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    /// The next line's bytes (without its end) and whether it was cut at ``maxLineBytes``.
    private mutating func nextLine() throws(SuppressionFileError) -> ([UInt8], Bool)? {
        var bytes: [UInt8] = []
        var truncated = false
        while true {
            if offset >= buffer.count {
                if atEnd { return bytes.isEmpty && !truncated ? nil : (bytes, truncated) }
                let chunk: Data?
                do {
                    chunk = try handle.read(upToCount: 1 << 20)
                } catch {
                    throw SuppressionFileError(path: path, message: "cannot be read: \(error.localizedDescription)")
                }
                guard let chunk, !chunk.isEmpty else {
                    atEnd = true
                    continue
                }
                buffer = Array(chunk)
                offset = 0
            }
            if let newline = buffer[offset...].firstIndex(of: UInt8(ascii: "\n")) {
                append(buffer[offset..<newline], to: &bytes, truncated: &truncated)
                offset = newline + 1
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return (bytes, truncated)
            }
            append(buffer[offset...], to: &bytes, truncated: &truncated)
            offset = buffer.count
        }
    }

    private func append(_ slice: ArraySlice<UInt8>, to bytes: inout [UInt8], truncated: inout Bool) {
        let room = Self.maxLineBytes - bytes.count
        if slice.count > room {
            bytes.append(contentsOf: slice.prefix(max(0, room)))
            truncated = true
        } else {
            bytes.append(contentsOf: slice)
        }
    }

    public func close() { try? handle.close() }
}

/// Why a suppression list file cannot be read at all.
public struct SuppressionFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
