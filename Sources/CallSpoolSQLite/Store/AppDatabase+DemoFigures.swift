import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase {
    public func runFigures() throws -> RunFigures {
        try reader.read { db in
            var figures = RunFigures()
            for row in try Row.fetchAll(db, sql: "SELECT state, outcome, COUNT(*) AS n, SUM(attempts) AS a, SUM(calls) AS c, SUM(attempts > 1) AS r, SUM(calls > 1) AS d FROM job GROUP BY state, outcome") {
                let count: Int = row["n"]
                figures.states[row["state"], default: 0] += count
                if let outcome: String = row["outcome"] { figures.outcomes[outcome, default: 0] += count }
                figures.requests += row["a"] as Int? ?? 0
                figures.calls += row["c"] as Int? ?? 0
                figures.jobsRetried += row["r"] as Int? ?? 0
                figures.jobsRedialled += row["d"] as Int? ?? 0
            }
            for row in try Row.fetchAll(db, sql: "SELECT digits, COUNT(*) AS n FROM job WHERE digits != '[]' GROUP BY digits") {
                let text: String = row["digits"]
                let digits = StoredDigits.joined(text)
                figures.digits[digits, default: 0] += row["n"] as Int
            }
            for row in try Row.fetchAll(db, sql: "SELECT resultClass, COALESCE(resultcode, CASE WHEN httpStatus > 0 THEN 'http_' || httpStatus ELSE '-' END) AS code, COUNT(*) AS n FROM attempt WHERE resultClass IS NOT NULL AND resultClass != 'ok' GROUP BY 1, 2") {
                let resultClass: String = row["resultClass"]
                let code: String = row["code"]
                figures.pushBacks["\(resultClass) \(code)", default: 0] += row["n"] as Int
            }
            return figures
        }
    }
}
