import VoiceCallAPI

/// Makes untrusted text (a malformed callback body) safe to log: phone
/// numbers (runs of 7 or more digits, with or without `+`) are masked with
/// ``PhoneMask``, control characters are escaped and the text is cut short.
public enum LogRedaction {
    public static func preview(_ bytes: some Collection<UInt8>, limit: Int = 200) -> String {
        let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return maskPhoneNumbers(in: text) + (bytes.count > limit ? "…" : "")
    }

    public static func maskPhoneNumbers(in text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            let digits = run.hasPrefix("+") ? run.count - 1 : run.count
            out += digits >= 7 ? PhoneMask.mask(run) : run
            run = ""
        }
        for char in text {
            if char.isASCII, char.isNumber {
                run.append(char)
            } else if char == "+", run.isEmpty {
                run.append(char)
            } else {
                flush()
                if char.isNewline || (char.isASCII && (char.asciiValue ?? 32) < 32) {
                    out += " "
                } else {
                    out.append(char)
                }
            }
        }
        flush()
        return out
    }
}
