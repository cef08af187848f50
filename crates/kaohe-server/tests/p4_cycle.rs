//! The "done when": a scripted API session walks P4 months through every step — import,
//! typed value, compute, publish, sign, appeal (accepted: data corrected, recomputed,
//! republished), final, measures, the elimination list signed (P4.11), the approval chain
//! branch head → regional head → HQ HR (P4.11), letters — on SQLite and on PostgreSQL, and an
//! employee cannot read another's score through any endpoint.
//!
//! Hand-worked values (examples/p4-group-sales/README.md): HZ07 潘俊熙 scores 42 + 0 + 15 = 57
//! (visits 35/60 = 58.3 % < 60 % → 0, P4.5) and is the bottom of 杭州分公司 (P4.12). After
//! the accepted appeal his visits are 37 (61.7 % ≥ 60 %): 15 × 37/60 = 9.25, total 66.25, still
//! below HZ08's 67.5. Two months in a row at the line put him on the elimination list (P4.11).

use kaohe_server::both;
use kaohe_server::testing::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn person<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["people"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["id"] == id))
        .unwrap_or_else(|| panic!("{id} not in result"))
}

/// Every person signs their published score (P4.9).
async fn everyone_signs(s: &Server, period: i64) {
    for (id, ..) in HZ {
        let c = s.login(&id.to_lowercase(), "password-123").await;
        c.must(
            &format!("/api/periods/{period}/signatures"),
            json!({ "person": id, "subject": "score", "kind": "signed" }),
        )
        .await;
    }
}

/// One month from opening to publication; returns the period id.
async fn open_and_publish(s: &Server, org: &Org, label: &str) -> i64 {
    let bh = s.login("bh", "password-123").await;
    let p = bh
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": label, "unit_id": org.hz }),
        )
        .await;
    let id = p["id"].as_i64().expect("period id");
    step(&bh, id, json!({ "action": "start_collecting" })).await;
    let (st, b) = bh
        .upload(
            &format!("/api/periods/{id}/roster?file=花名册.csv"),
            hz_roster(),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "roster: {b}");
    assert_eq!(b["people"], 10);
    let (st, b) = bh
        .upload(
            &format!("/api/periods/{id}/facts?file=考核数据.csv"),
            hz_facts(),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "facts: {b}");
    // A sales manager types a daily-work value (P2.2 style entry; same value as the sheet).
    let sm = s.login("sm", "password-123").await;
    let (st, b) = sm
        .call(
            reqwest::Method::PUT,
            &format!("/api/periods/{id}/facts/HZ03/visits_done"),
            Some(json!({ "value": "54" })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "typed value: {b}");
    // Publishing before computing is refused.
    let (st, _) = try_step(&bh, id, json!({ "action": "publish" })).await;
    assert_eq!(st, StatusCode::CONFLICT);
    step(&bh, id, json!({ "action": "compute" })).await;
    let r = bh.ok(&format!("/api/periods/{id}/results")).await;
    let hz07 = person(&r["result"], "HZ07");
    assert_eq!(hz07["score"], "57", "HZ07 total (P4.4 + P4.5 + P4.7)");
    assert_eq!(hz07["rank"], 10);
    assert_eq!(hz07["line"], "in_line", "bottom 1 of the branch (P4.12)");
    assert_eq!(person(&r["result"], "HZ01")["score"], "100");
    ranking_view_matches(&bh, id, &r).await;
    step(&bh, id, json!({ "action": "publish" })).await;
    id
}

/// `?view=ranking` carries every place, score, indicator value, line position and outcome of
/// the full result, without the texts; an unknown view is refused in both languages.
async fn ranking_view_matches(bh: &Client, id: i64, full: &Value) {
    let lean = bh
        .ok(&format!("/api/periods/{id}/results?view=ranking"))
        .await;
    let (f, l) = (&full["result"]["people"], &lean["result"]["people"]);
    let heads = &lean["result"]["indicators"];
    assert_eq!(heads[0]["id"], "sales_score");
    assert_eq!(heads[0]["rule"], "P4.4");
    let n = f.as_array().map_or(0, |a| a.len());
    assert!(n > 0);
    assert_eq!(l.as_array().map_or(0, |a| a.len()), n);
    for i in 0..n {
        for k in [
            "id", "name", "group", "score", "rank", "line", "status", "mark",
        ] {
            assert_eq!(l[i][k], f[i][k], "{k} of person {i}");
        }
        for (j, ind) in f[i]["indicators"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            assert_eq!(heads[j]["id"], ind["id"]);
            assert_eq!(l[i]["values"][j], ind["value"], "person {i} indicator {j}");
        }
        let outcomes: Vec<&Value> = f[i]["outcomes"].as_array().into_iter().flatten().collect();
        assert_eq!(
            l[i]["outcomes"].as_array().map_or(0, |a| a.len()),
            outcomes.len()
        );
        for (j, o) in outcomes.iter().enumerate() {
            for k in ["id", "because", "measure", "legal_path", "document"] {
                assert_eq!(l[i]["outcomes"][j][k], o[k], "outcome {k} of person {i}");
            }
        }
    }
    let hz07 = person(&lean["result"], "HZ07");
    assert_eq!(hz07["values"], json!(["42", "0", "15", "57"]));
    assert_eq!(
        hz07["outcomes"][0]["requires"],
        json!(["not_termination_ground"])
    );
    assert!(lean.to_string().len() * 3 < full.to_string().len());
    let (st, b) = bh
        .get(&format!("/api/periods/{id}/results?view=everything"))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let b = b.to_string();
    assert!(b.contains("view") && b.contains("ranking"), "{b}");
}

/// From publication (window passed) to closed, with the approval chain.
async fn finish(s: &Server, id: i64, eliminated: &[&str]) {
    let admin = s.login("admin", ADMIN_PW).await;
    let bh = s.login("bh", "password-123").await;
    // Finalize is refused while the appeal window (3 working days, P4.10) is open.
    let (st, b) = try_step(&bh, id, json!({ "action": "finalize" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    admin.must("/api/test/clock", json!({ "days": 8 })).await;
    // Sessions last 12 hours of the (moved) clock: sign in again.
    let bh = s.login("bh", "password-123").await;
    step(&bh, id, json!({ "action": "finalize" })).await;
    step(&bh, id, json!({ "action": "start_measures" })).await;
    let m = bh.ok(&format!("/api/periods/{id}/measures")).await;
    let listed: Vec<&str> = m["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter(|p| p["on_elimination_list"] == true)
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(listed, eliminated);
    if !eliminated.is_empty() {
        // Unsigned elimination list: submitting is refused (P4.11).
        let (st, b) = try_step(&bh, id, json!({ "action": "submit_for_approval" })).await;
        assert_eq!(st, StatusCode::CONFLICT, "{b}");
        for who in eliminated {
            let e = s.login(&who.to_lowercase(), "password-123").await;
            e.must(
                &format!("/api/periods/{id}/signatures"),
                json!({ "person": who, "subject": "elimination_list", "kind": "signed" }),
            )
            .await;
        }
    }
    step(&bh, id, json!({ "action": "submit_for_approval" })).await;
    // The chain, in order: 分公司负责人 → 区总 → 总部人事部 (P4.11). The regional head may not
    // approve the branch head's step.
    let rh = s.login("rh", "password-123").await;
    let (st, _) = try_step(&rh, id, json!({ "action": "approve" })).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    step(&bh, id, json!({ "action": "approve" })).await;
    step(&rh, id, json!({ "action": "approve" })).await;
    let hr = s.login("hr", "password-123").await;
    let done = step(&hr, id, json!({ "action": "approve" })).await;
    assert_eq!(done["state"], "closed");
}

async fn p4_month_walk(s: &Server) {
    let (admin, org) = setup(s).await;
    // An employee account needs its person on record first.
    let (st, b) = admin
        .post("/api/users", json!({ "login": "x", "password": "password-123", "role": "employee", "person_id": "HZ01" }))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    // 2025-02: HZ07 at the line the first time.
    let feb = open_and_publish(s, &org, "2025-02").await;
    employees(&admin).await;
    everyone_signs(s, feb).await;
    finish(s, feb, &[]).await;

    // 2025-03: the same figures; HZ07 appeals.
    let mar = open_and_publish(s, &org, "2025-03").await;
    let bh = s.login("bh", "password-123").await;
    let hz07 = s.login("hz07", "password-123").await;
    let hz01 = s.login("hz01", "password-123").await;

    // The employee sees their own result and explanation, once published.
    let mine = hz07.ok(&format!("/api/periods/{mar}/people/HZ07")).await;
    assert_eq!(mine["result"]["score"], "57");
    assert!(
        mine["explanation"].as_str().unwrap_or("").contains("P4.5"),
        "{}",
        mine["explanation"]
    );
    // …but nobody else's: not through the person page, the ranking, the measures or the 公示.
    let (st, _) = hz01.get(&format!("/api/periods/{mar}/people/HZ07")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = hz01.get(&format!("/api/periods/{mar}/results")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // The ranking read by scope: the branch's head, the region's head (through the unit tree)
    // and the GM office (the whole group) see all of 杭州; 宁波's head does not see the period.
    let all = bh.ok(&format!("/api/periods/{mar}/results")).await["result"]["people"]
        .as_array()
        .map_or(0, |a| a.len());
    assert_eq!(all, 10);
    for who in ["rh", "gm"] {
        let c = s.login(who, "password-123").await;
        for view in ["", "?view=ranking"] {
            let r = c.ok(&format!("/api/periods/{mar}/results{view}")).await;
            assert_eq!(
                r["result"]["people"].as_array().map_or(0, |a| a.len()),
                all,
                "{who}{view}"
            );
        }
    }
    let nbh = s.login("nbh", "password-123").await;
    for view in ["", "?view=ranking"] {
        let (st, _) = nbh.get(&format!("/api/periods/{mar}/results{view}")).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{view}");
    }
    let publ = hz01.ok(&format!("/api/periods/{mar}/publication")).await;
    let text = publ.to_string();
    assert!(
        text.contains("HZ07") && !text.contains("\"score\""),
        "publication for employees has no scores: {text}"
    );

    // Everyone signs; HZ07 appeals in writing (P4.10).
    everyone_signs(s, mar).await;
    let a = hz07
        .must(
            &format!("/api/periods/{mar}/appeals"),
            json!({ "reason": "有2次拜访已登记但未计入 / two visits were filed but not counted" }),
        )
        .await;
    // Another employee cannot decide it; the branch head accepts it.
    let (st, _) = hz01
        .post(
            &format!("/api/appeals/{}/decision", a["id"]),
            json!({ "accept": true, "note": "x", "expected_version": a["row_version"] }),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let decided = bh
        .must(&format!("/api/appeals/{}/decision", a["id"]), json!({ "accept": true, "note": "核实：拜访量应为37", "expected_version": a["row_version"] }))
        .await;
    assert_eq!(decided["state"], "accepted");
    // A stale second decision is a 409 with the current row.
    let (st, b) = bh
        .post(
            &format!("/api/appeals/{}/decision", a["id"]),
            json!({ "accept": false, "note": "late", "expected_version": a["row_version"] }),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    // Correct the data, recompute (withdraws the publication), republish.
    let (st, b) = bh
        .call(
            reqwest::Method::PUT,
            &format!("/api/periods/{mar}/facts/HZ07/visits_done"),
            Some(json!({ "value": "37" })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, _) = try_step(&bh, mar, json!({ "action": "publish" })).await;
    assert_eq!(
        st,
        StatusCode::CONFLICT,
        "the data changed: recompute first"
    );
    step(&bh, mar, json!({ "action": "compute" })).await;
    step(&bh, mar, json!({ "action": "publish" })).await;
    let mine = hz07.ok(&format!("/api/periods/{mar}/people/HZ07")).await;
    assert_eq!(mine["result"]["score"], "66.25");
    assert_eq!(
        mine["appeals"][0]["state"], "republished",
        "the person is told: {}",
        mine["appeals"]
    );
    // Only HZ07's result changed: only HZ07 signs again.
    let (st, b) = try_step(&bh, mar, json!({ "action": "finalize" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    hz07.must(
        &format!("/api/periods/{mar}/signatures"),
        json!({ "person": "HZ07", "subject": "score", "kind": "signed" }),
    )
    .await;

    finish(s, mar, &["HZ07"]).await;
    // The clock moved past the sessions' 12 hours: sign in again.
    let bh = s.login("bh", "password-123").await;
    let hz07 = s.login("hz07", "password-123").await;
    let hz01 = s.login("hz01", "password-123").await;

    // Letters: the warning letter (P8.9 style, improvement path), the elimination-list notice
    // and the monthly summary (P2.6).
    let docs = bh
        .must(&format!("/api/periods/{mar}/letters"), json!({}))
        .await;
    let kinds: Vec<(&str, &str)> = docs["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap_or(""),
                d["person_id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(kinds.contains(&("warning_letter", "HZ07")), "{kinds:?}");
    assert!(kinds.contains(&("elimination_notice", "HZ07")), "{kinds:?}");
    assert!(kinds.contains(&("monthly_summary", "")), "{kinds:?}");
    let own = hz07.ok(&format!("/api/periods/{mar}/documents")).await;
    let pdf = own
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|d| d["kind"] == "warning_letter" && d["mime"] == "application/pdf")
        })
        .expect("own warning letter listed")["id"]
        .clone();
    let (st, bytes) = hz07.bytes(&format!("/api/documents/{pdf}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(bytes.starts_with(b"%PDF"));
    let (st, _) = hz01.bytes(&format!("/api/documents/{pdf}")).await;
    assert_eq!(
        st,
        StatusCode::NOT_FOUND,
        "another employee's letter is invisible"
    );

    // The monthly summary names all ten: a department head of one department of the branch
    // (none of the ten is in it) neither sees it listed nor downloads it.
    let summary = docs["documents"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["kind"] == "monthly_summary"))
        .expect("summary")["id"]
        .clone();
    let admin = s.login("admin", ADMIN_PW).await;
    let dept = admin
        .must(
            "/api/org/units",
            json!({ "parent_id": org.hz, "kind": "department", "name": "营销部" }),
        )
        .await["id"]
        .as_i64()
        .expect("unit id");
    admin
        .must(
            "/api/users",
            json!({ "login": "dh2", "password": "password-123", "role": "department_head", "scope_unit_id": dept }),
        )
        .await;
    let dh2 = s.login("dh2", "password-123").await;
    let (st, listed) = dh2.get(&format!("/api/periods/{mar}/documents")).await;
    assert!(
        st == StatusCode::NOT_FOUND || !listed.to_string().contains("monthly_summary"),
        "{st} {listed}"
    );
    let (st, _) = dh2.bytes(&format!("/api/documents/{summary}")).await;
    assert_eq!(
        st,
        StatusCode::NOT_FOUND,
        "the summary is not a department head's"
    );
    let (st, _) = bh.bytes(&format!("/api/documents/{summary}")).await;
    assert_eq!(
        st,
        StatusCode::OK,
        "the branch head's scope covers everyone in it"
    );
    assert!(hz01
        .ok(&format!("/api/periods/{mar}/documents"))
        .await
        .as_array()
        .is_some_and(|a| a.is_empty()));

    // The elimination list never becomes a termination by itself: every gate is checked.
    let hr = s.login("hr", "password-123").await;
    let ev = json!({
        "absolute_standard": null, "target_raised_mid_period": false, "finding_date": null,
        "remediation": [], "reassessments": [], "protected": [], "continuous_service_since": null,
        "statutory_retirement": null, "probation_until": null, "written_reason": null,
        "hiring_conditions": null, "union_notified_on": null, "notice": { "kind": "none" },
        "serious_conduct_rule": null, "evidence_attached": [], "policy_adopted": null,
        "policy_published": null, "agreement_signed_on": null, "confirmed": [], "wages": null
    });
    let (st, b) = hr
        .post(
            &format!("/api/periods/{mar}/people/HZ07/termination-check"),
            json!({ "outcome": "incompetence_review", "date": "2025-04-30", "evidence": ev, "record": true }),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    let gates = b["error"]["verdict"]["gates"].as_array().expect("gates");
    assert!(
        gates
            .iter()
            .any(|g| g["status"] == "fail" && g["article"].as_str().unwrap_or("").contains("40")),
        "{gates:?}"
    );

    // No GET endpoint shows HZ07's score, letters or explanation to HZ01.
    let all_docs: Vec<i64> = bh
        .ok(&format!("/api/periods/{mar}/documents"))
        .await
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["id"].as_i64()).collect())
        .unwrap_or_default();
    let policy = org.policy;
    employee_crawl(
        &hz01,
        policy,
        &[feb, mar],
        a["id"].as_i64().unwrap_or(0),
        &all_docs,
    )
    .await;

    // After the month is closed, a correction is an amendment with a reason; the original run
    // stays visible.
    let (st, b) = hr
        .call(
            reqwest::Method::PUT,
            &format!("/api/periods/{mar}/facts/HZ03/sales_actual"),
            Some(json!({ "value": "89" })),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::OK,
        "HQ HR may correct data after final: {b}"
    );
    let (st, b) = try_step(&hr, mar, json!({ "action": "amend", "reason": "" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "an amendment needs a reason: {b}");
    let before = hr.ok(&format!("/api/periods/{mar}/runs")).await["runs"]
        .as_array()
        .map_or(0, |a| a.len());
    let amended = step(
        &hr,
        mar,
        json!({ "action": "amend", "reason": "销售额漏记1万元 / 10k of sales missed" }),
    )
    .await;
    assert_eq!(amended["state"], "closed", "an amendment keeps the state");
    let runs = hr.ok(&format!("/api/periods/{mar}/runs")).await;
    assert_eq!(runs["runs"].as_array().map_or(0, |a| a.len()), before + 1);
    assert_eq!(
        runs["amendments"][0]["reason"],
        "销售额漏记1万元 / 10k of sales missed"
    );
    let original = runs["runs"][before - 1]["id"]
        .as_i64()
        .expect("original run");
    let old = hr.ok(&format!("/api/periods/{mar}/runs/{original}")).await;
    assert_eq!(
        person(&old["result"], "HZ03")["score"],
        "88.6",
        "the original stays as it was"
    );
    let new = hr.ok(&format!("/api/periods/{mar}/results")).await;
    assert_eq!(
        person(&new["result"], "HZ03")["score"],
        "89.3",
        "70 × 89/100 = 62.3, + 13.5 + 13.5"
    );
    // A branch head may not change data after final.
    let (st, _) = bh
        .call(
            reqwest::Method::PUT,
            &format!("/api/periods/{mar}/facts/HZ03/sales_actual"),
            Some(json!({ "value": "90" })),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);

    // Every step is on record, and the chain is intact.
    let admin = s.login("admin", ADMIN_PW).await;
    let v = admin.ok("/api/audit/verify").await;
    assert_eq!(v["ok"], true, "{v}");
}

both!(p4_month_walk);
