//! Raters (评分人, P7.2) over HTTP, on SQLite and PostgreSQL: HQ HR assigns the rater account
//! to one colleague of a P7 period that is collecting; the rater (an account that is no person
//! of the roster) sees that period and nobody else's, rates the person assigned, and a rating
//! outside P7's 0–100 or of someone not assigned is refused in words. P7's approval chain
//! names 办公室, which the policy maps to a role (chain_roles); without it the upload is refused.

use kaohe_server::both;
use kaohe_server::testing::*;
use reqwest::StatusCode;
use serde_json::json;

fn file(path: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

async fn rater_rates_only_whom_they_are_assigned(s: &Server) {
    let (admin, org) = setup(s).await;
    // Without saying who acts for its 办公室 (P7.4), the policy is refused at upload, in words.
    let text = String::from_utf8(file("policies/p7-department-raters.toml")).expect("utf-8");
    let unmapped: String = text
        .lines()
        .filter(|l| !l.starts_with("chain_roles"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(unmapped, text);
    let (st, b) = admin.upload("/api/policies", unmapped.into_bytes()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b["error"]["zh"]
            .as_str()
            .is_some_and(|m| m.contains("“办公室”") && m.contains("chain_roles"))
            && b["error"]["en"]
                .as_str()
                .is_some_and(|m| m.contains("matches no role")),
        "{b}"
    );
    let (st, p) = admin
        .upload("/api/policies", file("policies/p7-department-raters.toml"))
        .await;
    assert_eq!(st, StatusCode::OK, "policy: {p}");
    let p7 = p["id"].as_i64().expect("policy id");
    // The example's roster is 天津分公司's 市场拓展部.
    let tj = admin
        .must(
            "/api/org/units",
            json!({ "parent_id": org.region, "kind": "branch", "name": "天津分公司" }),
        )
        .await["id"]
        .as_i64()
        .expect("id");
    let hr = s.login("hr", "password-123").await;
    let rater = s.login("rater", "password-123").await;
    // A P4 month of the same branch the rater has nothing to do with.
    let p4 = hr
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": "2025-03", "unit_id": org.hz }),
        )
        .await["id"]
        .as_i64()
        .expect("id");
    let id = hr
        .must(
            "/api/periods",
            json!({ "policy_version_id": p7, "label": "2025-Q1", "unit_id": tj }),
        )
        .await["id"]
        .as_i64()
        .expect("id");
    let (st, b) = hr
        .upload(
            &format!("/api/periods/{id}/roster?file=roster.xlsx"),
            file("examples/p7-department-raters/roster.xlsx"),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = try_step(&hr, id, json!({ "action": "start_collecting" })).await;
    assert_eq!(st, StatusCode::OK, "{b}");

    // Before any assignment the rater sees no period at all.
    let list = rater.ok("/api/periods").await;
    assert_eq!(list.as_array().map_or(99, |a| a.len()), 0, "{list}");

    // Only a rater account can be assigned.
    let (st, b) = hr
        .post(
            &format!("/api/periods/{id}/assignments"),
            json!({ "rater": "bh", "ratee": "SC01", "group": "同事" }),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert!(b.to_string().contains("不是评分人账号"), "{b}");
    hr.must(
        &format!("/api/periods/{id}/assignments"),
        json!({ "rater": "rater", "ratee": "SC01", "group": "同事" }),
    )
    .await;

    // Now the rater sees this period, and only this one, and only 罗文静 in it.
    let list = rater.ok("/api/periods").await;
    let ids: Vec<i64> = list
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec![id], "{list}");
    let (st, _) = rater.get(&format!("/api/periods/{p4}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let mine = rater.ok(&format!("/api/periods/{id}/my-ratees")).await;
    assert_eq!(mine["ratees"].as_array().map_or(0, |a| a.len()), 1);
    assert_eq!(mine["ratees"][0]["ratee"], "SC01");
    assert_eq!(mine["ratees"][0]["name"], "罗文静");
    assert!(mine["ratees"][0]["my_score"].is_null());
    let (st, _) = rater.get(&format!("/api/periods/{id}/results")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a rater reads no ranking");

    // 150 is out of P7's 0–100; 葛志鹏 is not assigned; 88 for 罗文静 is kept.
    let path = format!("/api/periods/{id}/ratings");
    let (st, b) = rater
        .post(&path, json!({ "ratee": "SC01", "score": "150" }))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b.to_string()
            .contains("“综合评分”的值 150 超出范围，应在 0 到 100 之间")
            && b.to_string().contains("out of range"),
        "{b}"
    );
    let (st, b) = rater
        .post(&path, json!({ "ratee": "SC02", "score": "80" }))
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{b}");
    rater
        .must(&path, json!({ "ratee": "SC01", "score": "88" }))
        .await;
    let mine = rater.ok(&format!("/api/periods/{id}/my-ratees")).await;
    assert_eq!(mine["ratees"][0]["my_score"], "88");
    drop(admin);
}
both!(rater_rates_only_whom_they_are_assigned);
