-- kaohe schema version 3 (SQLite): what the HTTP server needs — login sessions, a roster
-- snapshot per period, protected statuses, holiday calendars, more document and signature
-- fields, and triggers that keep decisions, documents and signatures unchangeable.

-- 登录会话 sessions: only a hash of the cookie value is stored. Sessions may be deleted.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- 期间花名册快照 the roster of a period as imported, one JSON object per person.
CREATE TABLE period_people (
    period_id   INTEGER NOT NULL REFERENCES periods(id),
    person_id   TEXT NOT NULL CHECK (person_id <> ''),
    person_json TEXT NOT NULL,
    PRIMARY KEY (period_id, person_id)
);

-- 决定 decisions are never changed or deleted; a new decision is a new row.
CREATE INDEX decisions_period ON decisions (period_id, kind, id);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are immutable / 决定不可修改'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are immutable / 决定不可删除'); END;

-- 文书 documents: title, file name, MIME type and who stored it; never changed or deleted.
ALTER TABLE documents ADD COLUMN file_name TEXT;
ALTER TABLE documents ADD COLUMN mime TEXT;
ALTER TABLE documents ADD COLUMN created_by TEXT;
ALTER TABLE documents ADD COLUMN title TEXT;
CREATE INDEX documents_period ON documents (period_id, id);
CREATE INDEX documents_person ON documents (person_id, id);
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are immutable / 文书不可修改'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are immutable / 文书不可删除'); END;

-- 签字 signatures: of a score or of the elimination list; one per person, subject and run.
ALTER TABLE signatures ADD COLUMN subject TEXT NOT NULL DEFAULT 'score'
    CHECK (subject IN ('score','elimination_list'));
ALTER TABLE signatures ADD COLUMN recorded_by TEXT;
CREATE UNIQUE INDEX signatures_once
    ON signatures (period_id, person_id, subject, COALESCE(run_id, 0));
CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are immutable / 签字记录不可修改'); END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are immutable / 签字记录不可删除'); END;

CREATE INDEX appeals_period ON appeals (period_id, id);

-- 特殊保护期 protected statuses (孕期、产期、哺乳期、医疗期、工伤…): never changed or deleted;
-- a correction is a new row that supersedes the old one (each row at most once).
CREATE TABLE protected_statuses (
    id          INTEGER PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people(id),
    kind        TEXT NOT NULL CHECK (kind <> ''),
    from_date   TEXT NOT NULL,
    to_date     TEXT,
    note        TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    supersedes  INTEGER UNIQUE REFERENCES protected_statuses(id),
    CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX protected_statuses_person ON protected_statuses (person_id, id);
CREATE TRIGGER protected_statuses_no_update BEFORE UPDATE ON protected_statuses
BEGIN SELECT RAISE(ABORT, 'protected statuses are immutable / 特殊保护期记录不可修改'); END;
CREATE TRIGGER protected_statuses_no_delete BEFORE DELETE ON protected_statuses
BEGIN SELECT RAISE(ABORT, 'protected statuses are immutable / 特殊保护期记录不可删除'); END;

-- 工作日历 holiday calendar of a year (TOML text); a year may be replaced (audited).
CREATE TABLE calendar_years (
    year     INTEGER PRIMARY KEY,
    toml     TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
