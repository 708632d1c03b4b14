@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import VoiceCallAPI

/// Collects the port-release signals the receiver sends, synchronously, as
/// the daemon's ``CallEndRelay`` takes them.
final class SignalLog: Sendable {
    private let recorded = Mutex<[CallEndSignal]>([])
    func append(_ signal: CallEndSignal) { recorded.withLock { $0.append(signal) } }
    var signals: [CallEndSignal] { get async { recorded.withLock { $0 } } }
}

/// An in-memory store, a receiver on the reference URLs, a signer for pushes
/// and helpers that play the dispatcher's part (attempt rows, acceptance).
struct CallbackFixture: Sendable {
    static let statusURL = "https://cb.example.com/callspool/status"
    static let feeURL = "https://cb.example.com/callspool/fee"
    static let credentials = AppCredentials(appKey: "app-key-1", appSecret: "app-secret-1")
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    let database: AppDatabase
    let clock = FixedClock(CallbackFixture.now)
    let signals = SignalLog()
    let results: TemporaryDirectory?
    /// The store's results drainer; the receiver never drains it (tests
    /// call ``ResultsOutbox/drain()`` or run ``ResultsOutboxService``).
    let outbox: ResultsOutbox
    let receiver: CallbackReceiver

    init(database: AppDatabase? = nil, verifySignatures: Bool = true, resultsDir: Bool = false, maxBodyBytes: Int = 1 << 20,
         metrics: CallspoolMetrics = .disabled) throws {
        self.database = try database ?? AppDatabase.inMemory()
        results = resultsDir ? try TemporaryDirectory() : nil
        outbox = ResultsOutbox(database: self.database, directory: results.map { $0.path + "/results" }, logger: Logger(label: "test"))
        let settings = CallbackReceiver.Settings(
            statusURL: try CallbackURL(Self.statusURL), feeURL: try CallbackURL(Self.feeURL),
            verifySignatures: verifySignatures, maxBodyBytes: maxBodyBytes, bodyTimeout: .seconds(5))
        let log = signals
        receiver = try CallbackReceiver(
            database: self.database, settings: settings, credentials: Self.credentials, clock: clock,
            onCallEnded: { log.append($0) }, logger: Logger(label: "test"), metrics: metrics)
    }

    func app() -> some ApplicationProtocol {
        buildCallbackApplication(receiver: receiver, listen: ListenAddress(host: "127.0.0.1", port: 0), logger: Logger(label: "test"))
    }

    // MARK: signing

    static func signedHeaders(
        url: String = statusURL, nonce: String = UUID().uuidString, created: Date = now, secret: String = credentials.appSecret,
        appKey: String = credentials.appKey, separated: Bool = true
    ) -> HTTPFields {
        let createdText = CivilTime.formatCreated(epochSeconds: Int64(created.timeIntervalSince1970))
        let digest = Digest.callback(appSecret: secret, url: url, nonce: nonce, created: createdText, separated: separated)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        if let name = HTTPField.Name("X-AKSK") {
            fields[name] = RequestSigner.token(appKey: appKey, digest: digest, nonce: nonce, created: createdText)
        }
        return fields
    }

    // MARK: bodies

    static func status(_ type: String, session: String, userData: String? = nil, digits: String? = nil, stateCode: Int? = nil) -> String {
        var info: [String: Any] = ["sessionId": session, "timestamp": "2027-01-15 08:00:00", "caller": "+8675528000088", "called": "+8613800000001"]
        if let userData { info["userData"] = userData }
        if let digits { info["digitInfo"] = digits }
        if let stateCode {
            info["stateCode"] = stateCode
            info["stateDesc"] = "code \(stateCode)"
        }
        return json(["eventType": type, "statusInfo": info])
    }

    static func fee(_ records: [[String: Any]]) -> String {
        json(["eventType": "fee", "feeLst": records])
    }

    static func cdr(session: String, answered: Bool = true, path: String? = nil, userData: String? = nil, unanswered: Int? = nil, failReason: Int? = nil) -> [String: Any] {
        var record: [String: Any] = [
            "direction": 0, "spId": "sp", "appKey": credentials.appKey, "icid": "CAE-\(session)", "bindNum": "+8675528000088",
            "sessionId": session, "callerNum": "+8675528000088", "calleeNum": "+8613800000001",
            "callEndTime": "2027-01-15 08:01:00", "fwdUnaswRsn": 0, "callOutStartTime": "2027-01-15 08:00:00",
        ]
        if answered { record["callOutAnswerTime"] = "2027-01-15 08:00:10" }
        if let path { record["dynIVRPath"] = path }
        if let userData { record["userData"] = userData }
        if let unanswered { record["callOutUnaswRsn"] = unanswered }
        if let failReason { record["ulFailReason"] = failReason }
        return record
    }

    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: the dispatcher's part

    @discardableResult
    func insertJob(_ id: String, redial: RedialPolicy? = nil, ttl: Duration? = nil, meta: String? = nil, campaign: String? = nil) throws -> Int64 {
        let spec = JobSpec(
            id: id, type: .notify, campaign: campaign, calleeNbr: "+8613800000001", displayNbr: "+8675528000088",
            payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), ttl: ttl, redial: redial, meta: meta)
        _ = try database.insertJobs([spec], intakeKey: "k-\(id)", sourceFile: "\(id).json", policy: IntakePolicy(), now: Self.now)
        return try database.read { db in
            try db.scalar(Int64.self, "SELECT id FROM job WHERE jobId = ?", [id]) ?? 0
        }
    }

    /// Writes attempt n and moves the job queued → dispatching, as the
    /// dispatcher does before sending.
    func startDispatch(_ rowID: Int64, attempt n: Int = 1) throws {
        try database.write { db in
            var attempt = AttemptRecord(
                id: nil, jobRowId: rowID, n: n, at: Self.now, calleeNbr: "+8613800000001", displayNbr: "+8675528000088",
                userData: "cs1.\(rowID).\(n)", sessionId: nil)
            try db.insert(&attempt)
            guard var job = try db.record(JobRecord.self, key: rowID) else { return }
            job.attempts += 1
            try db.store.transition(&job, to: .dispatching, now: Self.now)
        }
    }

    /// The platform's acceptance: sessionId stored, in_call, calls += 1, then
    /// the events that came first applied.
    @discardableResult
    func accept(_ rowID: Int64, attempt n: Int = 1, session: String) throws -> [CallEndSignal] {
        try database.write { db in
            try db.execute("UPDATE attempt SET sessionId = ?, httpStatus = 200, resultcode = '0' WHERE jobRowId = ? AND n = ?",
                           [session, rowID, n])
            guard var job = try db.record(JobRecord.self, key: rowID) else { return [] }
            job.sessionId = session
            job.calls += 1
            try db.store.transition(&job, to: .inCall, now: Self.now)
            return try db.store.applyPendingEvents(sessionId: session, jobRowId: rowID, now: Self.now)
        }
    }

    /// A job placed and accepted in one go.
    @discardableResult
    func jobInCall(_ id: String, session: String, redial: RedialPolicy? = nil, ttl: Duration? = nil) throws -> Int64 {
        let row = try insertJob(id, redial: redial, ttl: ttl)
        try startDispatch(row)
        try accept(row, session: session)
        return row
    }

    func job(_ rowID: Int64) throws -> JobRecord {
        try database.read { db in try db.record(JobRecord.self, key: rowID) }.orThrow()
    }

    func count(_ table: String) throws -> Int {
        try database.read { db in try db.scalar(Int.self, "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

struct MissingRecord: Error {}

extension TemporaryDirectory: @unchecked Sendable {}

extension CallbackFixture {
    func pendingEventCount() throws -> Int {
        try database.read { db in try db.scalar(Int.self, "SELECT COUNT(*) FROM callEvent WHERE applied = 0") ?? 0 }
    }

    /// The dispatcher's view of a lost response (or a restart): dispatching → unknown.
    func markUnknown(_ rowID: Int64) throws {
        try move(rowID, to: .unknown)
    }

    func move(_ rowID: Int64, to state: JobState) throws {
        try database.write { db in
            var job = try db.record(JobRecord.self, key: rowID).orThrow()
            try db.store.transition(&job, to: state, now: Self.now)
        }
    }

    func attempts(_ rowID: Int64) throws -> [AttemptRecord] {
        try database.read { db in
            try db.records(AttemptRecord.self, "SELECT * FROM attempt WHERE jobRowId = ? ORDER BY n", [rowID])
        }
    }
}

extension Optional {
    func orThrow() throws -> Wrapped {
        guard let value = self else { throw MissingRecord() }
        return value
    }
}

extension TestClientProtocol {
    /// POSTs `body` to `path`; returns the status and the parsed JSON answer.
    func push(_ path: String, _ body: String, headers: HTTPFields) async throws -> (status: Int, body: [String: String]) {
        try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            let parsed = (try? JSONDecoder().decode([String: String].self, from: Data(response.body.readableBytesView))) ?? [:]
            return (Int(response.status.code), parsed)
        }
    }

    func pushStatus(_ body: String, headers: HTTPFields = CallbackFixture.signedHeaders()) async throws -> Int {
        try await push("/callspool/status", body, headers: headers).status
    }
}
