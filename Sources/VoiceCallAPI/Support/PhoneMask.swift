/// Masks phone numbers for logs and CLI output (`+8613800000021` → `+86138****0021`).
///
/// Logs go to journald, which many people can read; a full callee number is
/// personal data. The mask keeps enough digits to tell numbers apart when
/// debugging (country code and prefix, last four) and hides the rest.
public enum PhoneMask {
    public static func mask(_ number: String) -> String {
        let chars = Array(number)
        guard chars.count > 8 else {
            guard chars.count > 2 else { return String(repeating: "*", count: chars.count) }
            return String(chars.prefix(1)) + String(repeating: "*", count: chars.count - 2) + String(chars.suffix(1))
        }
        let head = chars.count >= 12 ? 6 : 4
        return String(chars.prefix(head)) + "****" + String(chars.suffix(4))
    }
}
