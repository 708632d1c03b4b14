import CallSpoolCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func lastJobRowID() throws -> Int64 {
        try read { session in try session.scalar(Int64.self, "SELECT MAX(id) FROM job") ?? 0 }
    }

    public func completedIntake(key: String) throws -> FileReport? {
        try read { session in try session.report(key: key) }
    }
}

extension PostgresSession {
    func report(key: String) throws -> FileReport? {
        try record(IntakeFileRecord.self, "SELECT * FROM intakeFile WHERE intakeKey = $1", [key])?.report
    }

    func saveReport(key: String, name: String, report: FileReport, now: Date) throws {
        try upsert(IntakeFileRecord(intakeKey: key, name: name, report: report, completedAt: now), into: "intakeFile", key: "intakeKey")
    }
}
