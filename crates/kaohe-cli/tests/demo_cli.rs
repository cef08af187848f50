//! `kaohe demo` through the real binary, as the README's main command starts it, walked through
//! its API on the demo clock (April 2025) from the import to the letters:
//! - it prints the address, the password, the logins and the walk;
//! - the branch head downloads the walkable month's figures (/demo/figures.xlsx), imports them
//!   and computes: HZ07 潘俊熙 scores 42 + 0 + 15 = 57 (P4.4, P4.5 visits 35/60 < 60 % → 0,
//!   P4.7) and enters the line (P4.12), as worked out in examples/p4-group-sales/README.md;
//! - publish; HZ07 appeals and the branch head decides it (the appeal is stamped with the demo
//!   clock, so the decision is not "before the previous step");
//! - the demo page signs for the other nine (P4.9), HZ07 signs, the clock passes the window
//!   (P4.10), finalize, measures, approvals bh → rh → hr (P4.11), letters: the warning letter
//!   gives the reason in words.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The demo server, killed on drop.
struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A signed-in demo account: its client (cookies) and CSRF token.
struct User {
    http: reqwest::Client,
    csrf: String,
}

/// Sign in as `who` with the printed password.
async fn login(base: &str, who: &str) -> User {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let v: Value = http
        .post(format!("{base}/api/login"))
        .json(&json!({ "login": who, "password": "kaohe-demo" }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let csrf = v["csrf_token"].as_str().expect("csrf").to_string();
    User { http, csrf }
}

impl User {
    async fn get(&self, base: &str, path: &str) -> Value {
        self.http
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("get")
            .json()
            .await
            .unwrap_or_default()
    }

    /// POST JSON; the status must be a success; the answer.
    async fn post(&self, base: &str, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(format!("{base}{path}"))
            .header("X-CSRF-Token", &self.csrf)
            .json(&body)
            .send()
            .await
            .expect("post");
        let status = r.status();
        let text = r.text().await.unwrap_or_default();
        assert!(status.is_success(), "POST {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or_default()
    }

    /// A cycle step with the period's current version.
    async fn step(&self, base: &str, id: i64, action: &str) {
        let p = self.get(base, &format!("/api/periods/{id}")).await;
        self.post(
            base,
            &format!("/api/periods/{id}/transition"),
            json!({ "action": { "action": action }, "expected_version": p["row_version"] }),
        )
        .await;
    }
}

/// Start `kaohe demo` on a free port; its address and what it printed.
fn start(db_url: &str) -> (Demo, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(["demo", "--addr", "127.0.0.1:0", "--db", db_url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kaohe demo");
    let stdout = child.stdout.take().expect("stdout");
    let demo = Demo(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut printed = String::new();
    while !printed.contains("Ctrl+C") {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(line) => {
                printed.push_str(&line);
                printed.push('\n');
            }
            Err(_) => assert!(
                started.elapsed() < Duration::from_secs(300),
                "kaohe demo printed no address: {printed}"
            ),
        }
    }
    let base = printed
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .map(|a| format!("http://{a}"))
        .unwrap_or_else(|| panic!("no address in: {printed}"));
    (demo, base, printed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_walk_from_import_to_letters() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
    let (demo, base, printed) = start(&url);
    let base = base.as_str();
    assert!(printed.contains("kaohe-demo"), "the password: {printed}");
    for what in ["bh", "hz07", "/demo/figures.xlsx", "/demo"] {
        assert!(printed.contains(what), "{what} in: {printed}");
    }
    let bh = login(base, "bh").await;

    // The walkable month waits in collecting with no figures.
    let periods = bh.get(base, "/api/periods").await;
    let walk = periods
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["label"] == "2025-03" && p["state"] == "collecting")
        .unwrap_or_else(|| panic!("no walkable month: {periods}"));
    let id = walk["id"].as_i64().expect("id");

    // Download the figures and import them.
    let r = bh
        .http
        .get(format!("{base}/demo/figures.xlsx"))
        .send()
        .await
        .expect("figures");
    assert!(r.status().is_success(), "{}", r.status());
    let disposition = r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(disposition.contains("attachment"), "{disposition}");
    let xlsx = r.bytes().await.expect("bytes");
    assert!(xlsx.starts_with(b"PK"), "an XLSX (zip) file");
    let r = bh
        .http
        .post(format!("{base}/api/periods/{id}/facts?file=figures.xlsx"))
        .header("X-CSRF-Token", &bh.csrf)
        .body(xlsx.to_vec())
        .send()
        .await
        .expect("import");
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(status.is_success(), "import: {status} {body}");

    // Compute: HZ07 57 in the line (P4.12).
    bh.step(base, id, "compute").await;
    let text = bh
        .get(base, &format!("/api/periods/{id}/people/HZ07"))
        .await
        .to_string();
    assert!(text.contains("\"57\"") || text.contains("57.00"), "{text}");
    assert!(
        text.contains("in_line") || text.contains("InLine"),
        "{text}"
    );

    // Publish; HZ07 appeals, the branch head decides, on the demo clock.
    bh.step(base, id, "publish").await;
    let hz07 = login(base, "hz07").await;
    let appeal = hz07
        .post(
            base,
            &format!("/api/periods/{id}/appeals"),
            json!({ "reason": "有2次拜访已登记但未计入" }),
        )
        .await;
    assert!(
        appeal["filed_at"]
            .as_str()
            .unwrap_or_default()
            .starts_with("2025-"),
        "stamped with the demo clock: {appeal}"
    );
    bh.post(
        base,
        &format!("/api/appeals/{}/decision", appeal["id"]),
        json!({ "accept": false, "note": "拜访记录无法核实", "expected_version": appeal["row_version"] }),
    )
    .await;

    // The demo page's button: the other nine sign; HZ07 signs for themself.
    let page = bh
        .http
        .post(format!("{base}/demo/sign-others"))
        .form(&[("_csrf", bh.csrf.as_str())])
        .send()
        .await
        .expect("sign others")
        .text()
        .await
        .unwrap_or_default();
    assert!(page.contains("已代签人数：9"), "{page}");
    hz07.post(
        base,
        &format!("/api/periods/{id}/signatures"),
        json!({ "person": "HZ07", "subject": "score", "kind": "signed" }),
    )
    .await;

    // Past the appeal window (P4.10); finalize, measures, the chain bh → rh → hr (P4.11).
    login(base, "admin")
        .await
        .post(base, "/api/test/clock", json!({ "days": 8 }))
        .await;
    let bh = login(base, "bh").await;
    for a in [
        "finalize",
        "start_measures",
        "submit_for_approval",
        "approve",
    ] {
        bh.step(base, id, a).await;
    }
    login(base, "rh").await.step(base, id, "approve").await;
    login(base, "hr").await.step(base, id, "approve").await;

    // Letters: the warning letter names HZ07 and the reason in words.
    let docs = bh
        .post(base, &format!("/api/periods/{id}/letters"), json!({}))
        .await;
    let docx = docs["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| {
            d["kind"] == "warning_letter" && d["file_name"].as_str().unwrap_or("").ends_with("docx")
        })
        .unwrap_or_else(|| panic!("no warning letter: {docs}"))["id"]
        .clone();
    let bytes = bh
        .http
        .get(format!("{base}/api/documents/{docx}"))
        .send()
        .await
        .expect("download")
        .bytes()
        .await
        .expect("bytes");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("潘俊熙"), "the letter names HZ07");
    assert!(
        text.contains("进入末位线"),
        "the reason in words, not the engine's code"
    );
    assert!(!text.contains("line（"), "no engine code in the letter");
    drop(demo);
}
