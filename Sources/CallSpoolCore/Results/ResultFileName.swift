import Crypto
import Foundation

/// The name of a job's results file, `<encoded job id>.json`, so consumers
/// find a result by the id they submitted rather than by an internal row key.
///
/// A job id is any 1–200 characters without control characters, so it is
/// encoded before it becomes a file name:
/// * `A-Z a-z 0-9 - _ .` stay as they are, except a leading `.` (dot-files
///   are the outbox's staging files and are ignored by consumers);
/// * every other byte of its UTF-8 form (including `/`, `%` and `~`) becomes
///   `%XX`, as in a URL, so distinct ids give distinct names;
/// * a name whose encoding is longer than ``maxEncodedLength`` bytes keeps its
///   first ``keptPrefixLength`` bytes, then `~` and the SHA-256 of the whole
///   id in hex: `~` never appears in a plain encoding, so a shortened name
///   can only meet another shortened one, with the same SHA-256.
/// The longest name is 130 + 1 + 64 + 5 bytes, well within the 255 bytes
/// Linux file systems allow.
public enum ResultFileName {
    public static let maxEncodedLength = 180
    public static let keptPrefixLength = 130

    static let plain = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".utf8)

    /// `<encoded id>.json`.
    public static func forJob(id: String) -> String {
        encode(id) + ".json"
    }

    /// The id as a safe file-name stem (see the type's description).
    public static func encode(_ id: String) -> String {
        var encoded = ""
        for (index, byte) in id.utf8.enumerated() {
            if plain.contains(byte), !(index == 0 && byte == UInt8(ascii: ".")) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        guard encoded.utf8.count > maxEncodedLength else { return encoded }
        var prefix = String(encoded.prefix(keptPrefixLength))
        // Do not cut through a %XX escape.
        if let percent = prefix.suffix(2).firstIndex(of: "%") { prefix = String(prefix[..<percent]) }
        let digest = HexText.lowercase(SHA256.hash(data: Data(id.utf8)))
        return prefix + "~" + digest
    }
}
