import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
/// Escaping for text and attribute values in the report.
///
/// It walks Unicode scalars, not `Character`s: a grapheme cluster can hold
/// a markup character (`"\u{0600}<"` and `"<\u{0301}"` are one `Character`
/// each, neither equal to `"<"`), and a walk by cluster would let such a `<`
/// reach the page raw. Every `&`, `<`, `>`, `"` and `'` scalar becomes an
/// entity, whatever surrounds it; every other scalar is kept.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
