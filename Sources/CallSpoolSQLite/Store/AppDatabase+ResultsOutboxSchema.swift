import CallSpoolCore
import GRDB

extension AppDatabase {
    /// v2: `resultOutbox`, the jobs whose results file is still to be written.
    ///
    /// A trigger queues every job entering a terminal state, whichever code path
    /// moved it (callbacks, dispatcher, expiry, cancel), inside that same
    /// transaction; ``ResultsOutbox`` writes the files after commit and removes
    /// the rows. A crash in between only delays a file, never loses it.
    static func migrateResultsOutbox(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE resultOutbox (
                jobRowId INTEGER PRIMARY KEY NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                queuedAt REAL NOT NULL
            );
            CREATE TRIGGER job_terminal_result AFTER UPDATE OF state ON job
            WHEN NEW.state IN ('completed', 'failed', 'expired', 'canceled') AND OLD.state IS NOT NEW.state
            BEGIN
                INSERT OR REPLACE INTO resultOutbox (jobRowId, queuedAt) VALUES (NEW.id, NEW.updatedAt);
            END;
            """)
    }
}
