import CallSpoolCore
import GRDB

extension AppDatabase {
    /// v8: `job.billedMinutes`, the minutes the platform bills for the job's
    /// answered calls (``BilledMinutes``), 0 for every existing job (their
    /// CDRs are not re-read: a store upgraded mid-campaign counts from here).
    ///
    /// A CDR usually arrives after the disconnect made the job terminal and
    /// its results file was queued; the trigger `job_terminal_billed` queues
    /// that file again when a terminal job's billed minutes change, like
    /// `job_terminal_digits` does for digits, so the file shows them.
    static func migrateBilledMinutes(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE job ADD COLUMN billedMinutes INTEGER NOT NULL DEFAULT 0 CHECK (billedMinutes >= 0);
            CREATE TRIGGER job_terminal_billed AFTER UPDATE OF billedMinutes ON job
            WHEN NEW.state IN \(terminalStatesSQL) AND OLD.billedMinutes IS NOT NEW.billedMinutes
            BEGIN
                INSERT INTO resultOutbox (jobRowId, queuedAt, version) VALUES (NEW.id, NEW.updatedAt, 1)
                    ON CONFLICT(jobRowId) DO UPDATE SET queuedAt = excluded.queuedAt, version = resultOutbox.version + 1;
            END;
            """)
    }
}
