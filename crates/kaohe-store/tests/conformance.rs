//! One conformance suite for both backends: every test runs on a fresh SQLite file and on a
//! fresh PostgreSQL schema (postgres://postgres@127.0.0.1:5432/test, or `KAOHE_TEST_PG_URL`).
//! If PostgreSQL is unreachable the PostgreSQL tests FAIL, unless `KAOHE_SKIP_PG=1`.

use chrono::NaiveDate;
use chrono::{Duration, TimeZone, Utc};
use kaohe_store::{
    AuditEntry, AuditProblem, AuditRow, Backend, Db, Error, FactRow, HistoryEntry, NewDecision,
    NewDocument, NewPerson, NewRun, NewSignature, NewUser, SessionRow, TemplateVersion, UnitKind,
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
    assert_eq!(db.schema_version().await.unwrap(), Some(4));
    assert_eq!(db.latest_schema_version(), 4);
    // Connecting again to the same database applies nothing and keeps working.
    let again = Db::connect(&f.url).await.unwrap();
    assert_eq!(again.schema_version().await.unwrap(), Some(4));
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
    assert_eq!(new.schema_version().await.unwrap(), Some(4));
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
    // The period with its run in force, in one query: none before the first run.
    assert_eq!(
        db.period_with_latest_run(pid).await.unwrap(),
        (db.period(pid).await.unwrap(), None)
    );
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
    let (row, latest) = db.period_with_latest_run(pid).await.unwrap();
    assert_eq!(
        (row, latest),
        (
            db.period(pid).await.unwrap(),
            db.latest_run_id(pid).await.unwrap()
        )
    );
    assert_eq!(latest, Some(run.id));
    assert!(matches!(
        db.period_with_latest_run(pid + 1000).await,
        Err(kaohe_store::Error::NotFound { .. })
    ));
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

/// A stored session by its hash, without its user.
async fn session(db: &Db, id_hash: &str) -> Option<SessionRow> {
    db.session_user(id_hash).await.unwrap().map(|(s, _)| s)
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
    // The session with its user, in one query.
    assert_eq!(
        db.session_user("hash-of-session-2").await.unwrap(),
        Some((s2.clone(), db.user(u.id).await.unwrap()))
    );
    assert_eq!(db.session_user("nope").await.unwrap(), None);
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
    assert_eq!(session(db, "hash-of-session-1").await, None);
    assert_eq!(session(db, "hash-of-session-2").await, None);
    assert!(session(db, "hash-of-session-3").await.is_some());
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
    assert_eq!(session(db, "hash-of-session-3").await, None);
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
    assert_eq!(session(db, "hash-of-session-4").await, None);
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

// ---------------------------------------------------------------- period roster snapshot

/// Make inserting `person_id = 'E1500'` into `period_people` fail inside the database.
async fn poison_period_people(db: &Db) {
    match db.backend() {
        Backend::Sqlite => raw(
            db,
            "CREATE TRIGGER poison BEFORE INSERT ON period_people WHEN NEW.person_id = 'E1500' \
             BEGIN SELECT RAISE(ABORT, 'poison'); END",
        )
        .await
        .unwrap(),
        Backend::Postgres => {
            raw(
                db,
                "CREATE FUNCTION poison_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF NEW.person_id = 'E1500' THEN RAISE EXCEPTION 'poison'; END IF; \
                 RETURN NEW; END $$",
            )
            .await
            .unwrap();
            raw(
                db,
                "CREATE TRIGGER poison BEFORE INSERT ON period_people FOR EACH ROW \
                 EXECUTE FUNCTION poison_fn()",
            )
            .await
            .unwrap();
        }
    }
}

async fn period_people_snapshot(f: &Fixture) {
    let db = &f.db;
    let (_, pid) = period(db).await;
    // 2500 people, given in reverse order: read back sorted by id; crosses the SQLite batch
    // size (1000) twice. One JSON value carries a tab, newlines and backslashes (COPY escaping).
    let mut people: Vec<(String, String)> = (0..2500)
        .rev()
        .map(|i| {
            (
                format!("E{i:04}"),
                format!("{{\"name\":\"员工{i}\",\"level\":\"L1\"}}"),
            )
        })
        .collect();
    people[0].1 = "{\"name\":\"a\\\\b\\tc\",\n\t\"x\": 1}".into();
    db.set_period_people(pid, &people, "hr").await.unwrap();
    let back = db.period_people(pid).await.unwrap();
    assert_eq!(back.len(), 2500);
    assert_eq!(
        back[0],
        (
            "E0000".to_string(),
            "{\"name\":\"员工0\",\"level\":\"L1\"}".to_string()
        )
    );
    assert_eq!(back[2499].0, "E2499");
    assert_eq!(back[2499].1, people[0].1);
    let last = audit(db).await.pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.entity.clone()),
        ("period.people", format!("period:{pid}"))
    );
    assert_eq!(last.before_json.as_deref(), Some("{\"count\":0}"));
    assert!(last
        .after_json
        .as_deref()
        .unwrap()
        .contains("\"count\":2500"));

    // Replace with 3 people: the old 2500 go.
    let three: Vec<(String, String)> = ["E9", "E1", "E5"]
        .iter()
        .map(|id| (id.to_string(), "{}".to_string()))
        .collect();
    db.set_period_people(pid, &three, "hr").await.unwrap();
    let ids: Vec<String> = db
        .period_people(pid)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(ids, ["E1", "E5", "E9"]);
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.before_json.as_deref(), Some("{\"count\":2500}"));
    assert!(last.after_json.as_deref().unwrap().contains("\"count\":3"));

    // Refused before writing: a repeated id, bad JSON, an empty id, an unknown period.
    let n = audit(db).await.len();
    let mut dup = three.clone();
    dup.push(("E5".into(), "{}".into()));
    let err = db.set_period_people(pid, &dup, "hr").await.unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(m) if m.contains("E5")),
        "{err}"
    );
    let bad = vec![("E7".to_string(), "{not json".to_string())];
    assert!(
        matches!(db.set_period_people(pid, &bad, "hr").await, Err(Error::Invalid(m)) if m.contains("E7"))
    );
    let empty = vec![(" ".to_string(), "{}".to_string())];
    assert!(matches!(
        db.set_period_people(pid, &empty, "hr").await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        db.set_period_people(pid + 99, &three, "hr").await,
        Err(Error::NotFound { .. })
    ));
    // Refused by the database at row E1500, after the old rows were deleted and the first
    // batch written: everything rolls back.
    poison_period_people(db).await;
    let err = db.set_period_people(pid, &people, "hr").await.unwrap_err();
    assert!(matches!(err, Error::Db(_)), "{err}");
    let ids: Vec<String> = db
        .period_people(pid)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(ids, ["E1", "E5", "E9"]);
    assert_eq!(audit(db).await.len(), n);
    // Emptying a snapshot is allowed.
    db.set_period_people(pid, &[], "hr").await.unwrap();
    assert!(db.period_people(pid).await.unwrap().is_empty());
    assert!(db.verify_audit().await.unwrap().ok());
}
both!(period_people_snapshot);

// ---------------------------------------------------------------- decisions

async fn decisions(f: &Fixture) {
    let db = &f.db;
    let (_, pid) = period(db).await;
    let tie = NewDecision {
        period_id: pid,
        kind: "tie".into(),
        subject: Some("E001,E002".into()),
        body_json: "{\"winner\":\"E002\"}".into(),
        reason: Some("P8.4 抽签".into()),
    };
    let d1 = db.add_decision(&tie, "mgr").await.unwrap();
    assert_eq!(
        (d1.decided_by.as_str(), d1.body_json.as_str()),
        ("mgr", "{\"winner\":\"E002\"}")
    );
    let last = audit(db).await.pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.reason.as_deref()),
        ("decision.add", Some("P8.4 抽签"))
    );
    assert_eq!(last.entity, format!("decision:{}", d1.id));
    let approve = NewDecision {
        kind: "approve".into(),
        subject: None,
        body_json: "true".into(),
        reason: None,
        ..tie.clone()
    };
    let d2 = db.add_decision(&approve, "boss").await.unwrap();
    assert_eq!(
        db.decisions(pid, None).await.unwrap(),
        vec![d1.clone(), d2.clone()]
    );
    assert_eq!(
        db.decisions(pid, Some("tie")).await.unwrap(),
        vec![d1.clone()]
    );
    assert!(db.decisions(pid, Some("other")).await.unwrap().is_empty());
    // Not JSON / no kind / unknown period: refused, nothing written.
    let n = audit(db).await.len();
    let bad = NewDecision {
        body_json: "winner=E002".into(),
        ..tie.clone()
    };
    assert!(matches!(
        db.add_decision(&bad, "mgr").await,
        Err(Error::Invalid(_))
    ));
    let bad = NewDecision {
        kind: "".into(),
        ..tie.clone()
    };
    assert!(matches!(
        db.add_decision(&bad, "mgr").await,
        Err(Error::Invalid(_))
    ));
    let bad = NewDecision {
        period_id: pid + 99,
        ..tie.clone()
    };
    assert!(matches!(
        db.add_decision(&bad, "mgr").await,
        Err(Error::Db(_))
    ));
    assert_eq!(audit(db).await.len(), n);
    // Immutable.
    for sql in [
        format!(
            "UPDATE decisions SET body_json = '{{}}' WHERE id = {}",
            d1.id
        ),
        format!("DELETE FROM decisions WHERE id = {}", d1.id),
    ] {
        assert!(raw(db, &sql).await.is_err(), "allowed: {sql}");
    }
    assert_eq!(db.decisions(pid, Some("tie")).await.unwrap(), vec![d1]);
}
both!(decisions);

// ---------------------------------------------------------------- documents

async fn documents(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    let (_, pid) = period(db).await;
    let doc = NewDocument {
        kind: "notice".into(),
        person_id: Some("E001".into()),
        period_id: Some(pid),
        title: "考核结果通知书".into(),
        file_name: "通知书.txt".into(),
        mime: "text/plain".into(),
        bytes: b"abc".to_vec(),
    };
    let m1 = db.store_document(&doc, "hr").await.unwrap();
    // sha256("abc"), the FIPS 180-2 test vector.
    assert_eq!(
        m1.hash,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!((m1.size, m1.created_by.as_str()), (3, "hr"));
    let (meta, bytes) = db.document(m1.id).await.unwrap();
    assert_eq!((meta, bytes), (m1.clone(), b"abc".to_vec()));
    // The audit row has the metadata and hash, not the content.
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "document.store");
    let after = last.after_json.unwrap();
    assert!(
        after.contains(&m1.hash) && after.contains("通知书.txt"),
        "{after}"
    );
    assert!(!after.contains("\"bytes\""), "{after}");
    // Binary bytes with NULs and 0xff survive; no person, no period.
    let scan = NewDocument {
        kind: "signed_scan".into(),
        person_id: None,
        period_id: None,
        title: String::new(),
        file_name: "scan.pdf".into(),
        mime: "application/pdf".into(),
        bytes: vec![0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x00, 0x0a],
    };
    let m2 = db.store_document(&scan, "hr").await.unwrap();
    assert_eq!(db.document(m2.id).await.unwrap().1, scan.bytes);
    assert_eq!(db.document(m2.id).await.unwrap().0.size, 8);
    assert_eq!(
        db.documents(None, None).await.unwrap(),
        vec![m1.clone(), m2.clone()]
    );
    assert_eq!(
        db.documents(Some(pid), None).await.unwrap(),
        vec![m1.clone()]
    );
    assert_eq!(
        db.documents(None, Some("E001")).await.unwrap(),
        vec![m1.clone()]
    );
    assert_eq!(
        db.documents(Some(pid), Some("E001")).await.unwrap(),
        vec![m1.clone()]
    );
    assert!(db
        .documents(Some(pid), Some("E999"))
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        db.document(m2.id + 9).await,
        Err(Error::NotFound { .. })
    ));
    let bad = NewDocument {
        file_name: " ".into(),
        ..doc.clone()
    };
    assert!(matches!(
        db.store_document(&bad, "hr").await,
        Err(Error::Invalid(_))
    ));
    for sql in [
        format!("UPDATE documents SET hash = 'x' WHERE id = {}", m1.id),
        format!("DELETE FROM documents WHERE id = {}", m1.id),
    ] {
        assert!(raw(db, &sql).await.is_err(), "allowed: {sql}");
    }
    assert_eq!(db.document(m1.id).await.unwrap().0.hash, m1.hash);
}
both!(documents);

// ---------------------------------------------------------------- signatures

async fn signatures(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    person(db, "E002", dept).await;
    let (vid, pid) = period(db).await;
    let run = db
        .store_run(
            &NewRun {
                period_id: pid,
                policy_version_id: vid,
                inputs_hash: "h".into(),
                result_json: "{}".into(),
            },
            "hr",
        )
        .await
        .unwrap();
    let sig = NewSignature {
        period_id: pid,
        person_id: "E001".into(),
        run_id: Some(run.id),
        subject: "score".into(),
        kind: "signed".into(),
        note: None,
    };
    let s1 = db.add_signature(&sig, "hr").await.unwrap();
    assert_eq!(
        (s1.recorded_by.as_str(), s1.kind.as_str()),
        ("hr", "signed")
    );
    let last = audit(db).await.pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.entity.clone()),
        ("signature.add", format!("signature:{}", s1.id))
    );
    // A second signature, or a refusal, for the same period, person, subject and run: refused.
    let n = audit(db).await.len();
    for kind in ["signed", "refused"] {
        let again = NewSignature {
            kind: kind.into(),
            ..sig.clone()
        };
        match db.add_signature(&again, "hr").await {
            Err(Error::Invalid(m)) => assert!(
                m.contains("already recorded") && m.contains("已记录"),
                "{m}"
            ),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
    assert_eq!(audit(db).await.len(), n);
    // The elimination list is another subject; without a run twice is refused too.
    let list = NewSignature {
        subject: "elimination_list".into(),
        kind: "refused".into(),
        run_id: None,
        note: Some("拒签，见证人：王五".into()),
        ..sig.clone()
    };
    let s2 = db.add_signature(&list, "hr").await.unwrap();
    assert!(matches!(
        db.add_signature(&list, "hr").await,
        Err(Error::Invalid(_))
    ));
    let s3 = db
        .add_signature(
            &NewSignature {
                person_id: "E002".into(),
                ..sig.clone()
            },
            "mgr",
        )
        .await
        .unwrap();
    assert_eq!(db.signatures(pid).await.unwrap(), vec![s1.clone(), s2, s3]);
    // Bad subject / kind / a run of another period.
    assert!(matches!(
        db.add_signature(
            &NewSignature {
                subject: "bonus".into(),
                ..sig.clone()
            },
            "hr"
        )
        .await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        db.add_signature(
            &NewSignature {
                kind: "maybe".into(),
                ..sig.clone()
            },
            "hr"
        )
        .await,
        Err(Error::Invalid(_))
    ));
    let p2 = db
        .create_period(vid, "2024-06", 24293, None, "open", "admin")
        .await
        .unwrap();
    assert!(matches!(
        db.add_signature(
            &NewSignature {
                period_id: p2.id,
                ..sig.clone()
            },
            "hr"
        )
        .await,
        Err(Error::Invalid(_))
    ));
    for sql in [
        format!(
            "UPDATE signatures SET kind = 'refused' WHERE id = {}",
            s1.id
        ),
        format!("DELETE FROM signatures WHERE id = {}", s1.id),
    ] {
        assert!(raw(db, &sql).await.is_err(), "allowed: {sql}");
    }
    assert!(db.verify_audit().await.unwrap().ok());
}
both!(signatures);

// ---------------------------------------------------------------- appeals

async fn appeals(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    let (_, pid) = period(db).await;
    let a = db
        .file_appeal(pid, "E001", "回款漏计 12 万（P4.10）", "E001")
        .await
        .unwrap();
    assert_eq!(
        (a.state.as_str(), a.row_version, a.decided_by.clone()),
        ("filed", 1, None)
    );
    assert_eq!(db.appeal(a.id).await.unwrap(), a);
    assert!(matches!(
        db.file_appeal(pid, "E001", " ", "E001").await,
        Err(Error::Invalid(_))
    ));
    // Accept: who and when recorded, version 2; audited before and after.
    let b = db
        .update_appeal(a.id, 1, "accepted", Some("核实属实"), "mgr")
        .await
        .unwrap();
    assert_eq!((b.state.as_str(), b.row_version), ("accepted", 2));
    assert_eq!(
        (b.decided_by.as_deref(), b.decision_note.as_deref()),
        (Some("mgr"), Some("核实属实"))
    );
    assert!(b.decided_at.is_some());
    assert_eq!(db.appeal(a.id).await.unwrap(), b);
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "appeal.update");
    assert!(last
        .before_json
        .as_deref()
        .unwrap()
        .contains("\"state\":\"filed\""));
    assert!(last
        .after_json
        .as_deref()
        .unwrap()
        .contains("\"state\":\"accepted\""));
    // A stale version: Conflict with the current row, nothing changed.
    match db
        .update_appeal(a.id, 1, "rejected", Some("x"), "boss")
        .await
    {
        Err(Error::Conflict {
            current_version,
            current,
            entity,
            ..
        }) => {
            assert_eq!((entity, current_version), ("appeal", 2));
            assert_eq!(current["state"], "accepted");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Republished: the decision (who, when, note) stays.
    let c = db
        .update_appeal(a.id, 2, "republished", None, "hr")
        .await
        .unwrap();
    assert_eq!((c.state.as_str(), c.row_version), ("republished", 3));
    assert_eq!(
        (c.decided_by.as_deref(), c.decided_at),
        (Some("mgr"), b.decided_at)
    );
    assert_eq!(c.decision_note.as_deref(), Some("核实属实"));
    let a2 = db.file_appeal(pid, "E001", "第二次", "E001").await.unwrap();
    let r = db
        .update_appeal(a2.id, 1, "rejected", Some("无依据"), "boss")
        .await
        .unwrap();
    assert_eq!(r.decided_by.as_deref(), Some("boss"));
    assert_eq!(db.appeals(pid).await.unwrap(), vec![c, r]);
    assert!(matches!(
        db.update_appeal(a2.id + 9, 1, "accepted", None, "x").await,
        Err(Error::NotFound { .. })
    ));
}
both!(appeals);

// ---------------------------------------------------------------- acknowledgements

async fn acknowledgements(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    person(db, "E002", dept).await;
    let (vid, _) = period(db).await;
    let a1 = db.acknowledge(vid, "E001", "web", "E001").await.unwrap();
    assert_eq!((a1.policy_version_id, a1.method.as_str()), (vid, "web"));
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "policy.acknowledge");
    // Twice: the first row back, no new audit row.
    let n = audit(db).await.len();
    let again = db.acknowledge(vid, "E001", "paper", "hr").await.unwrap();
    assert_eq!(again, a1);
    assert_eq!(audit(db).await.len(), n);
    let a2 = db.acknowledge(vid, "E002", "paper", "hr").await.unwrap();
    assert_eq!(db.acknowledgements(vid).await.unwrap(), vec![a1, a2]);
    assert!(db.acknowledge(vid, "E999", "web", "hr").await.is_err());
    assert!(matches!(
        db.acknowledge(vid, "E002", "", "hr").await,
        Err(Error::Invalid(_))
    ));
}
both!(acknowledgements);

// ---------------------------------------------------------------- protected statuses

async fn protected_statuses(f: &Fixture) {
    let db = &f.db;
    let (_, dept, _) = tree(db).await;
    person(db, "E001", dept).await;
    person(db, "E002", dept).await;
    let p1 = db
        .add_protected_status(
            "E001",
            "孕期",
            d("2024-03-01"),
            None,
            Some("医院证明"),
            None,
            "hr",
        )
        .await
        .unwrap();
    assert_eq!(
        (p1.recorded_by.as_str(), p1.to_date, p1.supersedes),
        ("hr", None, None)
    );
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "protected_status.add");
    // A correction supersedes; only the new row is current; the old row stays in the table.
    let p2 = db
        .add_protected_status(
            "E001",
            "孕期",
            d("2024-02-15"),
            Some(d("2024-11-30")),
            None,
            Some(p1.id),
            "hr",
        )
        .await
        .unwrap();
    let last = audit(db).await.pop().unwrap();
    assert!(last.before_json.is_some());
    let p3 = db
        .add_protected_status(
            "E001",
            "医疗期",
            d("2023-01-01"),
            Some(d("2023-01-01")),
            None,
            None,
            "hr",
        )
        .await
        .unwrap();
    // By start date: the 2023 medical period first.
    assert_eq!(
        db.protected_statuses("E001").await.unwrap(),
        vec![p3, p2.clone()]
    );
    assert!(db.protected_statuses("E002").await.unwrap().is_empty());
    let n = audit(db).await.len();
    // End before start: Invalid, in both languages.
    match db
        .add_protected_status(
            "E001",
            "孕期",
            d("2024-03-01"),
            Some(d("2024-02-29")),
            None,
            None,
            "hr",
        )
        .await
    {
        Err(Error::Invalid(m)) => assert!(m.contains("早于") && m.contains("before"), "{m}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
    // Superseding p1 again, another person's row, or an unknown row: refused.
    assert!(matches!(
        db.add_protected_status(
            "E001",
            "孕期",
            d("2024-03-01"),
            None,
            None,
            Some(p1.id),
            "hr"
        )
        .await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        db.add_protected_status(
            "E002",
            "孕期",
            d("2024-03-01"),
            None,
            None,
            Some(p2.id),
            "hr"
        )
        .await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        db.add_protected_status(
            "E001",
            "孕期",
            d("2024-03-01"),
            None,
            None,
            Some(p2.id + 99),
            "hr"
        )
        .await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(audit(db).await.len(), n);
    for sql in [
        format!(
            "UPDATE protected_statuses SET kind = 'x' WHERE id = {}",
            p1.id
        ),
        format!("DELETE FROM protected_statuses WHERE id = {}", p1.id),
    ] {
        assert!(raw(db, &sql).await.is_err(), "allowed: {sql}");
    }
}
both!(protected_statuses);

// ---------------------------------------------------------------- calendar years

async fn calendar_years(f: &Fixture) {
    let db = &f.db;
    let t2025 = "[holidays]\n\"2025-10-01\" = \"国庆节\"\n";
    db.add_calendar_year(2025, t2025, "admin").await.unwrap();
    db.add_calendar_year(2024, "[holidays]\n", "admin")
        .await
        .unwrap();
    let last = audit(db).await.pop().unwrap();
    assert_eq!(
        (
            last.action.as_str(),
            last.entity.as_str(),
            last.before_json.clone()
        ),
        ("calendar.year", "calendar:2024", None)
    );
    assert_eq!(
        db.calendar_years().await.unwrap(),
        vec![
            (2024, "[holidays]\n".to_string()),
            (2025, t2025.to_string())
        ]
    );
    // Replacing: before and after audited.
    let t2025b = "[holidays]\n\"2025-10-01\" = \"国庆节\"\n\"2025-10-08\" = \"国庆节\"\n";
    db.add_calendar_year(2025, t2025b, "admin").await.unwrap();
    let last = audit(db).await.pop().unwrap();
    assert!(last.before_json.as_deref().unwrap().contains("2025-10-01"));
    assert!(last.after_json.as_deref().unwrap().contains("2025-10-08"));
    assert_eq!(db.calendar_years().await.unwrap()[1].1, t2025b);
    // The same text again writes nothing; a bad year or empty text is refused.
    let n = audit(db).await.len();
    db.add_calendar_year(2025, t2025b, "admin").await.unwrap();
    assert_eq!(audit(db).await.len(), n);
    assert!(matches!(
        db.add_calendar_year(25, t2025, "admin").await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        db.add_calendar_year(2026, " ", "admin").await,
        Err(Error::Invalid(_))
    ));
}
both!(calendar_years);

// ---------------------------------------------------------------- people and org helpers

async fn roster_upsert(f: &Fixture) {
    let db = &f.db;
    let (_, a, b) = tree(db).await;
    let p = NewPerson {
        id: "E001".into(),
        name: "张三".into(),
        hire_date: Some(d("2023-07-01")),
    };
    assert_eq!(db.person("E001").await.unwrap(), None);
    // New: added with the entry.
    db.upsert_person_from_roster(&p, &entry(a, "L1", "2024-05-01"), "hr")
        .await
        .unwrap();
    assert_eq!(
        db.person("E001").await.unwrap(),
        Some((
            "E001".to_string(),
            "张三".to_string(),
            Some(d("2023-07-01"))
        ))
    );
    assert_eq!(audit(db).await.pop().unwrap().action, "person.add");
    // The same situation again (June roster, nothing changed): no write, no audit row.
    let n = audit(db).await.len();
    db.upsert_person_from_roster(&p, &entry(a, "L1", "2024-06-01"), "hr")
        .await
        .unwrap();
    assert_eq!(audit(db).await.len(), n);
    assert_eq!(db.person_history("E001").await.unwrap().len(), 1);
    // July: moved to department B: a history change from 2024-07-01.
    db.upsert_person_from_roster(&p, &entry(b, "L1", "2024-07-01"), "hr")
        .await
        .unwrap();
    let h = db.person_history("E001").await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!((h[0].valid_to, h[1].unit_id), (Some(d("2024-07-01")), b));
    let last = audit(db).await.pop().unwrap();
    assert_eq!(last.action, "person.change");
    assert!(last
        .before_json
        .as_deref()
        .unwrap()
        .contains(&format!("\"unit_id\":{a}")));
    // Re-importing May's roster: as of 2024-05-01 they were in A, L1: nothing to do.
    let n = audit(db).await.len();
    db.upsert_person_from_roster(&p, &entry(a, "L1", "2024-05-01"), "hr")
        .await
        .unwrap();
    assert_eq!(audit(db).await.len(), n);
    // A May roster that disagrees with the stored May does not rewrite history (the later
    // entry stands; the May period keeps its own roster snapshot).
    db.upsert_person_from_roster(&p, &entry(a, "L2", "2024-05-15"), "hr")
        .await
        .unwrap();
    assert_eq!(db.person_history("E001").await.unwrap().len(), 2);
    assert_eq!(audit(db).await.len(), n);
    // The same day again with a correction: the entry is corrected in place, on record.
    db.upsert_person_from_roster(&p, &entry(b, "L3", "2024-07-01"), "hr")
        .await
        .unwrap();
    let h = db.person_history("E001").await.unwrap();
    assert_eq!((h.len(), h[1].level.as_deref()), (2, Some("L3")));
    assert_eq!(audit(db).await.pop().unwrap().action, "person.correct");
    let nameless = NewPerson {
        name: "".into(),
        ..p.clone()
    };
    assert!(matches!(
        db.upsert_person_from_roster(&nameless, &entry(a, "L1", "2024-08-01"), "hr")
            .await,
        Err(Error::Invalid(_))
    ));
}
both!(roster_upsert);

async fn org_helpers(f: &Fixture) {
    let db = &f.db;
    let (branch, a, _) = tree(db).await;
    let g = db.unit_by_name(None, "集团").await.unwrap().unwrap();
    assert_eq!((g.kind, g.parent_id), (UnitKind::Group, None));
    assert_eq!(
        db.unit_by_name(Some(branch), "销售一部")
            .await
            .unwrap()
            .map(|u| u.id),
        Some(a)
    );
    assert_eq!(db.unit_by_name(None, "销售一部").await.unwrap(), None);
    assert_eq!(
        db.unit_by_name(Some(branch), "销售九部").await.unwrap(),
        None
    );
    // Existing: returned, no audit row.
    let n = audit(db).await.len();
    let same = db
        .ensure_unit(Some(branch), UnitKind::Department, "销售一部", "hr")
        .await
        .unwrap();
    assert_eq!(same.id, a);
    assert_eq!(audit(db).await.len(), n);
    // Missing: added and audited; a second call returns it.
    let p = db
        .ensure_unit(Some(branch), UnitKind::Project, "滨江项目", "hr")
        .await
        .unwrap();
    assert_eq!(audit(db).await.len(), n + 1);
    assert_eq!(
        db.ensure_unit(Some(branch), UnitKind::Project, "滨江项目", "hr")
            .await
            .unwrap(),
        p
    );
    // Same name, other kind: refused; wrong place in the tree: refused.
    assert!(matches!(
        db.ensure_unit(Some(branch), UnitKind::Department, "滨江项目", "hr")
            .await,
        Err(Error::Invalid(_))
    ));
    assert!(db
        .ensure_unit(Some(a), UnitKind::Region, "错", "hr")
        .await
        .is_err());
    assert_eq!(audit(db).await.len(), n + 1);
}
both!(org_helpers);

// ---------------------------------------------------------------- upgrade 2 → 3

async fn upgrade_2_to_3_on(url: String) {
    let old = Db::connect_without_migrating(&url).await.unwrap();
    old.migrate_to(2).await.unwrap();
    assert_eq!(old.schema_version().await.unwrap(), Some(2));
    let (_, dept, _) = tree(&old).await;
    person(&old, "E001", dept).await;
    let (_, pid) = period(&old).await;
    let u = old
        .create_user(&new_user("old.user", "hr"), "admin")
        .await
        .unwrap();
    old.create_token(u.id, "old-token", "旧令牌", "admin")
        .await
        .unwrap();
    let app = old
        .file_appeal(pid, "E001", "旧申诉", "E001")
        .await
        .unwrap();
    // Rows written by hand in version 2 (no API for them then).
    raw(
        &old,
        &format!(
            "INSERT INTO signatures (period_id, person_id, kind, at) \
             VALUES ({pid}, 'E001', 'signed', '2024-06-01T00:00:00+00:00')"
        ),
    )
    .await
    .unwrap();
    raw(
        &old,
        &format!(
            "INSERT INTO decisions (period_id, kind, body_json, decided_by, decided_at) \
             VALUES ({pid}, 'tie', '{{}}', 'mgr', '2024-06-01T00:00:00+00:00')"
        ),
    )
    .await
    .unwrap();
    // Version 3 tables do not exist yet; version 2 tables can still be changed.
    assert!(old.calendar_years().await.is_err());
    raw(&old, "UPDATE decisions SET reason = 'ok'")
        .await
        .unwrap();
    old.close().await;

    let new = Db::connect(&url).await.unwrap();
    assert_eq!(new.schema_version().await.unwrap(), Some(4));
    assert_eq!(new.units().await.unwrap().len(), 5);
    assert_eq!(new.user(u.id).await.unwrap().login, "old.user");
    assert_eq!(
        new.user_by_token("old-token").await.unwrap().map(|u| u.id),
        Some(u.id)
    );
    assert_eq!(new.appeal(app.id).await.unwrap(), app);
    // The old signature reads back with the default subject and no recorder.
    let sigs = new.signatures(pid).await.unwrap();
    assert_eq!(sigs.len(), 1);
    assert_eq!(
        (sigs[0].subject.as_str(), sigs[0].recorded_by.as_str()),
        ("score", "")
    );
    // …and blocks a second score signature without a run.
    let again = NewSignature {
        period_id: pid,
        person_id: "E001".into(),
        run_id: None,
        subject: "score".into(),
        kind: "refused".into(),
        note: None,
    };
    assert!(matches!(
        new.add_signature(&again, "hr").await,
        Err(Error::Invalid(_))
    ));
    let decs = new.decisions(pid, Some("tie")).await.unwrap();
    assert_eq!((decs.len(), decs[0].reason.as_deref()), (1, Some("ok")));
    // Now immutable.
    assert!(raw(&new, "UPDATE decisions SET reason = 'changed'")
        .await
        .is_err());
    new.add_calendar_year(2025, "[holidays]\n", "admin")
        .await
        .unwrap();
    assert!(new.verify_audit().await.unwrap().ok());
}

mod migrations_upgrade_from_2 {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        let (_dir, url) = super::Fixture::sqlite_url();
        super::upgrade_2_to_3_on(url).await;
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
            super::upgrade_2_to_3_on(url).await;
        }
    }
}

#[tokio::test]
async fn bad_url_is_refused() {
    assert!(matches!(Db::connect("mysql://x").await, Err(Error::Url(_))));
}

/// A roster import is one transaction: people, their history and the period's snapshot all
/// land, or (one bad unit) none of them do.
async fn roster_import_all_or_nothing(f: &Fixture) {
    let db = &f.db;
    let (branch, dept, _) = tree(db).await;
    let (_, period) = period(db).await;
    let row = |id: &str, unit: i64| {
        (
            NewPerson {
                id: id.into(),
                name: format!("员工{id}"),
                hire_date: Some(d("2023-01-01")),
            },
            HistoryEntry {
                unit_id: unit,
                post: Some("销售人员".into()),
                level: None,
                status: None,
                valid_from: d("2024-05-01"),
            },
        )
    };
    let snap = |ids: &[&str]| -> Vec<(String, String)> {
        ids.iter()
            .map(|i| (i.to_string(), format!("{{\"id\":\"{i}\"}}")))
            .collect()
    };
    // A unit that does not exist: nothing at all is written.
    let bad = vec![row("R1", branch), row("R2", 999_999)];
    assert!(db
        .import_roster(period, &bad, &snap(&["R1", "R2"]), "hr")
        .await
        .is_err());
    assert!(
        db.person("R1").await.unwrap().is_none(),
        "R1 must not survive a failed import"
    );
    assert!(db.period_people(period).await.unwrap().is_empty());
    // A good import: both people and the snapshot.
    let good = vec![row("R1", branch), row("R2", dept)];
    db.import_roster(period, &good, &snap(&["R1", "R2"]), "hr")
        .await
        .unwrap();
    assert!(db.person("R2").await.unwrap().is_some());
    assert_eq!(db.period_people(period).await.unwrap().len(), 2);
    // Again with R2 moved: one history change, the snapshot replaced.
    let moved = vec![row("R1", branch), row("R2", branch)];
    db.import_roster(period, &moved, &snap(&["R1", "R2"]), "hr")
        .await
        .unwrap();
    let r2 = db
        .person_as_of("R2", d("2024-05-02"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r2.unit_id, branch);
    assert!(db.verify_audit().await.unwrap().ok());
}
both!(roster_import_all_or_nothing);

// ---------------------------------------------------------------- document templates

async fn templates(f: &Fixture) {
    let db = &f.db;
    assert_eq!(db.current_template("warning_letter").await.unwrap(), None);
    assert!(db.current_templates().await.unwrap().is_empty());
    // First save, based on the built-in default (version 0).
    let v1 = db
        .save_template(
            "warning_letter",
            "# 警告函 v1",
            false,
            0,
            "统一措辞",
            "admin",
        )
        .await
        .unwrap();
    assert_eq!((v1.version, v1.is_default), (1, false));
    assert_eq!(v1.updated_by, "admin");
    assert_eq!(v1.hash.len(), 64);
    // A stale save (still based on 0) is a conflict carrying the current version; nothing
    // is written.
    match db
        .save_template("warning_letter", "# 警告函 x", false, 0, "x", "hr")
        .await
    {
        Err(Error::Conflict {
            current_version,
            current,
            ..
        }) => {
            assert_eq!(current_version, 1);
            assert_eq!(current["text"], "# 警告函 v1");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Based on the wrong version when none is saved: conflict at 0.
    assert!(matches!(
        db.save_template("monthly_summary", "x", false, 3, "x", "admin")
            .await,
        Err(Error::Conflict {
            current_version: 0,
            ..
        })
    ));
    // Empty text or reason: refused.
    for (text, reason) in [(" ", "r"), ("t", " ")] {
        assert!(matches!(
            db.save_template("warning_letter", text, false, 1, reason, "admin")
                .await,
            Err(Error::Invalid(_))
        ));
    }
    let v2 = db
        .save_template("warning_letter", "# 警告函 v2", false, 1, "再改", "admin")
        .await
        .unwrap();
    let v3 = db
        .save_template("warning_letter", "# default", true, 2, "恢复默认", "admin")
        .await
        .unwrap();
    assert_eq!((v3.version, v3.is_default), (3, true));
    assert_eq!(
        db.current_template("warning_letter").await.unwrap(),
        Some(v3.clone())
    );
    // History keeps every version, newest first.
    let h: Vec<TemplateVersion> = db.template_history("warning_letter").await.unwrap();
    assert_eq!(h, vec![v3.clone(), v2.clone(), v1.clone()]);
    assert_eq!(db.template_version("warning_letter", 1).await.unwrap(), v1);
    assert!(matches!(
        db.template_version("warning_letter", 9).await,
        Err(Error::NotFound { .. })
    ));
    let s1 = db
        .save_template("monthly_summary", "# 汇总", false, 0, "新", "admin")
        .await
        .unwrap();
    assert_eq!(
        db.current_templates().await.unwrap(),
        vec![s1.clone(), v3.clone()]
    );
    // Audit: one row per save, with before, after and why.
    let rows: Vec<AuditRow> = audit(db)
        .await
        .into_iter()
        .filter(|r| r.entity == "template:warning_letter")
        .collect();
    assert_eq!(
        rows.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        vec!["template.save", "template.save", "template.revert"]
    );
    assert!(rows[0].before_json.is_none());
    assert!(rows[1]
        .before_json
        .as_deref()
        .unwrap()
        .contains("警告函 v1"));
    assert!(rows[1].after_json.as_deref().unwrap().contains("警告函 v2"));
    assert_eq!(rows[2].reason.as_deref(), Some("恢复默认"));
    // Saved versions cannot be changed or deleted.
    for sql in [
        format!("UPDATE doc_templates SET text = 'x' WHERE id = {}", v1.id),
        format!("DELETE FROM doc_templates WHERE id = {}", v1.id),
    ] {
        assert!(raw(db, &sql).await.is_err(), "allowed: {sql}");
    }
    assert!(db.verify_audit().await.unwrap().ok());
    // A generated document records the template version it used.
    let doc = NewDocument {
        kind: "warning_letter".into(),
        person_id: None,
        period_id: None,
        title: "警告函".into(),
        file_name: "w.pdf".into(),
        mime: "application/pdf".into(),
        bytes: b"%PDF".to_vec(),
    };
    let m = db
        .store_generated_document(&doc, Some(3), "hr")
        .await
        .unwrap();
    assert_eq!(m.template_version, Some(3));
    assert_eq!(db.document(m.id).await.unwrap().0.template_version, Some(3));
    let last = audit(db).await.pop().unwrap();
    assert!(
        last.after_json
            .as_deref()
            .unwrap()
            .contains("\"template_version\":3"),
        "{last:?}"
    );
    let plain = db.store_document(&doc, "hr").await.unwrap();
    assert_eq!(plain.template_version, None);
}
both!(templates);

/// Two admins save on the same version at once: exactly one wins, the other gets a conflict.
async fn templates_concurrent(f: &Fixture) {
    let db = &f.db;
    let a = db.save_template("written_notice", "a", false, 0, "a", "admin");
    let b = db.save_template("written_notice", "b", false, 0, "b", "hr");
    let (a, b) = tokio::join!(a, b);
    assert!(a.is_ok() != b.is_ok(), "exactly one save wins: {a:?} {b:?}");
    let loser = if a.is_ok() { b } else { a };
    assert!(matches!(loser, Err(Error::Conflict { .. })), "{loser:?}");
    assert_eq!(
        db.template_history("written_notice").await.unwrap().len(),
        1
    );
}
both!(templates_concurrent);

// ---------------------------------------------------------------- upgrade 3 → 4

async fn upgrade_3_to_4_on(url: String) {
    let old = Db::connect_without_migrating(&url).await.unwrap();
    old.migrate_to(3).await.unwrap();
    assert_eq!(old.schema_version().await.unwrap(), Some(3));
    raw(
        &old,
        "INSERT INTO documents (kind, path, hash, created_at, file_name, mime, created_by, \
         title) VALUES ('notice', 'n.txt', 'h', '2024-06-01T00:00:00+00:00', 'n.txt', \
         'text/plain', 'hr', '旧文书')",
    )
    .await
    .unwrap();
    // Version 4 tables do not exist yet.
    assert!(old.current_template("warning_letter").await.is_err());
    old.close().await;

    let new = Db::connect(&url).await.unwrap();
    assert_eq!(new.schema_version().await.unwrap(), Some(4));
    let docs = new.documents(None, None).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(
        (docs[0].title.as_str(), docs[0].template_version),
        ("旧文书", None)
    );
    assert_eq!(new.current_template("warning_letter").await.unwrap(), None);
    new.save_template("warning_letter", "t", false, 0, "r", "admin")
        .await
        .unwrap();
}

mod migrations_upgrade_from_3 {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        let (_dir, url) = super::Fixture::sqlite_url();
        super::upgrade_3_to_4_on(url).await;
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
            super::upgrade_3_to_4_on(url).await;
        }
    }
}
