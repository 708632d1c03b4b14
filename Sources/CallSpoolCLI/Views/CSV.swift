import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
/// RFC 4180 CSV records: fields joined by `,`, records ended by CRLF; a field
/// holding `,`, `"`, CR or LF is enclosed in double quotes with each `"`
/// doubled. Everything else is written as is, so plain values stay readable.
///
/// A field starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`
/// first (OWASP's rule against CSV injection): a spreadsheet opening the
/// export would otherwise run `=HYPERLINK(…)` from a submitter's job id as a
/// formula. Every field, whatever its column: a phone number is written
/// `'+8613800000001` (which also keeps a spreadsheet from reading it as a
/// number and dropping the `+`), `-1` as `'-1`. docs/operations.md says so;
/// `--format jsonl` has the exact values.
public enum CSV {
    /// The characters a spreadsheet reads as the start of a formula.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    public static func field(_ value: String) -> String {
        let value = value.unicodeScalars.first.map(formulaStarts.contains) == true ? "'" + value : value
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF-terminated.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
