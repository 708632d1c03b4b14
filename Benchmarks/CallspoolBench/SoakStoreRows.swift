import CallSpoolSQLite
import Foundation

/// The store as the soak checker reads it: every job row and every attempt
/// row, each table in one query of plain SQL — not through the daemon's
/// store code, and not job by job (a job's detail read per job took over an
/// hour for the 54,000 jobs of a 1-hour soak).
struct SoakStoreRows {
    struct Job {
        var rowId: Int64
        var state: String
        var outcome: String?
        /// The `digits` column, a JSON array of strings.
        var digits: String
        /// The stored payload (verification codes are wiped from it when a job ends).
        var payload: String
    }

    struct Attempt {
        var n: Int64
        var userData: String
        var sessionId: String?
    }

    /// By `jobId`.
    var jobs: [String: Job] = [:]
    /// By the job's row id, in the order of `n`.
    var attempts: [Int64: [Attempt]] = [:]

    static let jobQuery = "SELECT id, jobId, state, outcome, digits, payload FROM job"
    static let attemptQuery = "SELECT jobRowId, n, userData, sessionId FROM attempt ORDER BY jobRowId, n"

    /// Whether a job's `digits` column holds at least one digit.
    static func hasDigits(_ column: String) -> Bool {
        guard let digits = try? JSONDecoder().decode([String].self, from: Data(column.utf8)) else { return column != "[]" && !column.isEmpty }
        return !digits.isEmpty
    }

    /// The store at `location`: a PostgreSQL URL, or a SQLite file's path.
    static func read(_ location: String) throws -> SoakStoreRows {
        location.hasPrefix("postgres") ? try postgres(url: location) : try sqlite(path: location)
    }

    /// A SQLite store, opened read-only on a connection of its own
    /// (``SQLiteInspection/reading(file:_:)``: plain SQL, no store code).
    static func sqlite(path: String) throws -> SoakStoreRows {
        try SQLiteInspection.reading(file: path) { db in
            var rows = SoakStoreRows()
            for row in try db.rows(jobQuery) {
                rows.jobs[try row.value("jobId", as: String.self)] = Job(
                    rowId: try row.value("id"), state: try row.value("state"), outcome: try row.optional("outcome"), digits: try row.value("digits"),
                    payload: try row.value("payload"))
            }
            for row in try db.rows(attemptQuery) {
                rows.attempts[try row.value("jobRowId", as: Int64.self), default: []].append(
                    Attempt(n: try row.value("n"), userData: try row.value("userData"), sessionId: try row.optional("sessionId")))
            }
            return rows
        }
    }

    /// A PostgreSQL store, read with `psql` (unit and record separators, so
    /// that no value's text can split a field or a row; NULL as a field of
    /// its own).
    static func postgres(url: String) throws -> SoakStoreRows {
        var rows = SoakStoreRows()
        for fields in try Psql.rows(url: url, query: jobQuery, columns: 6) {
            guard let rowId = Int64(fields[0] ?? ""), let jobId = fields[1], let state = fields[2] else { throw BenchError("an unreadable job row: \(fields)") }
            rows.jobs[jobId] = Job(rowId: rowId, state: state, outcome: fields[3], digits: fields[4] ?? "[]", payload: fields[5] ?? "")
        }
        for fields in try Psql.rows(url: url, query: attemptQuery, columns: 4) {
            guard let rowId = Int64(fields[0] ?? ""), let n = Int64(fields[1] ?? ""), let userData = fields[2] else { throw BenchError("an unreadable attempt row: \(fields)") }
            rows.attempts[rowId, default: []].append(Attempt(n: n, userData: userData, sessionId: fields[3]))
        }
        return rows
    }
}

/// `psql` of this host, for reads independent of the daemon's code.
enum Psql {
    static let unitSeparator = "\u{1F}"
    static let recordSeparator = "\u{1E}"
    /// What `psql` prints for NULL here: a value no column of the soak holds.
    static let null = "\u{1A}NULL"

    static func executable() throws -> String {
        let candidates = ["/usr/bin/psql", "/usr/local/bin/psql"]
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/psql" }
        guard let psql = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { throw BenchError("psql not found (install postgresql-client)") }
        return psql
    }

    /// The rows of `query`, each with `columns` fields (nil for NULL).
    static func rows(url: String, query: String, columns: Int) throws -> [[String?]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = ["-X", "-A", "-t", "-q", "-F", unitSeparator, "-R", recordSeparator, "-P", "null=\(null)", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", query]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("psql failed (status \(process.terminationStatus)) reading: \(query)") }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        var result: [[String?]] = []
        for record in text.split(separator: Character(recordSeparator), omittingEmptySubsequences: true) {
            let fields = record.split(separator: Character(unitSeparator), omittingEmptySubsequences: false).map { $0 == null ? nil : String($0) }
            guard fields.count == columns else { throw BenchError("psql gave \(fields.count) fields, not \(columns), for: \(query)") }
            result.append(fields)
        }
        return result
    }
}
