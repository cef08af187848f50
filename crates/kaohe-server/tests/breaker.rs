//! What a tester broke, kept broken no more (on SQLite and PostgreSQL):
//! - 20 simultaneous `compute` requests carrying the same version: one wins, the others get 409
//!   and leave no run behind (runs are permanent);
//! - a roster or facts file with a header and no rows is refused and the stored roster stays;
//! - the test clock cannot be moved so far that it overflows (a 400, sign-in still works).

use kaohe_server::both;
use kaohe_server::testing::*;
use reqwest::StatusCode;
use serde_json::json;

async fn concurrent_compute(s: &Server) {
    let (admin, org) = setup(s).await;
    let bh = s.login("bh", "password-123").await;
    let p = bh
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": "2025-03", "unit_id": org.hz }),
        )
        .await;
    let id = p["id"].as_i64().expect("id");
    step(&bh, id, json!({ "action": "start_collecting" })).await;
    let (st, b) = bh
        .upload(&format!("/api/periods/{id}/roster?file=r.csv"), hz_roster())
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = bh
        .upload(&format!("/api/periods/{id}/facts?file=f.csv"), hz_facts())
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");

    // A header alone: refused, the ten people stay.
    let (st, b) = bh
        .upload(
            &format!("/api/periods/{id}/roster?file=empty.csv"),
            "工号,姓名,分公司,岗位,入职日期\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert!(b.to_string().contains("没有数据行"), "{b}");
    let (st, b) = bh
        .upload(
            &format!("/api/periods/{id}/facts?file=empty.csv"),
            "工号,姓名,销售业绩\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");

    // Twenty computes with the same version at once.
    let v = bh.ok(&format!("/api/periods/{id}")).await["row_version"].clone();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let c = s.login("bh", "password-123").await;
        let v = v.clone();
        tasks.push(tokio::spawn(async move {
            c.post(
                &format!("/api/periods/{id}/transition"),
                json!({ "action": { "action": "compute" }, "expected_version": v }),
            )
            .await
            .0
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            StatusCode::OK => ok += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(ok, 1, "exactly one compute wins");
    let runs = bh.ok(&format!("/api/periods/{id}/runs")).await;
    assert_eq!(
        runs["runs"].as_array().map(Vec::len),
        Some(1),
        "the losers wrote no run: {runs}"
    );
    let results = bh.ok(&format!("/api/periods/{id}/results")).await;
    assert!(results.to_string().contains("HZ07"));

    // The clock: far moves are refused, and everyone can still sign in.
    let (st, b) = admin
        .post(
            "/api/test/clock",
            json!({ "days": 200_000_000_000_000_i64 }),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    let (st, _) = admin
        .post("/api/test/clock", json!({ "days": 100_000_000 }))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    s.login("bh", "password-123").await;
}

both!(concurrent_compute);

/// A body the API cannot read is answered in JSON, in Chinese and English, with the status axum
/// chose (400 bad JSON, 422 wrong field type, 415 wrong content type).
async fn unreadable_requests_in_both_languages(s: &Server) {
    let (_admin, _org) = setup(s).await;
    let hr = s.login("hr", "password-123").await;
    let r = hr
        .http
        .post(format!("{}/api/periods", hr.base))
        .header("X-CSRF-Token", hr.csrf.clone().unwrap_or_default())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.expect("a JSON answer");
    let text = body.to_string();
    assert!(
        text.contains("请求无法读取") && text.contains("could not be read"),
        "{text}"
    );
    let (st, body) = hr
        .post("/api/periods", json!({ "policy_version_id": "x" }))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("请求无法读取"), "{body}");
}

both!(unreadable_requests_in_both_languages);
