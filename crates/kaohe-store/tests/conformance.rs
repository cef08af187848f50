//! One conformance suite for both backends: every test runs on a fresh SQLite file and on a
//! fresh PostgreSQL schema (postgres://postgres@127.0.0.1:5432/test, or `KAOHE_TEST_PG_URL`).
//! If PostgreSQL is unreachable the PostgreSQL tests FAIL, unless `KAOHE_SKIP_PG=1`.

use chrono::NaiveDate;
use chrono::{Duration, TimeZone, Utc};
use kaohe_store::{
    AuditEntry, AuditProblem, AuditRow, Backend, Db, Error, FactRow, HistoryEntry, NewPerson,
    NewRun, NewUser, SessionRow, UnitKind,
};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

const PG_BASE: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A fresh database; dropped (schema and all) when the value is dropped, even after a panic.
struct Fixture {
    db: Db,
    url: String,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn pg_base() -> String {
    std::env::var("KAOHE_TEST_PG_URL").unwrap_or_else(|_| PG_BASE.to_string())
}

impl Fixture {
    fn sqlite_url() -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("kaohe.db").display()
        );
        (dir, url)
    }

    async fn sqlite() -> Fixture {
        let (dir, url) = Fixture::sqlite_url();
        let db = Db::connect(&url).await.expect("connect sqlite");
        Fixture {
            db,
            url,
            _dir: Some(dir),
            pg_schema: None,
        }
    }

    /// A new empty schema; `None` only when KAOHE_SKIP_PG=1.
    async fn pg_empty() -> Option<(String, String)> {
        if std::env::var("KAOHE_SKIP_PG").as_deref() == Ok("1") {
            return None;
        }
        let base = pg_base();
        let schema = format!(
            "kaohe_t_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            chrono::Utc::now().timestamp_micros() % 1_000_000_000
        );
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .unwrap_or_else(|e| {
                panic!("PostgreSQL not reachable at {base} ({e}); set KAOHE_SKIP_PG=1 to skip")
            });
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut admin)
            .await
            .expect("create schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        Some((schema, url))
    }

    async fn pg() -> Option<Fixture> {
        let (schema, url) = Fixture::pg_empty().await?;
        let db = Db::connect(&url).await.expect("connect postgres");
        Some(Fixture {
            db,
            url,
            _dir: None,
            pg_schema: Some(schema),
        })
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(schema) = self.pg_schema.take() {
            drop_schema(schema);
        }
    }
}

fn drop_schema(schema: String) {
    let base = pg_base();
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            use sqlx::Connection;
            if let Ok(mut c) = sqlx::PgConnection::connect(&base).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                    .execute(&mut c)
                    .await;
            }
        });
    })
    .join();
}

/// Run one test body on both backends.
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let f = super::Fixture::sqlite().await;
                super::$name(&f).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(f) = super::Fixture::pg().await {
                    super::$name(&f).await;
                }
            }
        }
    };
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// group → region → branch → two departments; returns (branch, dept A, dept B).
async fn tree(db: &Db) -> (i64, i64, i64) {
    let g = db
        .add_unit(None, UnitKind::Group, "集团", "admin")
        .await
        .unwrap();
    let r = db
        .add_unit(Some(g.id), UnitKind::Region, "华东区", "admin")
        .await
        .unwrap();
    let b = db
        .add_unit(Some(r.id), UnitKind::Branch, "杭州分公司", "admin")
        .await
        .unwrap();
    let a = db
        .add_unit(Some(b.id), UnitKind::Department, "销售一部", "admin")
        .await
        .unwrap();
    let c = db
        .add_unit(Some(b.id), UnitKind::Department, "销售二部", "admin")
        .await
        .unwrap();
    (b.id, a.id, c.id)
}

fn entry(unit: i64, level: &str, from: &str) -> HistoryEntry {
    HistoryEntry {
        unit_id: unit,
        post: Some("客户经理".into()),
        level: Some(level.into()),
        status: Some("转正".into()),
        valid_from: d(from),
    }
}

async fn person(db: &Db, id: &str, unit: i64) {
    let p = NewPerson {
        id: id.into(),
        name: format!("员工{id}"),
        hire_date: Some(d("2020-03-01")),
    };
    db.add_person(&p, &entry(unit, "L1", "2020-03-01"), "admin")
        .await
        .unwrap();
}

/// A policy version and an open period; returns the period id.
async fn period(db: &Db) -> (i64, i64) {
    let (v, _) = db
        .store_policy(
            "p4-test",
            "2024.1",
            "[policy]\nid = \"p4-test\"\n",
            None,
            None,
            "admin",
        )
        .await
        .unwrap();
    let p = db
        .create_period(v.id, "2024-05", 24292, None, "open", "admin")
        .await
        .unwrap();
    (v.id, p.id)
}

// ---------------------------------------------------------------- migrations

async fn migrations_fresh(f: &Fixture) {
    let db = &f.db;
    assert_eq!(db.schema_version().await.unwrap(), Some(3));
    assert_eq!(db.latest_schema_version(), 3);
    // Connecting again to the same database applies nothing and keeps working.
    let again = Db::connect(&f.url).await.unwrap();
    assert_eq!(again.schema_version().await.unwrap(), Some(3));
    assert!(again.units().await.unwrap().is_empty());
}
both!(migrations_fresh);

async fn upgrade_on(url: String) {
    let old = Db::connect_without_migrating(&url).await.unwrap();
    old.migrate_to(1).await.unwrap();
    assert_eq!(old.schema_version().await.unwrap(), Some(1));
    let (_, dept, _) = tree(&old).await;
    person(&old, "E001", dept).await;
    let (_, pid) = period(&old).await;
    let run = NewRun {
        period_id: pid,
        policy_version_id: old.period(pid).await.unwrap().policy_version_id,
        inputs_hash: "abc".into(),
        result_json: "{}".into(),
    };
    let r1 = old.store_run(&run, "admin").await.unwrap();
    // Version 2 tables do not exist yet.
    assert!(old.amend_run(r1.id, &run, "fix", "admin").await.is_err());
    old.close().await;

    let new = Db::connect(&url).await.unwrap();
    assert_eq!(new.schema_version().await.unwrap(), Some(3));
    assert_eq!(new.units().await.unwrap().len(), 5);
    assert_eq!(new.person_history("E001").await.unwrap().len(), 1);
    assert_eq!(new.run(r1.id).await.unwrap().inputs_hash, "abc");
    let (r2, a) = new
        .amend_run(r1.id, &run, "数据更正", "admin")
        .await
        .unwrap();
    assert_eq!(a.supersedes, r1.id);
    assert_eq!(a.run_id, r2.id);
    assert!(new.verify_audit().await.unwrap().ok());
}

mod migrations_upgrade_from_1 {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        let (_dir, url) = super::Fixture::sqlite_url();
        super::upgrade_on(url).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        if let Some((schema, url)) = super::Fixture::pg_empty().await {
            struct Guard(Option<String>);
            impl Drop for Guard {
                fn drop(&mut self) {
                    if let Some(s) = self.0.take() {
                        super::drop_schema(s);
                    }
                }
            }
            let _g = Guard(Some(schema));
            super::upgrade_on(url).await;
        }
    }
}

// ---------------------------------------------------------------- facts

fn rows(n: usize, people: usize) -> Vec<FactRow> {
    (0..n)
        .map(|i| FactRow {
            person_id: format!("E{:03}", i % people),
            input_id: format!("回款_{}", i / people),
            value: format!("{}.{:02}", i, i % 100),
            source_row: Some(i as i64 + 2),
        })
        .collect()
}

async fn import_all_or_nothing(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    for i in 0..10 {
        person(db, &format!("E{i:03}"), dept).await;
    }
    let (_, pid) = period(db).await;
    let good = rows(2500, 10);
    let id = db
        .import_facts(pid, "五月.xlsx", &good, "hr")
        .await
        .unwrap();
    assert_eq!(db.fact_count(pid).await.unwrap(), 2500);
    let stored = db.facts(pid).await.unwrap();
    // E000 gets rows 0, 10, 20, …: the first sorted is input 回款_0 = row 0 → "0.00".
    assert_eq!(stored[0].person_id, "E000");
    assert_eq!(stored[0].value, "0.00");
    assert_eq!(stored[0].import_id, id);
    // Text with tabs, newlines and backslashes survives COPY escaping.
    let odd = vec![FactRow {
        person_id: "E001".into(),
        input_id: "备注".into(),
        value: "a\tb\nc\\d\r{\"x\":1}".into(),
        source_row: None,
    }];
    db.import_facts(pid, "odd.csv", &odd, "hr").await.unwrap();
    let back = db.facts(pid).await.unwrap();
    assert!(back
        .iter()
        .any(|r| r.value == odd[0].value && r.source_row.is_none()));
    let audit_before = db.verify_audit().await.unwrap().rows;

    // An unknown person at row 1500 of 2500: the first batch is already written when the
    // database refuses it; everything must roll back.
    let mut bad = rows(2500, 10);
    bad[1500].person_id = "NOBODY".into();
    let err = db
        .import_facts(pid, "坏.xlsx", &bad, "hr")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Db(_)), "{err}");
    assert_eq!(db.fact_count(pid).await.unwrap(), 2501);
    assert_eq!(db.verify_audit().await.unwrap().rows, audit_before);

    // An empty input id is refused before writing, naming the source row (1200 + 2).
    let mut bad = rows(2500, 10);
    bad[1200].input_id.clear();
    let err = db
        .import_facts(pid, "坏.xlsx", &bad, "hr")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row 1202"), "{err}");
    assert_eq!(db.fact_count(pid).await.unwrap(), 2501);

    // An unknown period is refused too.
    assert!(db
        .import_facts(pid + 999, "x", &good[..3], "hr")
        .await
        .is_err());
}
both!(import_all_or_nothing);

// ---------------------------------------------------------------- optimistic concurrency

async fn optimistic_conflict(f: &Fixture) {
    let db = &f.db;
    let (_, pid) = period(db).await;
    let p = db.period(pid).await.unwrap();
    assert_eq!((p.state.as_str(), p.row_version), ("open", 1));
    let p2 = db
        .update_period_state(pid, 1, "collecting", "hr", None)
        .await
        .unwrap();
    assert_eq!((p2.state.as_str(), p2.row_version), ("collecting", 2));
    // A second client still holding version 1.
    let err = db
        .update_period_state(pid, 1, "computed", "mgr", None)
        .await
        .unwrap_err();
    match err {
        Error::Conflict {
            current_version,
            current,
            ..
        } => {
            assert_eq!(current_version, 2);
            assert_eq!(current["state"], "collecting");
        }
        other => panic!("expected a conflict, got {other}"),
    }
    let now = db.period(pid).await.unwrap();
    assert_eq!((now.state.as_str(), now.row_version), ("collecting", 2));
    assert!(matches!(
        db.update_period_state(pid + 100, 1, "x", "hr", None).await,
        Err(Error::NotFound { .. })
    ));
}
both!(optimistic_conflict);

// ---------------------------------------------------------------- audit

async fn raw(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Db::Pg(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
}

async fn audit_chain_and_tampering(f: &Fixture) {
    let db = &f.db;
    for i in 0..5 {
        let e = AuditEntry::new("hr", "test.note", format!("note:{i}"))
            .after(serde_json::json!({ "i": i, "text": "评分 ✓" }))
            .unwrap()
            .reason("test");
        let row = db.audit_append(&e).await.unwrap();
        assert_eq!(row.seq, i + 1);
    }
    let rep = db.verify_audit().await.unwrap();
    assert!(rep.ok(), "{:?}", rep.problems);
    assert_eq!(rep.rows, 5);
    let rows = db.audit_rows(0, 10).await.unwrap();
    assert_eq!(rows[0].prev_hash, kaohe_store::audit::GENESIS);
    assert_eq!(rows[1].prev_hash, rows[0].hash);
    assert_eq!(rep.head, rows[4].hash);

    // The triggers refuse edits and deletions.
    assert!(raw(db, "UPDATE audit_log SET actor = 'x' WHERE seq = 2")
        .await
        .is_err());
    assert!(raw(db, "DELETE FROM audit_log WHERE seq = 2")
        .await
        .is_err());
    if db.backend() == Backend::Postgres {
        assert!(raw(db, "TRUNCATE audit_log").await.is_err());
    }
    assert!(db.verify_audit().await.unwrap().ok());

    // Someone with raw access drops the triggers and edits row 2, then deletes row 4.
    let drops = match db.backend() {
        Backend::Sqlite => [
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        Backend::Postgres => [
            "DROP TRIGGER audit_log_no_update ON audit_log",
            "DROP TRIGGER audit_log_no_delete ON audit_log",
        ],
    };
    for s in drops {
        raw(db, s).await.unwrap();
    }
    raw(db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
        .await
        .unwrap();
    raw(db, "DELETE FROM audit_log WHERE seq = 4")
        .await
        .unwrap();
    let rep = db.verify_audit().await.unwrap();
    assert_eq!(
        rep.problems,
        vec![
            AuditProblem::Edited { seq: 2 },
            AuditProblem::Gap { after: 3, next: 5 },
            AuditProblem::BrokenLink { seq: 5 },
        ]
    );
}
both!(audit_chain_and_tampering);

async fn immutability(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    let (vid, pid) = period(db).await;
    let run = db
        .store_run(
            &NewRun {
                period_id: pid,
                policy_version_id: vid,
                inputs_hash: "h".into(),
                result_json: "{\"people\":[]}".into(),
            },
            "hr",
        )
        .await
        .unwrap();
    let rating = db
        .add_rating(
            pid,
            "E001",
            "R9",
            "同事",
            Decimal::from_str("88.50").unwrap(),
            None,
            "R9",
        )
        .await
        .unwrap();
    assert_eq!(
        rating.score_decimal(),
        Some(Decimal::from_str("88.50").unwrap())
    );
    for sql in [
        format!("UPDATE runs SET result_json = '{{}}' WHERE id = {}", run.id),
        format!("DELETE FROM runs WHERE id = {}", run.id),
        format!("UPDATE ratings SET score = '100' WHERE id = {}", rating.id),
        format!("DELETE FROM ratings WHERE id = {}", rating.id),
        format!("UPDATE policy_versions SET toml = 'x' WHERE id = {vid}"),
        format!("DELETE FROM policy_versions WHERE id = {vid}"),
    ] {
        assert!(raw(db, &sql).await.is_err(), "allowed: {sql}");
    }
    assert_eq!(db.run(run.id).await.unwrap().result_json, "{\"people\":[]}");
    // A correction supersedes; both stay.
    let fix = db
        .add_rating(
            pid,
            "E001",
            "R9",
            "同事",
            Decimal::from(90),
            Some(rating.id),
            "R9",
        )
        .await
        .unwrap();
    let all = db.ratings(pid).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].supersedes, Some(all[0].id));
    assert_eq!(fix.score, "90");
    // An amendment needs a reason.
    let new_run = NewRun {
        period_id: pid,
        policy_version_id: vid,
        inputs_hash: "h2".into(),
        result_json: "{}".into(),
    };
    assert!(matches!(
        db.amend_run(run.id, &new_run, " ", "hr").await,
        Err(Error::Invalid(_))
    ));
    db.amend_run(run.id, &new_run, "申诉成立，更正回款", "hr")
        .await
        .unwrap();
    assert_eq!(db.runs(pid).await.unwrap().len(), 2);
    assert_eq!(db.amendments(pid).await.unwrap()[0].supersedes, run.id);
}
both!(immutability);

// ---------------------------------------------------------------- people, org, policies

async fn as_of_queries(f: &Fixture) {
    let db = &f.db;
    let (branch, a, b) = tree(db).await;
    person(db, "E001", a).await;
    person(db, "E002", a).await;
    // E001 moves to department B on 2024-06-01 and is promoted to L2.
    db.change_person("E001", &entry(b, "L2", "2024-06-01"), "hr")
        .await
        .unwrap();
    let before = db
        .person_as_of("E001", d("2024-05-31"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((before.unit_id, before.level.as_deref()), (a, Some("L1")));
    assert_eq!(before.valid_to, Some(d("2024-06-01")));
    let after = db
        .person_as_of("E001", d("2024-06-01"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((after.unit_id, after.level.as_deref()), (b, Some("L2")));
    assert!(db
        .person_as_of("E001", d("2020-02-29"))
        .await
        .unwrap()
        .is_none());
    // Department A on 2024-05-31: both; on 2024-06-01: only E002. The branch: both, always.
    let ids = |v: Vec<kaohe_store::PersonAsOf>| v.into_iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(
        ids(db.people_as_of(a, d("2024-05-31")).await.unwrap()),
        ["E001", "E002"]
    );
    assert_eq!(
        ids(db.people_as_of(a, d("2024-06-01")).await.unwrap()),
        ["E002"]
    );
    assert_eq!(
        ids(db.people_as_of(b, d("2024-06-01")).await.unwrap()),
        ["E001"]
    );
    assert_eq!(
        ids(db.people_as_of(branch, d("2024-06-01")).await.unwrap()),
        ["E001", "E002"]
    );
    // A change dated before the current entry is refused.
    assert!(matches!(
        db.change_person("E001", &entry(a, "L1", "2024-01-01"), "hr")
            .await,
        Err(Error::Invalid(_))
    ));
    assert_eq!(db.person_history("E001").await.unwrap().len(), 2);
    // The tree's shape is enforced; the subtree of the branch has 3 units.
    assert!(db
        .add_unit(Some(a), UnitKind::Region, "错", "admin")
        .await
        .is_err());
    assert!(db
        .add_unit(None, UnitKind::Branch, "错", "admin")
        .await
        .is_err());
    assert_eq!(db.subtree(branch).await.unwrap().len(), 3);
}
both!(as_of_queries);

async fn policy_versions_dedupe(f: &Fixture) {
    let db = &f.db;
    let text = "[policy]\nid = \"p8\"\nversion = \"1\"\n";
    let (v1, new1) = db
        .store_policy("p8", "1", text, Some(d("2024-01-01")), None, "hr")
        .await
        .unwrap();
    let (v2, new2) = db
        .store_policy("p8", "1", text, None, None, "hr")
        .await
        .unwrap();
    assert!(new1 && !new2);
    assert_eq!(v1.id, v2.id);
    assert_eq!(v1.hash.len(), 64);
    assert_eq!(v2.adopted, Some(d("2024-01-01")));
    assert!(matches!(
        db.store_policy("p8", "1", "changed", None, None, "hr")
            .await,
        Err(Error::Invalid(_))
    ));
    let (v3, _) = db
        .store_policy("p8", "2", "changed", None, None, "hr")
        .await
        .unwrap();
    assert_eq!(db.policy_versions("p8").await.unwrap().len(), 2);
    assert_eq!(db.policy_version(v3.id).await.unwrap().toml, "changed");
}
both!(policy_versions_dedupe);

// ---------------------------------------------------------------- concurrency

async fn concurrent_writers(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    let (_, pid) = period(db).await;
    let mut tasks = Vec::new();
    for t in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0;
            for i in 0..25 {
                // Read-then-write: the pattern that fails with a plain BEGIN on SQLite.
                let p = db.period(pid).await?;
                match db
                    .update_period_state(pid, p.row_version, &format!("s{t}-{i}"), "hr", None)
                    .await
                {
                    Ok(_) => {}
                    Err(Error::Conflict { .. }) => conflicts += 1,
                    Err(e) => return Err(e),
                }
                db.add_rating(
                    pid,
                    "E001",
                    &format!("R{t}"),
                    "同事",
                    Decimal::from(i),
                    None,
                    "r",
                )
                .await?;
            }
            Ok::<u32, Error>(conflicts)
        }));
    }
    let mut conflicts = 0;
    for t in tasks {
        conflicts += t.await.unwrap().unwrap();
    }
    let p = db.period(pid).await.unwrap();
    // Every successful state change bumped the version once: 1 + (200 − conflicts).
    assert_eq!(p.row_version, 1 + 200 - i64::from(conflicts));
    assert_eq!(db.ratings(pid).await.unwrap().len(), 200);
    let rep = db.verify_audit().await.unwrap();
    assert!(rep.ok(), "{:?}", rep.problems);
}
both!(concurrent_writers);

// ---------------------------------------------------------------- backup

async fn backup(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.db");
    db.backup(&path, &f.url).await.unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    assert!(db.backup(&path, &f.url).await.is_err(), "overwrites");
    if db.backend() == Backend::Sqlite {
        let url = format!("sqlite://{}", path.display());
        let copy = Db::connect(&url).await.unwrap();
        assert_eq!(copy.units().await.unwrap().len(), 5);
        assert!(copy.verify_audit().await.unwrap().ok());
    }
}
both!(backup);

// ---------------------------------------------------------------- users, sessions, tokens

/// Every audit row, oldest first.
async fn audit(db: &Db) -> Vec<AuditRow> {
    db.audit_rows(0, 100_000).await.unwrap()
}

fn new_user(login: &str, role: &str) -> NewUser {
    NewUser {
        login: login.into(),
        password_hash: Some(format!("$argon2id$v=19$secret-of-{login}")),
        role: role.into(),
        scope_unit_id: None,
        person_id: None,
    }
}

async fn users_round_trip(f: &Fixture) {
    let db = &f.db;
    let (branch, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    let mut nu = new_user("zhang.san", "manager");
    nu.scope_unit_id = Some(branch);
    nu.person_id = Some("E001".into());
    let u = db.create_user(&nu, "admin").await.unwrap();
    assert!(u.active);
    assert_eq!(db.user(u.id).await.unwrap(), u);
    assert_eq!(
        db.user_by_login("zhang.san").await.unwrap(),
        Some(u.clone())
    );
    assert_eq!(db.user_by_login("nobody").await.unwrap(), None);
    assert!(matches!(
        db.user(u.id + 100).await,
        Err(Error::NotFound { entity: "user", .. })
    ));
    // The audit row has the user but not the password hash.
    let last = audit(db).await.pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("user.create", "admin")
    );
    assert_eq!(last.entity, format!("user:{}", u.id));
    let after = last.after_json.unwrap();
    assert!(after.contains("zhang.san"), "{after}");
    assert!(!after.contains("secret-of"), "{after}");

    // A taken login: Invalid naming the login, nothing written.
    let n = audit(db).await.len();
    let err = db
        .create_user(&new_user("zhang.san", "hr"), "admin")
        .await
        .unwrap_err();
    match &err {
        Error::Invalid(m) => assert!(m.contains("zhang.san") && m.contains("已被使用"), "{m}"),
        other => panic!("expected Invalid, got {other}"),
    }
    assert_eq!(audit(db).await.len(), n);
    assert!(matches!(
        db.create_user(&new_user(" ", "hr"), "admin").await,
        Err(Error::Invalid(_))
    ));
    let v = db
        .create_user(&new_user("li.si", "hr"), "admin")
        .await
        .unwrap();
    let all: Vec<String> = db
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.login)
        .collect();
    assert_eq!(all, ["zhang.san", "li.si"]);

    // Password change: stored, audited without the hash.
    db.set_password(v.id, "$argon2id$new-secret", "li.si")
        .await
        .unwrap();
    assert_eq!(
        db.user(v.id).await.unwrap().password_hash.as_deref(),
        Some("$argon2id$new-secret")
    );
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "user.password");
    assert!(!last.after_json.unwrap_or_default().contains("new-secret"));
    assert!(matches!(
        db.set_password(v.id + 100, "x", "admin").await,
        Err(Error::NotFound { .. })
    ));

    // Deactivate: before/after audited (no hash), a second identical call writes nothing.
    db.set_user_active(v.id, false, "admin").await.unwrap();
    assert!(!db.user(v.id).await.unwrap().active);
    let rows = audit(db).await;
    let last = rows.last().unwrap();
    assert_eq!(last.action, "user.active");
    assert!(last
        .before_json
        .as_deref()
        .unwrap()
        .contains("\"active\":true"));
    assert!(last
        .after_json
        .as_deref()
        .unwrap()
        .contains("\"active\":false"));
    assert!(!last.before_json.as_deref().unwrap().contains("secret"));
    db.set_user_active(v.id, false, "admin").await.unwrap();
    assert_eq!(audit(db).await.len(), rows.len());
    db.set_user_active(v.id, true, "admin").await.unwrap();
    assert!(db.user(v.id).await.unwrap().active);
    assert!(db.verify_audit().await.unwrap().ok());
}
both!(users_round_trip);

fn t(s: &str) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(
        &chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").expect("time"),
    )
}

async fn sessions(f: &Fixture) {
    let db = &f.db;
    let u = db
        .create_user(&new_user("wang.wu", "hr"), "admin")
        .await
        .unwrap();
    let s1 = SessionRow {
        id_hash: "hash-of-session-1".into(),
        user_id: u.id,
        csrf_token: "csrf1".into(),
        created_at: t("2024-06-01 08:00:00"),
        expires_at: t("2024-06-01 16:00:00"),
    };
    // Expires half a second later than s1, and 2 s later (fractions compare correctly).
    let s2 = SessionRow {
        id_hash: "hash-of-session-2".into(),
        expires_at: t("2024-06-01 16:00:00.5"),
        ..s1.clone()
    };
    let s3 = SessionRow {
        id_hash: "hash-of-session-3".into(),
        expires_at: t("2024-06-01 16:00:02.123456"),
        ..s1.clone()
    };
    for s in [&s1, &s2, &s3] {
        db.create_session(s).await.unwrap();
    }
    assert_eq!(
        db.session("hash-of-session-2").await.unwrap(),
        Some(s2.clone())
    );
    assert_eq!(db.session("nope").await.unwrap(), None);
    // Audited as the user logging in, naming the user id, never the hash.
    let last = audit(db).await.pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("session.login", "wang.wu")
    );
    assert_eq!(last.entity, format!("user:{}", u.id));
    assert!(!last.after_json.as_deref().unwrap().contains("hash-of"));
    // The same session twice, or for an unknown user, is refused.
    assert!(matches!(
        db.create_session(&s1).await,
        Err(Error::Invalid(_))
    ));
    let ghost = SessionRow {
        id_hash: "g".into(),
        user_id: u.id + 100,
        ..s1.clone()
    };
    assert!(matches!(
        db.create_session(&ghost).await,
        Err(Error::NotFound { .. })
    ));

    // At 16:00:00.5 s1 (16:00:00) and s2 (16:00:00.5, expiry inclusive) are expired, s3 is not.
    let n = audit(db).await.len();
    assert_eq!(
        db.delete_expired_sessions(t("2024-06-01 16:00:00.5"))
            .await
            .unwrap(),
        2
    );
    assert_eq!(db.session("hash-of-session-1").await.unwrap(), None);
    assert_eq!(db.session("hash-of-session-2").await.unwrap(), None);
    assert!(db.session("hash-of-session-3").await.unwrap().is_some());
    assert_eq!(audit(db).await.len(), n + 1);
    // Nothing to delete: nothing written.
    assert_eq!(
        db.delete_expired_sessions(t("2024-06-01 16:00:01"))
            .await
            .unwrap(),
        0
    );
    assert_eq!(audit(db).await.len(), n + 1);
    // Logout deletes (allowed: no trigger) and is audited; unknown hash is a no-op.
    db.delete_session("hash-of-session-3").await.unwrap();
    assert_eq!(db.session("hash-of-session-3").await.unwrap(), None);
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "session.logout");
    db.delete_session("hash-of-session-3").await.unwrap();
    assert_eq!(audit(db).await.len(), n + 2);
    // Deactivating a user ends their sessions.
    let s4 = SessionRow {
        id_hash: "hash-of-session-4".into(),
        expires_at: Utc::now() + Duration::hours(8),
        ..s1.clone()
    };
    db.create_session(&s4).await.unwrap();
    db.set_user_active(u.id, false, "admin").await.unwrap();
    assert_eq!(db.session("hash-of-session-4").await.unwrap(), None);
    assert!(db.verify_audit().await.unwrap().ok());
}
both!(sessions);

async fn tokens(f: &Fixture) {
    let db = &f.db;
    let u = db
        .create_user(&new_user("robot", "hr"), "admin")
        .await
        .unwrap();
    let t1 = db
        .create_token(u.id, "tokhash-1", "工资导出", "admin")
        .await
        .unwrap();
    assert_eq!(
        (t1.user_id, t1.label.as_str(), t1.revoked_at),
        (u.id, "工资导出", None)
    );
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "token.create");
    assert!(!last.after_json.as_deref().unwrap().contains("tokhash"));
    assert_eq!(
        db.user_by_token("tokhash-1")
            .await
            .unwrap()
            .map(|u| u.login),
        Some("robot".into())
    );
    assert_eq!(db.user_by_token("other").await.unwrap(), None);
    // Same hash twice / unknown user: refused.
    assert!(matches!(
        db.create_token(u.id, "tokhash-1", "x", "admin").await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        db.create_token(u.id + 100, "tokhash-9", "x", "admin").await,
        Err(Error::NotFound { .. })
    ));
    let t2 = db
        .create_token(u.id, "tokhash-2", "备用", "admin")
        .await
        .unwrap();
    // An inactive user's token does not authenticate.
    db.set_user_active(u.id, false, "admin").await.unwrap();
    assert_eq!(db.user_by_token("tokhash-2").await.unwrap(), None);
    db.set_user_active(u.id, true, "admin").await.unwrap();
    assert!(db.user_by_token("tokhash-2").await.unwrap().is_some());
    // Revoked: no longer authenticates, row kept; revoking again writes nothing.
    db.revoke_token(t1.id, "admin").await.unwrap();
    assert_eq!(db.user_by_token("tokhash-1").await.unwrap(), None);
    let n = audit(db).await.len();
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "token.revoke");
    assert!(last
        .before_json
        .as_deref()
        .unwrap()
        .contains("\"revoked_at\":null"));
    db.revoke_token(t1.id, "admin").await.unwrap();
    assert_eq!(audit(db).await.len(), n);
    assert!(matches!(
        db.revoke_token(t2.id + 100, "admin").await,
        Err(Error::NotFound { .. })
    ));
    let list = db.tokens(u.id).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, t1.id);
    assert!(list[0].revoked_at.is_some());
    assert_eq!(list[1], t2);
    assert!(db.verify_audit().await.unwrap().ok());
}
both!(tokens);

#[tokio::test]
async fn bad_url_is_refused() {
    assert!(matches!(Db::connect("mysql://x").await, Err(Error::Url(_))));
}
