//! Ranking read under load (排名查询压力测试) for BENCHMARKS.md: a real server on loopback
//! (SQLite by default, or PostgreSQL), one branch of 200 people computed under P4, and 50
//! concurrent signed-in clients each reading the branch ranking back to back for a fixed number
//! of requests (a bounded, closed-loop run). Prints latency percentiles.
//!
//! The ranking is read as the ranking table reads it, `GET /api/periods/{id}/results?view=ranking`
//! (places, scores, values, line, outcomes; no per-person texts); `full` reads the whole result
//! with every explanation instead (`GET /api/periods/{id}/results`).
//!
//! ```text
//! cargo run --release -p kaohe-server --features testing --example ranking_load -- [sqlite|postgres] [CLIENTS] [REQUESTS_EACH] [ranking|full]
//! ```

use kaohe_server::testing::{setup, step, Backend, Server};
use serde_json::json;
use std::time::{Duration, Instant};

const PEOPLE: usize = 200;

fn roster() -> Vec<u8> {
    let mut s = String::from("工号,姓名,分公司,岗位,入职日期\n");
    for i in 0..PEOPLE {
        s.push_str(&format!("B{i:03},员工{i},杭州分公司,销售人员,2023-06-01\n"));
    }
    s.into_bytes()
}

fn facts() -> Vec<u8> {
    let mut s = String::from(
        "工号,姓名,销售业绩,销售指标,有效拜访量,要求拜访量,大额消费占比,虚报拜访,套现套票\n",
    );
    for i in 0..PEOPLE {
        s.push_str(&format!(
            "B{i:03},员工{i},{},100,{},60,{}%,否,否\n",
            40 + (i * 7) % 90,
            20 + (i * 3) % 50,
            (i * 11) % 40
        ));
    }
    s.into_bytes()
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let backend = match args.next().as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let clients: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(50);
    let each: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let view = match args.next().as_deref() {
        Some("full") => "full",
        _ => "ranking",
    };
    let Some(s) = Server::start(backend).await else {
        return eprintln!("PostgreSQL skipped (KAOHE_SKIP_PG=1)");
    };
    let (_admin, org) = setup(&s).await;
    let bh = s.login("bh", "password-123").await;
    let p = bh
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": "2025-03", "unit_id": org.hz }),
        )
        .await;
    let id = p["id"].as_i64().unwrap_or_default();
    step(&bh, id, json!({ "action": "start_collecting" })).await;
    let (st, b) = bh
        .upload(&format!("/api/periods/{id}/roster?file=r.csv"), roster())
        .await;
    assert!(st.is_success(), "{b}");
    let (st, b) = bh
        .upload(&format!("/api/periods/{id}/facts?file=f.csv"), facts())
        .await;
    assert!(st.is_success(), "{b}");
    step(&bh, id, json!({ "action": "compute" })).await;
    let full = bh.ok(&format!("/api/periods/{id}/results")).await;
    let path = format!("/api/periods/{id}/results?view={view}");
    let first = bh.ok(&path).await;
    let ranked = first["result"]["people"].as_array().map_or(0, |a| a.len());
    println!(
        "backend {backend:?}: {ranked} people in the branch ranking; view={view} ({} KiB a response; full {} KiB); {clients} clients × {each} requests",
        first.to_string().len() / 1024,
        full.to_string().len() / 1024
    );

    let mut sessions = Vec::with_capacity(clients);
    for _ in 0..clients {
        sessions.push(s.login("bh", "password-123").await);
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in sessions {
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(each);
            for _ in 0..each {
                // The body is read whole but not parsed: the load generator shares the two
                // cores with the server, and parsing 200 people's JSON 10,000 times would be
                // measured as server latency.
                let t = Instant::now();
                let r = c.http.get(format!("{}{path}", c.base)).send().await;
                let ok = match r {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                };
                assert!(ok, "GET {path}");
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        if let Ok(l) = t.await {
            all.extend(l);
        }
    }
    let wall = start.elapsed();
    all.sort();
    println!(
        "requests {}  wall {:.2}s  throughput {:.0}/s  p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        all.len(),
        wall.as_secs_f64(),
        all.len() as f64 / wall.as_secs_f64(),
        pct(&all, 0.50).as_secs_f64() * 1e3,
        pct(&all, 0.95).as_secs_f64() * 1e3,
        pct(&all, 0.99).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}
