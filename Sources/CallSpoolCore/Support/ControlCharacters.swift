/// The control characters callspool keeps out of what people and stores
/// read: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
///
/// One definition for the job-file rules (``TextRules``: refused), the
/// reports (replaced by U+FFFD) and the CLI's text views (shown as
/// `\u{1B}`), each with its own replacement.
public enum ControlCharacters {
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `text` with every scalar `which` selects written as `replacement(scalar)`;
    /// `text` itself when none is selected.
    public static func replacing(
        in text: String, where which: (Unicode.Scalar) -> Bool = contains, with replacement: (Unicode.Scalar) -> String
    ) -> String {
        guard text.unicodeScalars.contains(where: which) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if which(scalar) {
                out.append(contentsOf: replacement(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
