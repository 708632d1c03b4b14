import CallSpool
/// RFC 4180 CSV records: fields joined by `,`, records ended by CRLF; a field
/// holding `,`, `"`, CR or LF is enclosed in double quotes with each `"`
/// doubled. Everything else is written as is, so plain values stay readable.
public enum CSV {
    public static func field(_ value: String) -> String {
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF-terminated.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
