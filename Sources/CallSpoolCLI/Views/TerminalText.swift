import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite

/// Makes stored text (job ids, campaign names, platform descriptions, pause
/// reasons) safe to print on a terminal: every C0 control (U+0000–U+001F,
/// newline and tab included), DEL (U+007F) and C1 control (U+0080–U+009F)
/// is shown as `\u{XX}` (two or more upper-case hex digits) instead of being
/// sent to the terminal.
///
/// It exists because those values come from submitters and from the
/// platform: a raw `ESC ] 0 ; … BEL` retitles the operator's window,
/// `ESC [ 2 J` clears it, a C1 `CSI` (U+009B) does the same on terminals
/// that honour it, and a newline forges an extra line in `status`. Every
/// text view (`status`, `jobs`, `job`, `campaigns`) passes such values
/// through ``visible(_:)``; `--json` escapes them as JSON does (docs/cli.md).
/// The output holds no control character, so escaping twice changes nothing.
public enum TerminalText {
    public static func visible(_ text: String) -> String {
        ControlCharacters.replacing(in: text) { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "\\u{\(hex.count < 2 ? "0" + hex : hex)}"
        }
    }

    /// C0, DEL and C1.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool { ControlCharacters.contains(scalar) }
}

extension TerminalText {
    /// JSON text (`--json`) with DEL and the C1 controls written as `\u00XX`
    /// too: JSON requires only C0 to be escaped inside strings (and the
    /// encoder does), but a raw U+009B is a `CSI` to some terminals. Outside
    /// strings JSON holds no DEL or C1 (its whitespace, newlines of pretty
    /// printing included, is C0 and left alone), so the document means
    /// exactly the same.
    public static func json(_ text: String) -> String {
        ControlCharacters.replacing(in: text, where: { (0x7F...0x9F).contains($0.value) }) { scalar in
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
