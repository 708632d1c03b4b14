import CallSpoolCore
import GRDB

extension AppDatabase {
    /// The states whose entry queues a results file, as an SQL list.
    static let terminalStatesSQL = "('completed', 'failed', 'expired', 'canceled')"

    /// v6: the results outbox has one producer, the schema.
    ///
    /// Until v5, the v2 trigger queued a job entering a terminal state and
    /// Swift code (``appendDigits(_:toJob:now:in:)``) queued a terminal job
    /// whose digits changed. Now both are triggers, in the transaction that
    /// made the change, whichever code path made it, so no caller can forget
    /// to queue and none queues twice:
    /// * `job_terminal_result`: a job enters a terminal state;
    /// * `job_terminal_digits`: a terminal job's digits change (a late
    ///   `collectInfo` or a CDR's IVR path after the disconnect).
    ///
    /// Each queueing bumps the row's `version`, so the one drainer
    /// (``ResultsOutbox``) removes a row only if nobody queued it again since
    /// it read it (``clearResults(_:)``): a file written from older state is
    /// written again, even when both changes carry the same timestamp.
    static func migrateResultsOutboxOneProducer(_ db: Database) throws {
        let queue = """
            INSERT INTO resultOutbox (jobRowId, queuedAt, version) VALUES (NEW.id, NEW.updatedAt, 1)
                ON CONFLICT(jobRowId) DO UPDATE SET queuedAt = excluded.queuedAt, version = resultOutbox.version + 1;
            """
        try db.execute(sql: """
            ALTER TABLE resultOutbox ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
            DROP TRIGGER job_terminal_result;
            CREATE TRIGGER job_terminal_result AFTER UPDATE OF state ON job
            WHEN NEW.state IN \(terminalStatesSQL) AND OLD.state IS NOT NEW.state
            BEGIN
                \(queue)
            END;
            CREATE TRIGGER job_terminal_digits AFTER UPDATE OF digits ON job
            WHEN NEW.state IN \(terminalStatesSQL) AND OLD.digits IS NOT NEW.digits
            BEGIN
                \(queue)
            END;
            """)
    }
}
