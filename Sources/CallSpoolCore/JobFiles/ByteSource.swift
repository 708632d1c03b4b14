import Foundation

/// Buffered, forward-only reading of a file, a byte at a time, so job files of
/// hundreds of megabytes are scanned in bounded memory.
struct ByteSource {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var base: Int64 = 0
    private(set) var atEnd = false
    let chunkSize: Int

    init(handle: FileHandle, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.chunkSize = chunkSize
    }

    /// Offset of the next byte in the file.
    var offset: Int64 { base + Int64(position) }

    @inline(__always)
    mutating func peek() throws -> UInt8? {
        if position < buffer.count { return buffer[position] }
        try refill()
        return position < buffer.count ? buffer[position] : nil
    }

    @inline(__always)
    mutating func next() throws -> UInt8? {
        if position < buffer.count {
            defer { position += 1 }
            return buffer[position]
        }
        try refill()
        guard position < buffer.count else { return nil }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func seek(to offset: Int64) throws {
        try handle.seek(toOffset: UInt64(offset))
        base = offset
        buffer = []
        position = 0
        atEnd = false
    }

    private mutating func refill() throws {
        guard !atEnd else { return }
        base += Int64(buffer.count)
        position = 0
        let data = try handle.read(upToCount: chunkSize) ?? Data()
        buffer = [UInt8](data)
        if buffer.isEmpty { atEnd = true }
    }

    /// Reads up to and excluding the next `\n` (consumed), appending to `line`.
    /// Stops appending past `limit` bytes but still consumes the line. Returns
    /// false at end of file with nothing read.
    mutating func readLine(into line: inout [UInt8], limit: Int) throws -> (read: Bool, truncated: Bool) {
        var readAny = false
        var truncated = false
        while true {
            if position >= buffer.count {
                try refill()
                if position >= buffer.count { return (readAny, truncated) }
            }
            readAny = true
            let slice = buffer[position...]
            if let newline = slice.firstIndex(of: UInt8(ascii: "\n")) {
                let room = limit - line.count
                let piece = buffer[position..<newline]
                if piece.count > room { truncated = true; line.append(contentsOf: piece.prefix(max(0, room))) } else { line.append(contentsOf: piece) }
                position = newline + 1
                return (true, truncated)
            }
            let room = limit - line.count
            if slice.count > room { truncated = true; line.append(contentsOf: slice.prefix(max(0, room))) } else { line.append(contentsOf: slice) }
            position = buffer.count
        }
    }
}
