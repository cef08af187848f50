//! `kaohe demo` through the real binary, as the README's main command starts it: it prints the
//! address and the logins; the branch head signs in with the printed password, downloads the
//! walkable month's figures (/demo/figures.xlsx), imports them and computes: HZ07 潘俊熙 scores
//! 42 + 0 + 15 = 57 (P4.4, P4.5 visits 35/60 < 60 % → 0, P4.7) and enters the line (P4.12), as
//! worked out in examples/p4-group-sales/README.md.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_walk_starts_with_the_import() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(["demo", "--addr", "127.0.0.1:0", "--db", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kaohe demo");
    let stdout = child.stdout.take().expect("stdout");
    let demo = Demo(child);
    // Read what it prints until the logins and the walk are out.
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
    assert!(
        printed.contains("kaohe-demo"),
        "the password is printed: {printed}"
    );
    assert!(
        printed.contains("bh")
            && printed.contains("hz07")
            && printed.contains("/demo/figures.xlsx")
    );

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let login: Value = http
        .post(format!("{base}/api/login"))
        .json(&json!({ "login": "bh", "password": "kaohe-demo" }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let csrf = login["csrf_token"].as_str().expect("csrf").to_string();

    // The walkable month waits in collecting with no figures.
    let periods: Value = http
        .get(format!("{base}/api/periods"))
        .send()
        .await
        .expect("periods")
        .json()
        .await
        .expect("json");
    let walk = periods
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["label"] == "2025-03" && p["state"] == "collecting")
        .unwrap_or_else(|| panic!("no walkable month: {periods}"));
    let id = walk["id"].as_i64().expect("id");

    // Download the figures and import them.
    let r = http
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
    let r = http
        .post(format!("{base}/api/periods/{id}/facts?file=figures.xlsx"))
        .header("X-CSRF-Token", &csrf)
        .body(xlsx.to_vec())
        .send()
        .await
        .expect("import");
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(status.is_success(), "import: {status} {body}");

    // Compute: HZ07 57 in the line (P4.12).
    let p: Value = http
        .get(format!("{base}/api/periods/{id}"))
        .send()
        .await
        .expect("period")
        .json()
        .await
        .expect("json");
    let r = http
        .post(format!("{base}/api/periods/{id}/transition"))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({ "action": { "action": "compute" }, "expected_version": p["row_version"] }))
        .send()
        .await
        .expect("compute");
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(status.is_success(), "compute: {status} {body}");
    let me: Value = http
        .get(format!("{base}/api/periods/{id}/people/HZ07"))
        .send()
        .await
        .expect("HZ07")
        .json()
        .await
        .expect("json");
    let text = me.to_string();
    assert!(text.contains("\"57\"") || text.contains("57.00"), "{text}");
    assert!(
        text.contains("in_line") || text.contains("InLine"),
        "{text}"
    );

    // Publish; HZ07 appeals and the branch head decides it, all on the demo clock (April
    // 2025): the appeal is stamped with that clock, not the real date, so the decision is
    // not "before the previous step".
    let post = |who: &reqwest::Client, path: String, token: &str, body: Value| {
        who.post(format!("{base}{path}"))
            .header("X-CSRF-Token", token)
            .json(&body)
            .send()
    };
    let p: Value = http
        .get(format!("{base}/api/periods/{id}"))
        .send()
        .await
        .expect("period")
        .json()
        .await
        .expect("json");
    let r = post(
        &http,
        format!("/api/periods/{id}/transition"),
        &csrf,
        json!({ "action": { "action": "publish" }, "expected_version": p["row_version"] }),
    )
    .await
    .expect("publish");
    assert!(
        r.status().is_success(),
        "publish: {}",
        r.text().await.unwrap_or_default()
    );
    let hz07 = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let login: Value = hz07
        .post(format!("{base}/api/login"))
        .json(&json!({ "login": "hz07", "password": "kaohe-demo" }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let hz07_csrf = login["csrf_token"].as_str().expect("csrf").to_string();
    let r = post(
        &hz07,
        format!("/api/periods/{id}/appeals"),
        &hz07_csrf,
        json!({ "reason": "有2次拜访已登记但未计入" }),
    )
    .await
    .expect("appeal");
    let status = r.status();
    let appeal: Value = r.json().await.unwrap_or_default();
    assert!(status.is_success(), "appeal: {status} {appeal}");
    assert!(
        appeal["filed_at"]
            .as_str()
            .unwrap_or_default()
            .starts_with("2025-"),
        "stamped with the demo clock: {appeal}"
    );
    let r = post(
        &http,
        format!("/api/appeals/{}/decision", appeal["id"]),
        &csrf,
        json!({ "accept": false, "note": "拜访记录无法核实", "expected_version": appeal["row_version"] }),
    )
    .await
    .expect("decision");
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(status.is_success(), "decision: {status} {body}");

    // The demo page's button: the other employees sign; HZ07 signs for themself.
    let r = http
        .post(format!("{base}/demo/sign-others"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("sign others");
    let page = r.text().await.unwrap_or_default();
    assert!(page.contains("已代签人数：9"), "{page}");
    let r = post(
        &hz07,
        format!("/api/periods/{id}/signatures"),
        &hz07_csrf,
        json!({ "person": "HZ07", "subject": "score", "kind": "signed" }),
    )
    .await
    .expect("sign");
    assert!(
        r.status().is_success(),
        "{}",
        r.text().await.unwrap_or_default()
    );

    // Past the appeal window (P4.10), then the rest of the month through the API: finalize,
    // measures, the approval chain bh → rh → hr (P4.11), letters.
    let login = |who: &'static str| {
        let base = base.clone();
        async move {
            let c = reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client");
            let v: Value = c
                .post(format!("{base}/api/login"))
                .json(&json!({ "login": who, "password": "kaohe-demo" }))
                .send()
                .await
                .expect("login")
                .json()
                .await
                .expect("json");
            let t = v["csrf_token"].as_str().unwrap_or_default().to_string();
            (c, t)
        }
    };
    let (admin, admin_csrf) = login("admin").await;
    let r = post(
        &admin,
        "/api/test/clock".into(),
        &admin_csrf,
        json!({ "days": 8 }),
    )
    .await
    .expect("clock");
    assert!(r.status().is_success());
    let step = |c: reqwest::Client, t: String, action: &'static str| {
        let base = base.clone();
        async move {
            let p: Value = c
                .get(format!("{base}/api/periods/{id}"))
                .send()
                .await
                .expect("period")
                .json()
                .await
                .expect("json");
            let r = c
                .post(format!("{base}/api/periods/{id}/transition"))
                .header("X-CSRF-Token", &t)
                .json(&json!({ "action": { "action": action }, "expected_version": p["row_version"] }))
                .send()
                .await
                .expect("step");
            let st = r.status();
            let body = r.text().await.unwrap_or_default();
            assert!(st.is_success(), "{action}: {st} {body}");
        }
    };
    let (bh, bh_csrf) = login("bh").await;
    for a in [
        "finalize",
        "start_measures",
        "submit_for_approval",
        "approve",
    ] {
        step(bh.clone(), bh_csrf.clone(), a).await;
    }
    let (rh, rh_csrf) = login("rh").await;
    step(rh, rh_csrf, "approve").await;
    let (hr, hr_csrf) = login("hr").await;
    step(hr, hr_csrf, "approve").await;
    let r = post(
        &bh,
        format!("/api/periods/{id}/letters"),
        &bh_csrf,
        json!({}),
    )
    .await
    .expect("letters");
    let docs: Value = r.json().await.unwrap_or_default();
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
