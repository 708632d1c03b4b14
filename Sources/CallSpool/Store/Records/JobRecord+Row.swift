import Foundation
import GRDB

/// Hand-written row decoding and encoding for the hottest table.
///
/// The scheduler reads and rewrites a job row several times per call; GRDB's
/// `Codable` bridge goes through a `Decoder` per row and per column, which
/// profiles showed as a large share of dispatch time. These two functions
/// read and write the columns directly, with the same column names and the
/// same encodings (dates as epoch seconds, enums as raw strings, booleans as
/// integers) as the `Codable` conformance, so rows written by either path
/// read back identically (`JobRecordRowTests`).
extension JobRecord {
    public init(row: Row) throws {
        if Self.hasTableLayout(row) {
            try self.init(tableOrderedRow: row)
        } else {
            try self.init(namedRow: row)
        }
    }

    /// Reads any projection that has the job's columns, by name.
    private init(namedRow row: Row) throws {
        id = try row.decode(forColumn: "id")
        jobId = try row.decode(forColumn: "jobId")
        type = try Self.enumValue(row, "type")
        classRank = try row.decode(forColumn: "classRank")
        campaign = try row.decode(forColumn: "campaign")
        priority = try row.decode(forColumn: "priority")
        state = try Self.enumValue(row, "state")
        let outcomeText: String? = try row.decode(forColumn: "outcome")
        if let outcomeText {
            guard let value = Outcome(rawValue: outcomeText) else { throw Self.badValue(row, "outcome", outcomeText) }
            outcome = value
        } else {
            outcome = nil
        }
        stateCode = try row.decode(forColumn: "stateCode")
        stateDesc = try row.decode(forColumn: "stateDesc")
        calleeNbr = try row.decode(forColumn: "calleeNbr")
        displayNbr = try row.decode(forColumn: "displayNbr")
        payload = try row.decode(forColumn: "payload")
        meta = try row.decode(forColumn: "meta")
        window = try row.decode(forColumn: "window")
        redial = try row.decode(forColumn: "redial")
        notBefore = try Self.dateValue(row, "notBefore")
        expiresAt = try Self.requiredDate(row, "expiresAt")
        nextAttemptAt = try Self.requiredDate(row, "nextAttemptAt")
        attempts = try row.decode(forColumn: "attempts")
        calls = try row.decode(forColumn: "calls")
        digits = try row.decode(forColumn: "digits")
        errorCode = try row.decode(forColumn: "errorCode")
        errorDesc = try row.decode(forColumn: "errorDesc")
        sessionId = try row.decode(forColumn: "sessionId")
        cancelRequested = try row.decode(forColumn: "cancelRequested")
        sourceFile = try row.decode(forColumn: "sourceFile")
        intakeKey = try row.decode(forColumn: "intakeKey")
        createdAt = try Self.requiredDate(row, "createdAt")
        updatedAt = try Self.requiredDate(row, "updatedAt")
        finishedAt = try Self.dateValue(row, "finishedAt")
    }

    /// Whether `row` has the table's columns in table order (`SELECT *`), so
    /// columns can be read by position instead of by case-insensitive name.
    static func hasTableLayout(_ row: Row) -> Bool {
        guard row.count == updatableColumns.count + 1 else { return false }
        let names = Array(row.columnNames)
        return names[0] == "id" && names[6] == "state" && names[17] == "expiresAt" && names[30] == "finishedAt"
    }

    /// Reads a `SELECT *` row by position (see ``hasTableLayout(_:)``).
    private init(tableOrderedRow row: Row) throws {
        id = try row.decode(atIndex: 0)
        jobId = try row.decode(atIndex: 1)
        type = try Self.enumValue(row, index: 2)
        classRank = try row.decode(atIndex: 3)
        campaign = try row.decode(atIndex: 4)
        priority = try row.decode(atIndex: 5)
        state = try Self.enumValue(row, index: 6)
        let outcomeText: String? = try row.decode(atIndex: 7)
        if let outcomeText {
            guard let value = Outcome(rawValue: outcomeText) else { throw JobRowError(column: "outcome", value: outcomeText) }
            outcome = value
        } else {
            outcome = nil
        }
        stateCode = try row.decode(atIndex: 8)
        stateDesc = try row.decode(atIndex: 9)
        calleeNbr = try row.decode(atIndex: 10)
        displayNbr = try row.decode(atIndex: 11)
        payload = try row.decode(atIndex: 12)
        meta = try row.decode(atIndex: 13)
        window = try row.decode(atIndex: 14)
        redial = try row.decode(atIndex: 15)
        notBefore = (try row.decode(Double?.self, atIndex: 16)).map { Date(timeIntervalSince1970: $0) }
        expiresAt = Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: 17))
        nextAttemptAt = Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: 18))
        attempts = try row.decode(atIndex: 19)
        calls = try row.decode(atIndex: 20)
        digits = try row.decode(atIndex: 21)
        errorCode = try row.decode(atIndex: 22)
        errorDesc = try row.decode(atIndex: 23)
        sessionId = try row.decode(atIndex: 24)
        cancelRequested = try row.decode(atIndex: 25)
        sourceFile = try row.decode(atIndex: 26)
        intakeKey = try row.decode(atIndex: 27)
        createdAt = Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: 28))
        updatedAt = Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: 29))
        finishedAt = (try row.decode(Double?.self, atIndex: 30)).map { Date(timeIntervalSince1970: $0) }
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["jobId"] = jobId
        container["type"] = type.rawValue
        container["classRank"] = classRank
        container["campaign"] = campaign
        container["priority"] = priority
        container["state"] = state.rawValue
        container["outcome"] = outcome?.rawValue
        container["stateCode"] = stateCode
        container["stateDesc"] = stateDesc
        container["calleeNbr"] = calleeNbr
        container["displayNbr"] = displayNbr
        container["payload"] = payload
        container["meta"] = meta
        container["window"] = window
        container["redial"] = redial
        container["notBefore"] = notBefore?.timeIntervalSince1970
        container["expiresAt"] = expiresAt.timeIntervalSince1970
        container["nextAttemptAt"] = nextAttemptAt.timeIntervalSince1970
        container["attempts"] = attempts
        container["calls"] = calls
        container["digits"] = digits
        container["errorCode"] = errorCode
        container["errorDesc"] = errorDesc
        container["sessionId"] = sessionId
        container["cancelRequested"] = cancelRequested
        container["sourceFile"] = sourceFile
        container["intakeKey"] = intakeKey
        container["createdAt"] = createdAt.timeIntervalSince1970
        container["updatedAt"] = updatedAt.timeIntervalSince1970
        container["finishedAt"] = finishedAt?.timeIntervalSince1970
    }

    /// The columns every write of a whole row sets, in statement order.
    static let updatableColumns = [
        "jobId", "type", "classRank", "campaign", "priority", "state", "outcome", "stateCode", "stateDesc", "calleeNbr", "displayNbr",
        "payload", "meta", "window", "redial", "notBefore", "expiresAt", "nextAttemptAt", "attempts", "calls", "digits", "errorCode",
        "errorDesc", "sessionId", "cancelRequested", "sourceFile", "intakeKey", "createdAt", "updatedAt", "finishedAt",
    ]

    static let updateSQL = "UPDATE job SET " + updatableColumns.map { "\($0) = ?" }.joined(separator: ", ") + " WHERE id = ?"

    /// Rewrites the whole row through one cached statement: the hot path of
    /// every state change (GRDB's `update` rebuilds its statement and goes
    /// through a persistence container each time).
    func updateRow(_ db: Database) throws {
        guard let id else { throw JobRowError(column: "id", value: "nil") }
        let arguments: StatementArguments = [
            jobId, type.rawValue, classRank, campaign, priority, state.rawValue, outcome?.rawValue, stateCode, stateDesc, calleeNbr, displayNbr,
            payload, meta, window, redial, notBefore?.timeIntervalSince1970, expiresAt.timeIntervalSince1970,
            nextAttemptAt.timeIntervalSince1970, attempts, calls, digits, errorCode, errorDesc, sessionId, cancelRequested, sourceFile,
            intakeKey, createdAt.timeIntervalSince1970, updatedAt.timeIntervalSince1970, finishedAt?.timeIntervalSince1970, id,
        ]
        try db.cachedStatement(sql: Self.updateSQL).execute(arguments: arguments)
    }

    private static func enumValue<Value: RawRepresentable>(_ row: Row, _ column: String) throws -> Value where Value.RawValue == String {
        let text: String = try row.decode(forColumn: column)
        guard let value = Value(rawValue: text) else { throw badValue(row, column, text) }
        return value
    }

    private static func enumValue<Value: RawRepresentable>(_ row: Row, index: Int) throws -> Value where Value.RawValue == String {
        let text: String = try row.decode(atIndex: index)
        guard let value = Value(rawValue: text) else { throw badValue(row, Array(row.columnNames)[index], text) }
        return value
    }

    private static func dateValue(_ row: Row, _ column: String) throws -> Date? {
        let seconds: Double? = try row.decode(forColumn: column)
        return seconds.map { Date(timeIntervalSince1970: $0) }
    }

    private static func requiredDate(_ row: Row, _ column: String) throws -> Date {
        Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: column))
    }

    private static func badValue(_ row: Row, _ column: String, _ text: String) -> JobRowError {
        JobRowError(column: column, value: text)
    }
}

/// A job row holds a value the schema's CHECK constraints should have refused.
public struct JobRowError: Error, CustomStringConvertible {
    public var column: String
    public var value: String
    public var description: String { "job row: unexpected \(column) value \"\(value)\"" }
}
