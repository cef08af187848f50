//! Import speed (导入速度) for BENCHMARKS.md: imports N synthetic fact rows (default 1,000,000)
//! in one all-or-nothing import into a fresh SQLite file and into a fresh PostgreSQL schema, and
//! prints the time of each.
//!
//! ```text
//! cargo run --release -p kaohe-store --example import_bench -- [ROWS] [PG_URL|skip]
//! ```
//! PG_URL defaults to postgres://postgres@127.0.0.1:5432/test; `skip` runs SQLite only.

use kaohe_store::{Db, FactRow, HistoryEntry, NewPerson, UnitKind};
use std::time::Instant;

const PEOPLE: usize = 2_000;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let pg = args
        .next()
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return eprintln!("temp dir: {e}"),
    };
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    if let Err(e) = run("SQLite", &url, rows).await {
        eprintln!("SQLite: {e}");
    }
    if pg != "skip" {
        let schema = format!("kaohe_bench_{}", std::process::id());
        if let Err(e) = pg_bench(&pg, &schema, rows).await {
            eprintln!("PostgreSQL: {e}");
        }
    }
}

async fn pg_bench(base: &str, schema: &str, rows: usize) -> Result<(), Box<dyn std::error::Error>> {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(base).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut admin)
        .await?;
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let result = run("PostgreSQL", &url, rows).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut admin)
        .await?;
    result
}

async fn run(name: &str, url: &str, rows: usize) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::connect(url).await?;
    let g = db.add_unit(None, UnitKind::Group, "集团", "bench").await?;
    let r = db
        .add_unit(Some(g.id), UnitKind::Region, "区域", "bench")
        .await?;
    let b = db
        .add_unit(Some(r.id), UnitKind::Branch, "分公司", "bench")
        .await?;
    let people = PEOPLE.min(rows.max(1));
    let t = Instant::now();
    for i in 0..people {
        let p = NewPerson {
            id: format!("E{i:05}"),
            name: format!("员工{i}"),
            hire_date: None,
        };
        let h = HistoryEntry {
            unit_id: b.id,
            post: None,
            level: None,
            status: None,
            valid_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).ok_or("date")?,
        };
        db.add_person(&p, &h, "bench").await?;
    }
    let roster = t.elapsed();
    let (v, _) = db
        .store_policy("bench", "1", "[policy]\n", None, None, "bench")
        .await?;
    let period = db
        .create_period(v.id, "2024-05", 24292, None, "open", "bench")
        .await?;
    let facts: Vec<FactRow> = (0..rows)
        .map(|i| FactRow {
            person_id: format!("E{:05}", i % people),
            input_id: format!("input_{}", i / people),
            value: format!("{}.{:02}", i % 100_000, i % 100),
            source_row: Some(i as i64 + 2),
        })
        .collect();
    let t = Instant::now();
    db.import_facts(period.id, "bench.xlsx", &facts, "bench")
        .await?;
    let import = t.elapsed();
    let stored = db.fact_count(period.id).await?;
    println!(
        "{name}: {rows} fact rows in {:.2} s ({:.2} µs/row), {stored} stored; roster of {people} people added one by one in {:.2} s",
        import.as_secs_f64(),
        import.as_secs_f64() * 1e6 / rows.max(1) as f64,
        roster.as_secs_f64()
    );
    db.close().await;
    Ok(())
}
