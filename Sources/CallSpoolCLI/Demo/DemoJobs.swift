import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// The demo's job files: the `jobs/` examples made to run now, plus a
/// generated campaign.
///
/// The examples are real files with real calling windows, `notBefore` dates
/// and redial intervals of minutes to hours; ``adapt(_:jsonl:)`` drops the
/// dates, opens the windows to the whole day and shortens redial intervals to
/// ``redialInterval`` so everything happens within the demo's minute. Nothing
/// else changes: the same validation, intake and dispatch apply.
public enum DemoJobs {
    public static let redialInterval = "3s"
    public static let wholeDay: [String: String] = ["start": "00:00", "end": "24:00", "tz": "Asia/Shanghai"]

    /// The example files of `directory` (`*.json`, `*.jsonl`, not subdirectories), sorted.
    public static func examples(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }.sorted().map { directory + "/" + $0 }
    }

    /// `data` (a `.json` file, or `.jsonl` when `jsonl`) with its dates
    /// removed, windows opened and redial intervals shortened.
    public static func adapt(_ data: Data, jsonl: Bool) throws -> Data {
        guard jsonl else { return try rewrite(data) }
        var lines: [Data] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) {
            lines.append(try rewrite(Data(line)))
        }
        return Data(lines.joined(separator: Data("\n".utf8))) + Data("\n".utf8)
    }

    static func rewrite(_ data: Data) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: data)
        return try JSONSerialization.data(withJSONObject: adapted(object), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    static func adapted(_ value: Any) -> Any {
        if let array = value as? [Any] { return array.map(adapted) }
        guard var object = value as? [String: Any] else { return value }
        object["notBefore"] = nil
        object["expiresAt"] = nil
        for (key, child) in object {
            switch key {
            case "window": object[key] = wholeDay
            case "redial":
                if var redial = child as? [String: Any] {
                    redial["interval"] = redialInterval
                    object[key] = redial
                }
            default: object[key] = adapted(child)
            }
        }
        return object
    }

    /// A notify campaign of `size` calls to distinct numbers, each collecting
    /// one digit and redialled once on no answer or busy. The numbers carry
    /// no display number: the scheduler picks from `defaults.display_numbers`.
    public static func campaign(name: String, size: Int, firstNumber: Int = 0) -> Data {
        var jobs: [String] = []
        jobs.reserveCapacity(size)
        for index in 0..<max(0, size) {
            let digits = String(firstNumber + index)
            let callee = "+86139" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
            jobs.append(#"{"calleeNbr":"\#(callee)"}"#)
        }
        let text = #"{"campaign":"\#(name)","type":"notify","defaults":{"playInfoList":[{"notifyVoice":"demo_notice.wav","collectInd":1}],"# +
            #""redial":{"maxAttempts":2,"interval":"\#(redialInterval)","on":["no_answer","busy"]},"meta":{"source":"callspool demo"}},"jobs":["# +
            jobs.joined(separator: ",") + "]}"
        return Data(text.utf8)
    }
}
