/// What the simulator saw and did, for `GET /_sim/state` and tests: every
/// request with its outcome, port peaks, counts per result code, calls per
/// callee, every callback delivery with the receiver's answer, and what each
/// application did (``InspectionLog+Applications.swift``).
struct InspectionLog: Sendable {
    static let maxEntries = 100_000
    /// Distinct unknown appKeys counted one by one; a client cycling through
    /// made-up keys cannot grow the log beyond this.
    static let maxUnknownApplications = 1000

    var requests: [SimulatorSnapshot.RequestRecord] = []
    var deliveries: [SimulatorSnapshot.DeliveryRecord] = []
    var resultCodes: [String: Int] = [:]
    var callsPerCallee: [String: Int] = [:]
    var portLimit = 0
    var peakPorts = 0
    var acceptedCalls = 0
    var completedCalls = 0
    var droppedEntries = 0
    /// By appKey; `portsInUse` is filled in when a snapshot is taken.
    var applications: [String: SimulatorSnapshot.ApplicationRecord] = [:]
    var unknownApplications = 0

    mutating func record(_ request: SimulatorSnapshot.RequestRecord) {
        resultCodes[request.resultcode, default: 0] += 1
        if request.resultcode != "0", let appKey = request.appKey {
            countRejection("\(request.httpStatus)/\(request.resultcode)", appKey: appKey)
        }
        if Self.trim(&requests) { droppedEntries += 1 }
        requests.append(request)
    }

    mutating func record(_ delivery: SimulatorSnapshot.DeliveryRecord) {
        if Self.trim(&deliveries) { droppedEntries += 1 }
        deliveries.append(delivery)
    }

    /// Drops the oldest tenth of a full list; true when it did.
    private static func trim<T>(_ list: inout [T]) -> Bool {
        guard list.count >= maxEntries else { return false }
        list.removeFirst(list.count / 10)
        return true
    }
}
