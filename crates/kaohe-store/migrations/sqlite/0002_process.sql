-- kaohe schema version 2 (SQLite): the assessment process — amendments, decisions, documents,
-- signatures, appeals and policy acknowledgements.

-- 更正 amendments: a correction after final supersedes a run, with a reason; both stay.
CREATE TABLE amendments (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES runs(id),
    supersedes INTEGER NOT NULL REFERENCES runs(id),
    reason     TEXT NOT NULL CHECK (reason <> ''),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE TRIGGER amendments_no_update BEFORE UPDATE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments are immutable / 更正记录不可修改'); END;
CREATE TRIGGER amendments_no_delete BEFORE DELETE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments are immutable / 更正记录不可删除'); END;

-- 决定 decisions: tie decisions, approvals.
CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    period_id  INTEGER NOT NULL REFERENCES periods(id),
    kind       TEXT NOT NULL,
    subject    TEXT,
    body_json  TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    reason     TEXT,
    decided_at TEXT NOT NULL
);

-- 文书 documents: letters, notices; bytes or a path, with a hash.
CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    person_id  TEXT REFERENCES people(id),
    period_id  INTEGER REFERENCES periods(id),
    bytes      BLOB,
    path       TEXT,
    hash       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (bytes IS NOT NULL OR path IS NOT NULL)
);

-- 签字 signatures (or refusals) of a result by the person.
CREATE TABLE signatures (
    id        INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    run_id    INTEGER REFERENCES runs(id),
    kind      TEXT NOT NULL CHECK (kind IN ('signed','refused')),
    note      TEXT,
    at        TEXT NOT NULL
);

-- 申诉 appeals.
CREATE TABLE appeals (
    id            INTEGER PRIMARY KEY,
    period_id     INTEGER NOT NULL REFERENCES periods(id),
    person_id     TEXT NOT NULL REFERENCES people(id),
    state         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    filed_at      TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    TEXT,
    decision_note TEXT,
    row_version   INTEGER NOT NULL DEFAULT 1
);

-- 制度确认 acknowledgements of a policy version per person (Art. 4, P4.3).
CREATE TABLE acknowledgements (
    id                INTEGER PRIMARY KEY,
    policy_version_id INTEGER NOT NULL REFERENCES policy_versions(id),
    person_id         TEXT NOT NULL REFERENCES people(id),
    at                TEXT NOT NULL,
    method            TEXT NOT NULL,
    UNIQUE (policy_version_id, person_id)
);
