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
        let at = try Self.columnIndices(in: row)
        id = try row.decode(atIndex: at[0])
        jobId = try row.decode(atIndex: at[1])
        type = try Self.enumValue(row, index: at[2])
        classRank = try row.decode(atIndex: at[3])
        campaign = try row.decode(atIndex: at[4])
        priority = try row.decode(atIndex: at[5])
        state = try Self.enumValue(row, index: at[6])
        outcome = try Self.optionalEnumValue(row, index: at[7])
        stateCode = try row.decode(atIndex: at[8])
        stateDesc = try row.decode(atIndex: at[9])
        calleeNbr = try row.decode(atIndex: at[10])
        displayNbr = try row.decode(atIndex: at[11])
        payload = try row.decode(atIndex: at[12])
        meta = try row.decode(atIndex: at[13])
        window = try row.decode(atIndex: at[14])
        redial = try row.decode(atIndex: at[15])
        notBefore = (try row.decode(Double?.self, atIndex: at[16])).map { Date(timeIntervalSince1970: $0) }
        expiresAt = Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: at[17]))
        nextAttemptAt = Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: at[18]))
        attempts = try row.decode(atIndex: at[19])
        calls = try row.decode(atIndex: at[20])
        digits = try row.decode(atIndex: at[21])
        errorCode = try row.decode(atIndex: at[22])
        errorDesc = try row.decode(atIndex: at[23])
        sessionId = try row.decode(atIndex: at[24])
        cancelRequested = try row.decode(atIndex: at[25])
        sourceFile = try row.decode(atIndex: at[26])
        intakeKey = try row.decode(atIndex: at[27])
        createdAt = Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: at[28]))
        updatedAt = Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: at[29]))
        finishedAt = (try row.decode(Double?.self, atIndex: at[30])).map { Date(timeIntervalSince1970: $0) }
        app = try row.decode(atIndex: at[31])
    }

    /// The table's columns in table order, as `SELECT *` returns them.
    static let tableColumns = ["id"] + updatableColumns
    private static let tableOrder = Array(tableColumns.indices)

    /// Where each of ``tableColumns`` is in `row`: by position for a
    /// `SELECT *` row (the hot path: no case-insensitive name lookups), by
    /// name for any other projection.
    static func columnIndices(in row: Row) throws -> [Int] {
        if row.count == tableColumns.count {
            // Four names suffice to recognise the table's order; reading all 32 would cost what this path saves.
            let names = row.columnNames
            let name = { (offset: Int) in names[names.index(names.startIndex, offsetBy: offset)] }
            if name(0) == "id", name(6) == "state", name(17) == "expiresAt", name(30) == "finishedAt", name(31) == "app" { return tableOrder }
        }
        // Like SQLite: case-insensitive, the leftmost of equal names.
        let lowered = Array(row.columnNames).map { $0.lowercased() }
        return try tableColumns.map { name in
            guard let index = lowered.firstIndex(of: name.lowercased()) else { throw JobRowError(column: name, value: "(missing)") }
            return index
        }
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
        container["app"] = app
    }

    /// The columns every write of a whole row sets, in statement order.
    static let updatableColumns = [
        "jobId", "type", "classRank", "campaign", "priority", "state", "outcome", "stateCode", "stateDesc", "calleeNbr", "displayNbr",
        "payload", "meta", "window", "redial", "notBefore", "expiresAt", "nextAttemptAt", "attempts", "calls", "digits", "errorCode",
        "errorDesc", "sessionId", "cancelRequested", "sourceFile", "intakeKey", "createdAt", "updatedAt", "finishedAt", "app",
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
            intakeKey, createdAt.timeIntervalSince1970, updatedAt.timeIntervalSince1970, finishedAt?.timeIntervalSince1970, app, id,
        ]
        try db.cachedStatement(sql: Self.updateSQL).execute(arguments: arguments)
    }

    private static func enumValue<Value: RawRepresentable>(_ row: Row, index: Int) throws -> Value where Value.RawValue == String {
        let text: String = try row.decode(atIndex: index)
        guard let value = Value(rawValue: text) else { throw badValue(row, Array(row.columnNames)[index], text) }
        return value
    }

    private static func optionalEnumValue<Value: RawRepresentable>(_ row: Row, index: Int) throws -> Value? where Value.RawValue == String {
        guard let text = try row.decode(String?.self, atIndex: index) else { return nil }
        guard let value = Value(rawValue: text) else { throw badValue(row, Array(row.columnNames)[index], text) }
        return value
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
