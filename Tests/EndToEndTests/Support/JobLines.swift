/// One-line job objects (`.jsonl`) for the scenarios.
enum JobLine {
    /// A distinct E.164 callee per index: `+86137` and eight digits (or another prefix).
    static func callee(_ index: Int, prefix: String = "+86137") -> String {
        let digits = String(index)
        return prefix + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// A notify job with one recorded prompt that collects one digit; `extra`
    /// is appended to the object (`"redial": {...}`, `"ttl": "5m"`, …).
    static func notify(_ id: String, callee: String, extra: String = "") -> String {
        #"{"type":"notify","id":"\#(id)","calleeNbr":"\#(callee)","playInfoList":[{"notifyVoice":"a.wav","collectInd":1}]\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    static func verify(_ id: String, callee: String, code: String = "4829", extra: String = "") -> String {
        #"{"type":"verify","id":"\#(id)","calleeNbr":"\#(callee)","verifyCode":"\#(code)","preTone":"p.wav"\#(extra.isEmpty ? "" : "," + extra)}"#
    }
}
