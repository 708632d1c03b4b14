import Foundation

/// Replaces the value of every `verifyCode` key in JSON or JSON Lines text,
/// streaming, so the copy of a job file kept in `processed/` holds no code.
///
/// A byte-level tokenizer, not a parser: it works on invalid and truncated
/// files too (they are kept in `rejected/`), in bounded memory whatever the
/// size. Keys are compared after decoding JSON escapes (`verify\u0043ode` is
/// the same key to the job-file parser). A raw newline ends any string, as in
/// valid JSON, so one broken line of a `.jsonl` file cannot shift the string
/// boundaries of the next lines.
struct VerifyCodeRedactor {
    static let key = "verifyCode"
    static let placeholder = Array(#""[erased]""#.utf8)
    static let maxKeyBytes = 64

    private enum State {
        case outside
        case string(escaped: Bool)
        /// After a string equal to the key: a ':' makes it a key.
        case afterKey
        /// After `"verifyCode":`, before its value.
        case beforeValue
        case secretString(escaped: Bool)
        case secretScalar
    }

    private var state = State.outside
    private var keyBytes: [UInt8] = []
    private var keyOverflow = false
    /// How many values were replaced so far.
    private(set) var redactions = 0

    /// Feeds `input`, appending the redacted bytes to `output`.
    mutating func feed(_ input: some Sequence<UInt8>, into output: inout [UInt8]) {
        for byte in input { step(byte, into: &output) }
    }

    private mutating func step(_ byte: UInt8, into output: inout [UInt8]) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
        switch state {
        case .outside:
            output.append(byte)
            if byte == quote {
                state = .string(escaped: false)
                keyBytes.removeAll(keepingCapacity: true)
                keyOverflow = false
            }
        case .string(let escaped):
            output.append(byte)
            if byte == newline {
                state = .outside
            } else if escaped {
                remember(byte)
                state = .string(escaped: false)
            } else if byte == backslash {
                remember(byte)
                state = .string(escaped: true)
            } else if byte == quote {
                state = isKey() ? .afterKey : .outside
            } else {
                remember(byte)
            }
        case .afterKey:
            if Self.isSpace(byte) {
                output.append(byte)
            } else if byte == UInt8(ascii: ":") {
                output.append(byte)
                state = .beforeValue
            } else {
                state = .outside
                step(byte, into: &output)
            }
        case .beforeValue:
            if Self.isSpace(byte) {
                output.append(byte)
            } else if byte == quote {
                output.append(contentsOf: Self.placeholder)
                redactions += 1
                state = .secretString(escaped: false)
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") || Self.isDelimiter(byte) {
                state = .outside
                step(byte, into: &output)
            } else {
                output.append(contentsOf: Self.placeholder)
                redactions += 1
                state = .secretScalar
            }
        case .secretString(let escaped):
            if byte == newline {
                output.append(byte)
                state = .outside
            } else if escaped {
                state = .secretString(escaped: false)
            } else if byte == backslash {
                state = .secretString(escaped: true)
            } else if byte == quote {
                state = .outside
            }
        case .secretScalar:
            if Self.isDelimiter(byte) || Self.isSpace(byte) || byte == quote {
                state = .outside
                step(byte, into: &output)
            }
        }
    }

    private mutating func remember(_ byte: UInt8) {
        guard keyBytes.count < Self.maxKeyBytes else { keyOverflow = true; return }
        keyBytes.append(byte)
    }

    private func isKey() -> Bool {
        guard !keyOverflow else { return false }
        if !keyBytes.contains(UInt8(ascii: "\\")) { return keyBytes.elementsEqual(Self.key.utf8) }
        let quoted = Data([UInt8(ascii: "\"")] + keyBytes + [UInt8(ascii: "\"")])
        return (try? JSONDecoder().decode(String.self, from: quoted)) == Self.key
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
    }
}

extension VerifyCodeRedactor {
    /// Whether the file read through `handle` holds a `verifyCode` value.
    static func needsRedaction(_ handle: FileHandle, chunkSize: Int = 1 << 20) throws -> Bool {
        var redactor = VerifyCodeRedactor()
        var sink: [UInt8] = []
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            redactor.feed(chunk, into: &sink)
            sink.removeAll(keepingCapacity: true)
            if redactor.redactions > 0 { return true }
        }
        return false
    }

    /// Writes the redacted content of `handle` to a new file at `path`
    /// (mode 0600, synced: it replaces the only other copy). With `sync`
    /// false the caller syncs it (several copies with one `syncfs`) before
    /// the original is removed.
    static func writeRedacted(from handle: FileHandle, to path: String, chunkSize: Int = 1 << 20, sync: Bool = true) throws {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError.current("create \(path)") }
        defer { close(descriptor) }
        var redactor = VerifyCodeRedactor()
        var output: [UInt8] = []
        output.reserveCapacity(chunkSize + 64)
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            redactor.feed(chunk, into: &output)
            try writeAll(output, to: descriptor, path: path)
            output.removeAll(keepingCapacity: true)
        }
        guard !sync || fsync(descriptor) == 0 else { throw POSIXError.current("sync \(path)") }
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError.current("write \(path)")
                }
                offset += written
            }
        }
    }
}
