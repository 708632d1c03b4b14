import Foundation
import GRDB

/// A row of `job`: one call to make, its state and what became of it.
///
/// `id` (the row id) is the job's short key: it goes into `userData`
/// (`cs1.<id>.<attempt>`) and names its results file. `jobId` is the user's
/// idempotency key.
public struct JobRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "job"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int64?
    public var jobId: String
    public var type: JobType
    public var classRank: Int
    public var campaign: String?
    public var priority: Int
    public var state: JobState
    public var outcome: Outcome?
    public var stateCode: Int?
    public var stateDesc: String?
    public var calleeNbr: String
    public var displayNbr: String?
    /// JSON of ``JobPayload``; a verify job's code is blanked once it is terminal.
    public var payload: String
    public var meta: String?
    public var window: String?
    public var redial: String?
    public var notBefore: Date?
    public var expiresAt: Date
    public var nextAttemptAt: Date
    public var attempts: Int
    public var calls: Int
    /// JSON array of collected digit strings, in arrival order.
    public var digits: String
    public var errorCode: String?
    public var errorDesc: String?
    public var sessionId: String?
    public var cancelRequested: Bool
    public var sourceFile: String?
    public var intakeKey: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    /// The application it goes out with (`[apps.NAME]`; `default` without
    /// `[apps]`); nil only for rows stored before applications existed,
    /// until the daemon assigns one at start.
    public var app: String?

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let jobId = Column(CodingKeys.jobId)
        public static let type = Column(CodingKeys.type)
        public static let classRank = Column(CodingKeys.classRank)
        public static let campaign = Column(CodingKeys.campaign)
        public static let priority = Column(CodingKeys.priority)
        public static let state = Column(CodingKeys.state)
        public static let outcome = Column(CodingKeys.outcome)
        public static let calleeNbr = Column(CodingKeys.calleeNbr)
        public static let sessionId = Column(CodingKeys.sessionId)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let app = Column(CodingKeys.app)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public var digitList: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(digits.utf8))) ?? []
    }

    public var decodedPayload: JobPayload? {
        try? JSONDecoder().decode(JobPayload.self, from: Data(payload.utf8))
    }
}
