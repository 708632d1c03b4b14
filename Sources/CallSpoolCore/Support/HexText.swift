/// Bytes as lowercase hexadecimal text, the form of every digest callspool
/// writes (generated job ids, results file names, request fingerprints,
/// webhook signatures).
///
/// Exists because `String(format: "%02x")` per byte went through
/// Foundation's formatter: a 100,000-job campaign without ids spent 12 % of
/// its intake naming its jobs that way.
public enum HexText {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
