-- kaohe schema version 1 (SQLite): organisation, people, policies, periods, facts, ratings,
-- computed runs, users and the append-only audit log. Dates are ISO-8601 TEXT, exact decimals
-- and JSON are TEXT (never REAL).

-- 组织 organisation tree: group → region → branch → department/project.
CREATE TABLE org_units (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES org_units(id),
    kind      TEXT NOT NULL CHECK (kind IN ('group','region','branch','department','project')),
    name      TEXT NOT NULL,
    UNIQUE (parent_id, name)
);

-- 人员 people, keyed by 工号 employee id.
CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    hire_date  TEXT,
    created_at TEXT NOT NULL
);

-- 人员履历 effective-dated history: valid_from inclusive, valid_to exclusive (NULL = open).
CREATE TABLE person_history (
    id         INTEGER PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people(id),
    unit_id    INTEGER NOT NULL REFERENCES org_units(id),
    post       TEXT,
    level      TEXT,
    status     TEXT,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX person_history_person ON person_history (person_id, valid_from);
CREATE INDEX person_history_unit ON person_history (unit_id, valid_from);

-- 制度版本 policy versions; the text is immutable, deduplicated by hash.
CREATE TABLE policy_versions (
    id        INTEGER PRIMARY KEY,
    policy_id TEXT NOT NULL,
    version   TEXT NOT NULL,
    toml      TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE,
    adopted   TEXT,
    published TEXT,
    stored_at TEXT NOT NULL,
    UNIQUE (policy_id, version)
);
CREATE TRIGGER policy_versions_no_update BEFORE UPDATE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable / 制度版本不可修改'); END;
CREATE TRIGGER policy_versions_no_delete_used BEFORE DELETE ON policy_versions
WHEN EXISTS (SELECT 1 FROM periods WHERE policy_version_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'policy version in use / 制度版本已被使用，不可删除'); END;

-- 考核期间 periods; row_version for optimistic locking.
CREATE TABLE periods (
    id                INTEGER PRIMARY KEY,
    policy_version_id INTEGER NOT NULL REFERENCES policy_versions(id),
    label             TEXT NOT NULL,
    idx               INTEGER NOT NULL,
    unit_id           INTEGER REFERENCES org_units(id),
    state             TEXT NOT NULL,
    row_version       INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    UNIQUE (policy_version_id, label, unit_id)
);

-- 导入批次 imports.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    period_id   INTEGER NOT NULL REFERENCES periods(id),
    source_file TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

-- 当期数据 facts: value is exact decimal text or JSON text.
CREATE TABLE facts (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    period_id   INTEGER NOT NULL REFERENCES periods(id),
    person_id   TEXT NOT NULL REFERENCES people(id),
    input_id    TEXT NOT NULL CHECK (input_id <> ''),
    value       TEXT NOT NULL,
    source_row  INTEGER
);
CREATE INDEX facts_period_person ON facts (period_id, person_id);

-- 评分 ratings: never destroyed; a correction is a new row that supersedes the old one.
CREATE TABLE ratings (
    id          INTEGER PRIMARY KEY,
    period_id   INTEGER NOT NULL REFERENCES periods(id),
    ratee_id    TEXT NOT NULL REFERENCES people(id),
    rater       TEXT NOT NULL,
    rater_group TEXT NOT NULL,
    score       TEXT NOT NULL,
    rated_at    TEXT NOT NULL,
    supersedes  INTEGER REFERENCES ratings(id)
);
CREATE INDEX ratings_period_ratee ON ratings (period_id, ratee_id);
CREATE TRIGGER ratings_no_update BEFORE UPDATE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are never changed / 评分不可修改'); END;
CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are never destroyed / 评分不可删除'); END;

-- 计算结果 computed runs: immutable.
CREATE TABLE runs (
    id                INTEGER PRIMARY KEY,
    period_id         INTEGER NOT NULL REFERENCES periods(id),
    policy_version_id INTEGER NOT NULL REFERENCES policy_versions(id),
    inputs_hash       TEXT NOT NULL,
    result_json       TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL
);
CREATE INDEX runs_period ON runs (period_id, id);
CREATE TRIGGER runs_no_update BEFORE UPDATE ON runs
BEGIN SELECT RAISE(ABORT, 'computed runs are immutable / 计算结果不可修改'); END;
CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
BEGIN SELECT RAISE(ABORT, 'computed runs are immutable / 计算结果不可删除'); END;

-- 用户 users: argon2 password hash, role, organisation scope.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    role          TEXT NOT NULL,
    scope_unit_id INTEGER REFERENCES org_units(id),
    person_id     TEXT REFERENCES people(id),
    active        BOOLEAN NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- 审计日志 audit log: append-only, hash-chained.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    reason      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only / 审计日志只能追加'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only / 审计日志只能追加'); END;
