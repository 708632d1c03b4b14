import CallSpoolCore
import Foundation
import PostgresNIO

/// Job rows and attempt rows a transaction writes, held back and sent as
/// one statement each just before the transaction's next statement.
///
/// Exists because postgres-nio runs one statement per round trip and a
/// scheduling pass writes a job row and an attempt row for every request:
/// sixty-four requests were 128 round trips, now two. Nothing can observe
/// the difference: every other statement of the session (a read, a write,
/// a savepoint, the commit) sends the batch first, so it runs after these
/// writes, in order. A job written twice before that is written once, with
/// its last state (each write carries the whole row).
///
/// The rows travel as one JSON array that PostgreSQL turns into rows of the
/// table's own type (`jsonb_populate_recordset`), so each column gets its
/// type from the schema, not from the batch.
final class PostgresRowBatch: @unchecked Sendable {
    private var jobs: [Int64: [(name: String, value: any PostgresBindable)]] = [:]
    private var jobOrder: [Int64] = []
    private var attempts: [[(name: String, value: any PostgresBindable)]] = []
    private var answers: [[(name: String, value: any PostgresBindable)]] = []

    /// Holds `job`'s whole row for the next batch.
    func write(_ job: JobRecord) throws {
        guard let rowID = job.rowId else { throw PostgresRecordError(column: "id", problem: "a job without a row id cannot be updated") }
        if jobs[rowID] == nil { jobOrder.append(rowID) }
        jobs[rowID] = try PostgresRecordEncoder.columns(of: job)
    }

    /// Holds a new attempt row (column names as the table's) for the next batch.
    func insertAttempt(_ columns: [(name: String, value: any PostgresBindable)]) {
        attempts.append(columns)
    }

    /// Holds the answer to an attempt's request: `httpStatus`, `resultcode`,
    /// `resultDesc`, `resultClass` and, for a call placed, `sessionId`.
    func answerAttempt(
        jobRowId: Int64, n: Int, httpStatus: Int?, resultcode: String?, resultDesc: String?, resultClass: String, sessionId: String?
    ) {
        answers.append([
            ("jobRowId", jobRowId), ("n", n), ("httpStatus", httpStatus), ("resultcode", resultcode), ("resultDesc", resultDesc),
            ("resultClass", resultClass), ("sessionId", sessionId),
        ])
    }

    /// Forgets what is held (the savepoint that wrote it is being undone).
    func discard() {
        jobs = [:]
        jobOrder = []
        attempts = []
        answers = []
    }

    /// The statements that write what is held (jobs first: attempts refer
    /// to them), and forgets it.
    func take() throws -> [(String, PostgresArguments)] {
        guard !jobOrder.isEmpty || !attempts.isEmpty || !answers.isEmpty else { return [] }
        defer { discard() }
        var statements: [(String, PostgresArguments)] = []
        if jobOrder.count == 1, let only = jobOrder.first, let columns = jobs[only] {
            // One row: a plain UPDATE plans faster than the JSON set.
            var values: [any PostgresBindable] = []
            var assignments: [String] = []
            for column in columns where column.name != "id" {
                values.append(column.value)
                assignments.append("\(PostgresSchema.quoted(column.name)) = $\(values.count)")
            }
            values.append(only)
            statements.append(("UPDATE job SET \(assignments.joined(separator: ", ")) WHERE id = $\(values.count)", PostgresArguments(values)))
        } else if let first = jobOrder.first, let columns = jobs[first] {
            let names = columns.map(\.name).filter { $0 != "id" }
            let assignments = names.map { "\(PostgresSchema.quoted($0)) = v.\(PostgresSchema.quoted($0))" }
            let rows = jobOrder.compactMap { jobs[$0] }
            statements.append((
                "UPDATE job SET \(assignments.joined(separator: ", ")) FROM jsonb_populate_recordset(NULL::job, $1::jsonb) AS v WHERE job.id = v.id",
                [try Self.json(rows)]
            ))
        }
        if let first = attempts.first {
            let names = first.map { PostgresSchema.quoted($0.name) }.joined(separator: ", ")
            statements.append((
                "INSERT INTO attempt (\(names)) SELECT \(names) FROM jsonb_populate_recordset(NULL::attempt, $1::jsonb)",
                [try Self.json(attempts)]
            ))
        }
        if !answers.isEmpty {
            statements.append((
                """
                UPDATE attempt SET httpStatus = v.httpstatus, resultcode = v.resultcode, resultDesc = v.resultdesc, resultClass = v.resultclass,
                    sessionId = COALESCE(v.sessionid, attempt.sessionId)
                FROM jsonb_populate_recordset(NULL::attempt, $1::jsonb) AS v WHERE attempt.jobRowId = v.jobrowid AND attempt.n = v.n
                """,
                [try Self.json(answers)]
            ))
        }
        return statements
    }

    /// The rows as a JSON array of objects keyed by lower-case column name
    /// (the names PostgreSQL gave the schema's unquoted columns).
    static func json(_ rows: [[(name: String, value: any PostgresBindable)]]) throws -> String {
        var text = "["
        for (index, row) in rows.enumerated() {
            if index > 0 { text += "," }
            text += "{"
            for (position, column) in row.enumerated() {
                if position > 0 { text += "," }
                JSONText.quote(column.name.lowercased(), into: &text)
                text += ":"
                try appendValue(column.value, column: column.name, to: &text)
            }
            text += "}"
        }
        return text + "]"
    }

    private static func appendValue(_ value: any PostgresBindable, column: String, to text: inout String) throws {
        switch value {
        case let string as String: JSONText.quote(string, into: &text)
        case let date as Date: try appendNumber(date.timeIntervalSince1970, column: column, to: &text)
        case let number as Double: try appendNumber(number, column: column, to: &text)
        case let number as Int: text += String(number)
        case let number as Int64: text += String(number)
        case let flag as Bool: text += flag ? "true" : "false"
        case is UntypedNull: text += "null"
        case let optional as any OptionalBindable:
            if let wrapped = optional.wrappedBindable { try appendValue(wrapped, column: column, to: &text) } else { text += "null" }
        default: throw PostgresRecordError(column: column, problem: "\(type(of: value)) cannot be written in a batch")
        }
    }

    private static func appendNumber(_ number: Double, column: String, to text: inout String) throws {
        guard number.isFinite else { throw PostgresRecordError(column: column, problem: "\(number) cannot be stored") }
        // The shortest text that reads back as the same double.
        text += "\(number)"
    }
}

/// An optional parameter value seen through `any PostgresBindable`.
protocol OptionalBindable {
    var wrappedBindable: (any PostgresBindable)? { get }
}

extension Optional: OptionalBindable where Wrapped: PostgresBindable {
    var wrappedBindable: (any PostgresBindable)? { self.map { $0 as any PostgresBindable } }
}
