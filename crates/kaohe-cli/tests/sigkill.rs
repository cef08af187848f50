//! Killing the server (SIGKILL) during an import or a computation leaves a consistent
//! database: each import is there whole or not at all, a period in state `computed` has its
//! run, the audit chain verifies, and the server starts again on the same file. Done
//! repeatedly, at different moments, against the real `kaohe serve` binary on SQLite.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PW: &str = "sigkill-admin-pw";
/// People in the big import (8 stored values each: the 7 inputs given + the row's source).
const PEOPLE: usize = 20_000;

struct Srv {
    child: Child,
    base: String,
}

fn start(db: &str) -> Srv {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
        .env("KAOHE_ADMIN_PASSWORD", PW)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kaohe serve");
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    let first = lines.next().expect("a line").expect("read");
    let base = first
        .split("http://")
        .nth(1)
        .map(|s| format!("http://{}", s.trim_end_matches('/')))
        .unwrap_or_else(|| panic!("no address in {first}"));
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Srv { child, base }
}

fn kill(mut s: Srv) {
    let _ = s.child.kill(); // SIGKILL on Unix
    let _ = s.child.wait();
}

async fn client(base: &str) -> (reqwest::Client, String) {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let r: Value = http
        .post(format!("{base}/api/login"))
        .json(&json!({ "login": "admin", "password": PW }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    (
        http,
        r["csrf_token"].as_str().unwrap_or_default().to_string(),
    )
}

async fn post(http: &reqwest::Client, csrf: &str, url: String, body: Value) -> Value {
    let r = http
        .post(url)
        .header("X-CSRF-Token", csrf)
        .json(&body)
        .send()
        .await
        .expect("send");
    let s = r.status();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(s.is_success(), "{s}: {v}");
    v
}

async fn upload(
    http: &reqwest::Client,
    csrf: &str,
    url: String,
    bytes: Vec<u8>,
) -> reqwest::Result<reqwest::Response> {
    http.post(url)
        .header("X-CSRF-Token", csrf)
        .body(bytes)
        .send()
        .await
}

fn roster() -> Vec<u8> {
    let mut s = String::from("工号,姓名,分公司,岗位,入职日期\n");
    for i in 0..PEOPLE {
        s.push_str(&format!("E{i:05},员工{i},杭州分公司,销售人员,2023-06-01\n"));
    }
    s.into_bytes()
}

fn facts() -> Vec<u8> {
    let mut s = String::from(
        "工号,姓名,销售业绩,销售指标,有效拜访量,要求拜访量,大额消费占比,虚报拜访,套现套票\n",
    );
    for i in 0..PEOPLE {
        s.push_str(&format!(
            "E{i:05},员工{i},{},100,{},60,{}%,否,否\n",
            50 + i % 70,
            30 + i % 40,
            i % 30
        ));
    }
    s.into_bytes()
}

/// Check the database file directly: every import whole, runs consistent with states, the
/// audit chain intact.
async fn check(db_url: &str, period: i64) {
    let db = kaohe_store::Db::connect(db_url).await.expect("reopen");
    let report = db.verify_audit().await.expect("verify");
    assert!(
        report.ok(),
        "audit chain broken after SIGKILL: {:?}",
        report.problems
    );
    // Every import that survived is whole: the same file each time, so the same number of
    // rows (one per person and value given, plus the row's source).
    let mut per_import = std::collections::BTreeMap::<i64, usize>::new();
    for f in db.facts(period).await.expect("facts") {
        *per_import.entry(f.import_id).or_default() += 1;
    }
    let people: std::collections::BTreeSet<String> = db
        .facts(period)
        .await
        .expect("facts")
        .into_iter()
        .map(|f| f.person_id)
        .collect();
    for (import, rows) in &per_import {
        assert_eq!(rows % PEOPLE, 0, "import {import} is partial: {rows} rows");
        assert!(
            *rows >= PEOPLE * 8,
            "import {import} is partial: {rows} rows"
        );
    }
    eprintln!(
        "after SIGKILL: {} whole import(s), {} run(s)",
        per_import.len(),
        db.runs(period).await.map(|r| r.len()).unwrap_or(0)
    );
    if !per_import.is_empty() {
        assert_eq!(people.len(), PEOPLE, "an import left some people out");
    }
    let p = db.period(period).await.expect("period");
    let runs = db.runs(period).await.expect("runs");
    if p.state == "computed" {
        assert!(!runs.is_empty(), "state computed without a run");
    }
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_import_and_compute_leaves_a_consistent_database() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("k.db").display());
    let s = start(&db);
    let (http, csrf) = client(&s.base).await;
    let base = s.base.clone();
    let unit = |parent: Value, kind: &str, name: &str| json!({ "parent_id": parent, "kind": kind, "name": name });
    let g = post(
        &http,
        &csrf,
        format!("{base}/api/org/units"),
        unit(Value::Null, "group", "集团"),
    )
    .await;
    let r = post(
        &http,
        &csrf,
        format!("{base}/api/org/units"),
        unit(g["id"].clone(), "region", "浙江区"),
    )
    .await;
    let hz = post(
        &http,
        &csrf,
        format!("{base}/api/org/units"),
        unit(r["id"].clone(), "branch", "杭州分公司"),
    )
    .await;
    let policy = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/p4-group-sales.toml"
    ))
    .expect("policy");
    let pv: Value = http
        .post(format!("{base}/api/policies"))
        .header("X-CSRF-Token", &csrf)
        .body(policy)
        .send()
        .await
        .expect("policy")
        .json()
        .await
        .expect("json");
    let period = post(
        &http,
        &csrf,
        format!("{base}/api/periods"),
        json!({ "policy_version_id": pv["id"], "label": "2025-03", "unit_id": hz["id"] }),
    )
    .await["id"]
        .as_i64()
        .expect("period");
    post(
        &http,
        &csrf,
        format!("{base}/api/periods/{period}/transition"),
        json!({ "action": { "action": "start_collecting" }, "expected_version": 1 }),
    )
    .await;
    let r = upload(
        &http,
        &csrf,
        format!("{base}/api/periods/{period}/roster?file=r.csv"),
        roster(),
    )
    .await
    .expect("roster");
    assert!(
        r.status().is_success(),
        "{}",
        r.text().await.unwrap_or_default()
    );
    kill(s);

    // Kill during facts imports at different moments, then during computations.
    let delays = [150u64, 400, 800, 1500, 2500];
    for (round, ms) in delays.iter().enumerate() {
        let s = start(&db);
        let (http, csrf) = client(&s.base).await;
        let url = format!("{}/api/periods/{period}/facts?file=f.csv", s.base);
        let body = facts();
        let h = http.clone();
        let c2 = csrf.clone();
        let req = tokio::spawn(async move { upload(&h, &c2, url, body).await });
        tokio::time::sleep(Duration::from_millis(*ms)).await;
        kill(s);
        let _ = req.await;
        check(&db, period).await;
        // Round 3 on: the data is there; kill during a computation.
        if round >= 2 {
            let s = start(&db);
            let (http, csrf) = client(&s.base).await;
            let p: Value = http
                .get(format!("{}/api/periods/{period}", s.base))
                .send()
                .await
                .expect("get")
                .json()
                .await
                .expect("json");
            let facts_in = kaohe_store::Db::connect(&db)
                .await
                .expect("db")
                .fact_count(period)
                .await
                .expect("count");
            if facts_in > 0 {
                let url = format!("{}/api/periods/{period}/transition", s.base);
                let body = json!({ "action": { "action": "compute" }, "expected_version": p["row_version"] });
                let h = http.clone();
                let c2 = csrf.clone();
                let req = tokio::spawn(async move {
                    h.post(url)
                        .header("X-CSRF-Token", c2)
                        .json(&body)
                        .send()
                        .await
                });
                tokio::time::sleep(Duration::from_millis(ms / 2 + 100)).await;
                kill(s);
                let _ = req.await;
                check(&db, period).await;
            } else {
                kill(s);
            }
        }
    }
    // The server starts again on the same file and still answers.
    let s = start(&db);
    let (http, _) = client(&s.base).await;
    let r = http
        .get(format!("{}/api/periods/{period}", s.base))
        .send()
        .await
        .expect("get");
    assert!(r.status().is_success());
    kill(s);
}
