import CallSpoolCore
import GRDB

extension AppDatabase {
    /// The schema's history. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs, attempts, events, cdrs, pauses, heartbeat") { db in
            try db.execute(sql: """
                CREATE TABLE campaign (
                    name TEXT PRIMARY KEY NOT NULL,
                    createdAt REAL NOT NULL,
                    paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))
                );
                CREATE TABLE job (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    jobId TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL CHECK (type IN ('verify', 'notify')),
                    classRank INTEGER NOT NULL CHECK (classRank IN (0, 1)),
                    campaign TEXT REFERENCES campaign(name),
                    priority INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'dispatching', 'in_call', 'completed', 'failed', 'expired', 'canceled', 'unknown')),
                    outcome TEXT CHECK (outcome IN ('answered', 'no_answer', 'busy', 'unreachable', 'powered_off', 'rejected', 'throttled', 'error')),
                    stateCode INTEGER,
                    stateDesc TEXT,
                    calleeNbr TEXT NOT NULL,
                    displayNbr TEXT,
                    payload TEXT NOT NULL,
                    meta TEXT,
                    window TEXT,
                    redial TEXT,
                    notBefore REAL,
                    expiresAt REAL NOT NULL,
                    nextAttemptAt REAL NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    calls INTEGER NOT NULL DEFAULT 0 CHECK (calls >= 0),
                    digits TEXT NOT NULL DEFAULT '[]',
                    errorCode TEXT,
                    errorDesc TEXT,
                    sessionId TEXT,
                    cancelRequested INTEGER NOT NULL DEFAULT 0,
                    sourceFile TEXT,
                    intakeKey TEXT,
                    createdAt REAL NOT NULL,
                    updatedAt REAL NOT NULL,
                    finishedAt REAL
                );
                CREATE INDEX job_runnable ON job(classRank, priority DESC, id) WHERE state = 'queued';
                CREATE INDEX job_state ON job(state);
                CREATE INDEX job_campaign ON job(campaign, state);
                CREATE INDEX job_session ON job(sessionId) WHERE sessionId IS NOT NULL;
                CREATE TABLE attempt (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    jobRowId INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                    n INTEGER NOT NULL CHECK (n >= 1),
                    at REAL NOT NULL,
                    calleeNbr TEXT NOT NULL,
                    displayNbr TEXT,
                    userData TEXT NOT NULL,
                    httpStatus INTEGER,
                    resultcode TEXT,
                    resultDesc TEXT,
                    resultClass TEXT,
                    sessionId TEXT UNIQUE,
                    UNIQUE (jobRowId, n)
                );
                CREATE INDEX attempt_callee_time ON attempt(calleeNbr, at);
                CREATE INDEX attempt_display_time ON attempt(displayNbr, at);
                CREATE TABLE callEvent (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sessionId TEXT NOT NULL,
                    eventType TEXT NOT NULL,
                    receivedAt REAL NOT NULL,
                    timestamp TEXT,
                    userData TEXT,
                    digitInfo TEXT,
                    stateCode INTEGER,
                    stateDesc TEXT,
                    body TEXT NOT NULL,
                    jobRowId INTEGER REFERENCES job(id) ON DELETE SET NULL,
                    applied INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX callEvent_session ON callEvent(sessionId);
                CREATE INDEX callEvent_unapplied ON callEvent(sessionId) WHERE applied = 0;
                CREATE TABLE cdr (
                    sessionId TEXT PRIMARY KEY NOT NULL,
                    receivedAt REAL NOT NULL,
                    body TEXT NOT NULL,
                    jobRowId INTEGER REFERENCES job(id) ON DELETE SET NULL,
                    applied INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE pause (
                    scope TEXT PRIMARY KEY NOT NULL,
                    reason TEXT NOT NULL,
                    code TEXT,
                    until REAL,
                    createdAt REAL NOT NULL
                );
                CREATE TABLE halt (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    code TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    since REAL NOT NULL,
                    probeAt REAL NOT NULL
                );
                CREATE TABLE heartbeat (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    pid INTEGER NOT NULL,
                    startedAt REAL NOT NULL,
                    heartbeatAt REAL NOT NULL,
                    version TEXT NOT NULL,
                    effectivePortLimit INTEGER,
                    createdClock TEXT
                );
                CREATE TABLE intakeFile (
                    intakeKey TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    report TEXT NOT NULL,
                    completedAt REAL NOT NULL
                );
                CREATE TABLE intent (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('cancel', 'retry', 'pause', 'resume')),
                    argument TEXT NOT NULL,
                    createdAt REAL NOT NULL,
                    appliedAt REAL,
                    result TEXT
                );
                CREATE INDEX intent_pending ON intent(id) WHERE appliedAt IS NULL;
                """)
        }
        migrator.registerMigration("v2: results outbox", migrate: Self.migrateResultsOutbox)
        migrator.registerMigration("v3: heartbeat receiverUpSince, verify reserve") { db in
            // Since when the callback receiver has been up without a gap
            // longer than the call lease: unknown jobs are requeued only when
            // it was up the whole time their call could have been reported.
            try db.execute(sql: "ALTER TABLE heartbeat ADD COLUMN receiverUpSince REAL")
            // The verify reserve in force and why, for `status`.
            try db.execute(sql: "ALTER TABLE heartbeat ADD COLUMN verifyReserve INTEGER")
            try db.execute(sql: "ALTER TABLE heartbeat ADD COLUMN verifyReserveReason TEXT")
        }
        migrator.registerMigration("v4: callback nonces", migrate: Self.migrateCallbackNonces)
        migrator.registerMigration("v5: applications", migrate: Self.migrateApplications)
        migrator.registerMigration("v6: results outbox, one producer", migrate: Self.migrateResultsOutboxOneProducer)
        // The unknown requeue and a job's detail look a job's CDR up by job:
        // without this each looked at every CDR (PostgreSQL has had `cdr_job`
        // from its first schema). Found by the soak's checker, whose lookups
        // took 8 minutes for 18,000 jobs.
        migrator.registerMigration("v7: cdr by job") { db in
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS cdr_job ON cdr(jobRowId)")
        }
        migrator.registerMigration("v8: billed minutes", migrate: Self.migrateBilledMinutes)
        migrator.registerMigration("v9: suppression list, opt-out, guard") { db in
            try db.execute(sql: """
                CREATE TABLE suppression (
                    number TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    source TEXT NOT NULL,
                    jobId TEXT,
                    campaign TEXT,
                    createdAt REAL NOT NULL,
                    createdBy TEXT NOT NULL,
                    PRIMARY KEY (number, scope)
                ) WITHOUT ROWID;
                CREATE TABLE suppressionAudit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    action TEXT NOT NULL,
                    number TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    source TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    jobId TEXT,
                    campaign TEXT,
                    at REAL NOT NULL
                );
                CREATE INDEX suppressionAudit_number ON suppressionAudit(number, id);
                -- The guard counts recent calls to a number prefix and per application.
                CREATE INDEX attempt_time ON attempt(at);
                ALTER TABLE job ADD COLUMN optOutDigits TEXT;
                ALTER TABLE job ADD COLUMN optOutScope TEXT;
                """)
        }
        // A job's events (`callspool job`, the unknown requeue) and the
        // events of an attempt's userData were found by scanning every
        // event: PostgreSQL has had both indexes from its first schema. The
        // soak's checker, which reads every job's detail, took over half an
        // hour for 54,000 jobs without them.
        migrator.registerMigration("v10: events by job, attempts by userData") { db in
            try db.execute(sql: """
                CREATE INDEX IF NOT EXISTS callEvent_job ON callEvent(jobRowId);
                CREATE INDEX IF NOT EXISTS attempt_userdata ON attempt(userData);
                """)
        }
        // Result webhooks: one row per event and webhook, queued with the
        // result it reports and kept until delivered (then pruned) or given
        // up (then replayable).
        migrator.registerMigration("v11: webhook deliveries") { db in
            try db.execute(sql: """
                CREATE TABLE webhookDelivery (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    webhook TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    eventId TEXT NOT NULL,
                    event TEXT NOT NULL,
                    jobId TEXT,
                    body TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'gave_up')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    createdAt REAL NOT NULL,
                    nextAttemptAt REAL NOT NULL,
                    giveUpAt REAL NOT NULL,
                    lastStatus INTEGER,
                    lastError TEXT,
                    finishedAt REAL,
                    claimedBy TEXT,
                    UNIQUE (webhook, subject)
                );
                CREATE INDEX webhookDelivery_due ON webhookDelivery(state, nextAttemptAt);
                CREATE INDEX webhookDelivery_job ON webhookDelivery(jobId);
                """)
        }
        // API requests with an Idempotency-Key: the answer, kept 24 hours
        // with the jobs it created (same commit), per client and key.
        migrator.registerMigration("v12: API idempotency keys") { db in
            try db.execute(sql: """
                CREATE TABLE apiIdempotency (
                    client TEXT NOT NULL,
                    key TEXT NOT NULL,
                    requestDigest TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    createdAt REAL NOT NULL,
                    expiresAt REAL NOT NULL,
                    PRIMARY KEY (client, key)
                );
                CREATE INDEX apiIdempotency_expiry ON apiIdempotency(expiresAt);
                """)
        }
        // A fee CDR as its parsed fields, one column each (as `CDRRecord`
        // names them), plus `raw`, the CDR as the platform sent it, for audit.
        // Before, `body` held the parsed record re-encoded to JSON, decoded
        // again to apply it and read with json_extract by the sweeper. `body`
        // becomes `raw` (a renamed column, so a reader still expecting the
        // old JSON fails loudly): the old rows keep their JSON there, the
        // only text stored for them. Their fields are backfilled from it
        // (only a value of the expected JSON type, so every row reads back),
        // and an upgraded store applies its pending CDRs as before. Every
        // `body` was written by that JSON encoder, so each is valid JSON;
        // `json_valid` only guards the migration itself.
        migrator.registerMigration("v13: CDR as columns") { db in
            try db.execute(sql: """
                ALTER TABLE cdr RENAME COLUMN body TO raw;
                ALTER TABLE cdr ADD COLUMN direction INTEGER;
                ALTER TABLE cdr ADD COLUMN spId TEXT;
                ALTER TABLE cdr ADD COLUMN appKey TEXT;
                ALTER TABLE cdr ADD COLUMN icid TEXT;
                ALTER TABLE cdr ADD COLUMN bindNum TEXT;
                ALTER TABLE cdr ADD COLUMN callerNum TEXT;
                ALTER TABLE cdr ADD COLUMN calleeNum TEXT;
                ALTER TABLE cdr ADD COLUMN callEndTime TEXT;
                ALTER TABLE cdr ADD COLUMN fwdUnaswRsn INTEGER;
                ALTER TABLE cdr ADD COLUMN failTime TEXT;
                ALTER TABLE cdr ADD COLUMN ulFailReason INTEGER;
                ALTER TABLE cdr ADD COLUMN sipStatusCode INTEGER;
                ALTER TABLE cdr ADD COLUMN callOutStartTime TEXT;
                ALTER TABLE cdr ADD COLUMN callOutAlertingTime TEXT;
                ALTER TABLE cdr ADD COLUMN callOutAnswerTime TEXT;
                ALTER TABLE cdr ADD COLUMN callOutUnaswRsn INTEGER;
                ALTER TABLE cdr ADD COLUMN dynIVRStartTime TEXT;
                ALTER TABLE cdr ADD COLUMN dynIVRPath TEXT;
                ALTER TABLE cdr ADD COLUMN recordFlag INTEGER;
                ALTER TABLE cdr ADD COLUMN ttsPlayTimes INTEGER;
                ALTER TABLE cdr ADD COLUMN ttsTransDuration INTEGER;
                ALTER TABLE cdr ADD COLUMN serviceType TEXT;
                ALTER TABLE cdr ADD COLUMN hostName TEXT;
                ALTER TABLE cdr ADD COLUMN userData TEXT;
                UPDATE cdr SET
                    direction = CASE json_type(raw, '$.direction') WHEN 'integer' THEN json_extract(raw, '$.direction') END,
                    spId = CASE json_type(raw, '$.spId') WHEN 'text' THEN json_extract(raw, '$.spId') END,
                    appKey = CASE json_type(raw, '$.appKey') WHEN 'text' THEN json_extract(raw, '$.appKey') END,
                    icid = CASE json_type(raw, '$.icid') WHEN 'text' THEN json_extract(raw, '$.icid') END,
                    bindNum = CASE json_type(raw, '$.bindNum') WHEN 'text' THEN json_extract(raw, '$.bindNum') END,
                    callerNum = CASE json_type(raw, '$.callerNum') WHEN 'text' THEN json_extract(raw, '$.callerNum') END,
                    calleeNum = CASE json_type(raw, '$.calleeNum') WHEN 'text' THEN json_extract(raw, '$.calleeNum') END,
                    callEndTime = CASE json_type(raw, '$.callEndTime') WHEN 'text' THEN json_extract(raw, '$.callEndTime') END,
                    fwdUnaswRsn = CASE json_type(raw, '$.fwdUnaswRsn') WHEN 'integer' THEN json_extract(raw, '$.fwdUnaswRsn') END,
                    failTime = CASE json_type(raw, '$.failTime') WHEN 'text' THEN json_extract(raw, '$.failTime') END,
                    ulFailReason = CASE json_type(raw, '$.ulFailReason') WHEN 'integer' THEN json_extract(raw, '$.ulFailReason') END,
                    sipStatusCode = CASE json_type(raw, '$.sipStatusCode') WHEN 'integer' THEN json_extract(raw, '$.sipStatusCode') END,
                    callOutStartTime = CASE json_type(raw, '$.callOutStartTime') WHEN 'text' THEN json_extract(raw, '$.callOutStartTime') END,
                    callOutAlertingTime = CASE json_type(raw, '$.callOutAlertingTime') WHEN 'text' THEN json_extract(raw, '$.callOutAlertingTime') END,
                    callOutAnswerTime = CASE json_type(raw, '$.callOutAnswerTime') WHEN 'text' THEN json_extract(raw, '$.callOutAnswerTime') END,
                    callOutUnaswRsn = CASE json_type(raw, '$.callOutUnaswRsn') WHEN 'integer' THEN json_extract(raw, '$.callOutUnaswRsn') END,
                    dynIVRStartTime = CASE json_type(raw, '$.dynIVRStartTime') WHEN 'text' THEN json_extract(raw, '$.dynIVRStartTime') END,
                    dynIVRPath = CASE json_type(raw, '$.dynIVRPath') WHEN 'text' THEN json_extract(raw, '$.dynIVRPath') END,
                    recordFlag = CASE json_type(raw, '$.recordFlag') WHEN 'integer' THEN json_extract(raw, '$.recordFlag') END,
                    ttsPlayTimes = CASE json_type(raw, '$.ttsPlayTimes') WHEN 'integer' THEN json_extract(raw, '$.ttsPlayTimes') END,
                    ttsTransDuration = CASE json_type(raw, '$.ttsTransDuration') WHEN 'integer' THEN json_extract(raw, '$.ttsTransDuration') END,
                    serviceType = CASE json_type(raw, '$.serviceType') WHEN 'text' THEN json_extract(raw, '$.serviceType') END,
                    hostName = CASE json_type(raw, '$.hostName') WHEN 'text' THEN json_extract(raw, '$.hostName') END,
                    userData = CASE json_type(raw, '$.userData') WHEN 'text' THEN json_extract(raw, '$.userData') END
                WHERE json_valid(raw);
                """)
        }
        return migrator
    }
}
