import CallSpoolCore
import GRDB

extension AppDatabase {
    /// Several VoiceCall applications in one store: each job, status event
    /// and CDR names the application it belongs to; halts and the figures
    /// `status` shows are kept per application. Rows written before have no
    /// application (NULL) until the daemon assigns them at start.
    static func migrateApplications(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE job ADD COLUMN app TEXT;
            CREATE INDEX job_app_runnable ON job(app, classRank, priority DESC, id) WHERE state = 'queued';
            ALTER TABLE callEvent ADD COLUMN app TEXT;
            ALTER TABLE cdr ADD COLUMN app TEXT;
            CREATE TABLE appHalt (
                app TEXT PRIMARY KEY NOT NULL,
                code TEXT NOT NULL,
                reason TEXT NOT NULL,
                since REAL NOT NULL,
                probeAt REAL NOT NULL
            );
            INSERT INTO appHalt (app, code, reason, since, probeAt) SELECT 'default', code, reason, since, probeAt FROM halt;
            DELETE FROM halt;
            CREATE TABLE appStatus (
                app TEXT PRIMARY KEY NOT NULL,
                appKey TEXT NOT NULL,
                types TEXT NOT NULL,
                portsInUse INTEGER NOT NULL,
                portLimit INTEGER NOT NULL,
                effectivePortLimit INTEGER NOT NULL,
                verifyReserve INTEGER,
                verifyReserveReason TEXT,
                createdClock TEXT,
                updatedAt REAL NOT NULL
            );
            INSERT INTO appStatus (app, appKey, types, portsInUse, portLimit, effectivePortLimit, verifyReserve, verifyReserveReason, createdClock, updatedAt)
                SELECT 'default', '', '["notify","verify"]', 0, COALESCE(effectivePortLimit, 0), COALESCE(effectivePortLimit, 0), verifyReserve,
                    verifyReserveReason, createdClock, heartbeatAt FROM heartbeat;
            """)
    }
}
