import Foundation
import GRDB

extension AppDatabase {
    /// Moves a job to `next`, checking the lifecycle graph, inside the caller's
    /// transaction. The one place a job's state changes: it also stamps
    /// `updatedAt`/`finishedAt` and erases a verify job's code once terminal.
    static func transition(_ job: inout JobRecord, to next: JobState, now: Date, in db: Database) throws {
        try job.state.checkTransition(to: next)
        job.state = next
        job.updatedAt = now
        if next.isTerminal {
            job.finishedAt = now
            if job.type == .verify {
                job.payload = Self.erasingVerifyCode(job.payload)
                SecretErasures.record()
            }
        } else {
            job.finishedAt = nil
        }
        try job.updateRow(db)
    }

    /// The payload with the verify code blanked (the code is useless and
    /// sensitive once the job is over).
    static func erasingVerifyCode(_ payload: String) -> String {
        guard var decoded = try? JSONDecoder().decode(JobPayload.self, from: Data(payload.utf8)),
            case .verify(var verify) = decoded
        else { return payload }
        verify.verifyCode = ""
        decoded = .verify(verify)
        guard let data = try? JSONEncoder().encode(decoded) else { return payload }
        return String(decoding: data, as: UTF8.self)
    }
}
