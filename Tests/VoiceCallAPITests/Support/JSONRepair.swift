/// Undoes the line-wrapping and quoting the reference's PDF extraction adds
/// to its sample bodies (a stray leading `>`, string values broken across
/// lines), so the samples can be decoded as the platform sends them. Test
/// code only: the platform never sends either quirk, so production decoders
/// take bodies as they come.
enum JSONRepair {
    static func repairDocumentationQuirks(_ input: [UInt8]) -> [UInt8]? {
        var bytes = input[...]
        while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\n") || first == UInt8(ascii: "\r") || first == UInt8(ascii: "\t") {
            bytes = bytes.dropFirst()
        }
        if bytes.first == UInt8(ascii: ">") { bytes = bytes.dropFirst() }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        // A wrap between two words ("The user  ⏎releases") was a blank in the
        // original; a wrap inside a token ("20  ⏎19-01-24") was nothing.
        var wrappedAfterWord = false
        func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
        for byte in bytes {
            if inString {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    var blanks = 0
                    while let last = out.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                        out.removeLast()
                        blanks += 1
                    }
                    if blanks > 0, let last = out.last, isLetter(last) { wrappedAfterWord = true }
                    continue
                }
                if wrappedAfterWord, isLetter(byte) { out.append(UInt8(ascii: " ")) }
                wrappedAfterWord = false
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            }
            out.append(byte)
        }
        return out
    }
}
