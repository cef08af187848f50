//! The onboarding cohort board (P3) and the promotion round (P5) through a real server, on
//! SQLite and PostgreSQL, with the shipped example files uploaded through the API; and both
//! pages on the demo seed (`kaohe demo`).
//!
//! Hand-worked values, examples/p3-onboarding/README.md (exam = 0.4 × written + 0.6 × speech,
//! "below" is strict, P3.3 Decision): 9 trainees; XY01 邵文博, XY06 谢婉清 and XY09 邹宇 pass
//! every P3.3 gate; XY05 曾子豪 fails (d) with 0.4×60 + 0.6×72 = 67.2 < 70; XY06 sits on every
//! threshold (70 points, 10 calls a day: not below) and has one warning — the P3.2 "first
//! warning" gate records 口头警告并观察 without failing her; XY07 田俊逸 has 3 days below 10
//! (9, 8, 7) and fails (e); XY08 袁梦琪 fails (b), (d) 66.8, (e) and P3.2's second warning —
//! 4 failures, every one listed; XY09 has only 2 days below 10 and passes. So 3 pass, 6 fail.
//!
//! examples/p5-promotion/README.md (ranked by annual score within the level, rank % = rank ÷
//! group size × 100): up — KJ01 谭子怡 见习 → 初级 (P5.6), KC01 范志强 and KC02 石佳宁 初级 → 中级
//! (P5.7), KM01 顾明哲 中级 → 高级 (P5.7); down — KM05 胡一凡 中级 → 初级 and KS02 江晓蕾 高级 → 中级
//! (skill test failed and score < 60, P5.7); the other 9 stay (e.g. KC04 贺雨涵: the skill test
//! is mandatory). Allowances (P5.1): 见习 0, 初级 300, 中级 600, 高级 1000 yuan a month.

use kaohe_server::both;
use kaohe_server::testing::*;
use reqwest::StatusCode;
use serde_json::json;

/// GET a page; returns the status and the HTML.
async fn page(c: &Client, path: &str) -> (StatusCode, String) {
    let r = c
        .http
        .get(format!("{}{}", c.base, path))
        .send()
        .await
        .expect("send");
    let s = r.status();
    (s, r.text().await.unwrap_or_default())
}

/// A GET that must answer 200.
async fn ok_page(c: &Client, path: &str) -> String {
    let (s, html) = page(c, path).await;
    assert_eq!(s, StatusCode::OK, "GET {path}: {html}");
    html
}

/// The text after the first `key` up to the next `"` (an attribute value such as the CSRF
/// token or a link).
fn quoted_after(html: &str, key: &str) -> String {
    let i = html
        .find(key)
        .unwrap_or_else(|| panic!("no {key} in {html}"))
        + key.len();
    html[i..i + html[i..].find('"').expect("closing quote")].to_string()
}

/// The `<tr …>…</tr>` of the first table row holding `needle`.
fn row_of<'a>(html: &'a str, needle: &str) -> &'a str {
    let body = html.find("<tbody").unwrap_or(0);
    let i = body
        + html[body..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} missing: {html}"));
    let start = html[..i].rfind("<tr").unwrap_or(0);
    let end = i + html[i..].find("</tr>").unwrap_or(0);
    &html[start..end]
}

/// The number of `<tr` rows in every `<tbody>` of the page.
fn body_rows(html: &str) -> usize {
    html.split("<tbody")
        .skip(1)
        .map(|b| {
            b.split("</tbody>")
                .next()
                .unwrap_or("")
                .matches("<tr")
                .count()
        })
        .sum()
}

fn example(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../examples/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("examples/{path}: {e}"))
}

fn policy_file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../policies/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("policies/{name}: {e}"))
}

async fn unit(admin: &Client, parent: i64, kind: &str, name: &str) -> i64 {
    admin
        .must(
            "/api/org/units",
            json!({ "parent_id": parent, "kind": kind, "name": name }),
        )
        .await["id"]
        .as_i64()
        .expect("unit id")
}

async fn user(admin: &Client, login: &str, role: &str, scope: Option<i64>, person: Option<&str>) {
    admin
        .must(
            "/api/users",
            json!({ "login": login, "password": "password-123", "role": role,
                    "scope_unit_id": scope, "person_id": person }),
        )
        .await;
}

/// Upload a policy; returns its version id.
async fn upload_policy(admin: &Client, file: &str) -> i64 {
    let (st, p) = admin.upload("/api/policies", policy_file(file)).await;
    assert_eq!(st, StatusCode::OK, "policy {file}: {p}");
    p["id"].as_i64().expect("policy id")
}

/// A period with the example's roster and facts, computed.
async fn computed_period(c: &Client, policy: i64, label: &str, unit: i64, ex: &str) -> i64 {
    let p = c
        .must(
            "/api/periods",
            json!({ "policy_version_id": policy, "label": label, "unit_id": unit }),
        )
        .await;
    let id = p["id"].as_i64().expect("period id");
    step(c, id, json!({ "action": "start_collecting" })).await;
    let (st, b) = c
        .upload(
            &format!("/api/periods/{id}/roster?file=roster.xlsx"),
            example(&format!("{ex}/roster.xlsx")),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "roster: {b}");
    let (st, b) = c
        .upload(
            &format!("/api/periods/{id}/facts?file=facts.xlsx"),
            example(&format!("{ex}/facts.xlsx")),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "facts: {b}");
    step(c, id, json!({ "action": "compute" })).await;
    id
}

/// Switch a client to English.
async fn english(c: &Client) {
    let r = c
        .http
        .get(format!("{}/lang/en", c.base))
        .send()
        .await
        .expect("lang");
    assert!(r.status().is_success() || r.status().is_redirection());
}

async fn onboarding_board(s: &Server) {
    let (admin, org) = setup(s).await;
    let nj = unit(&admin, org.region, "branch", "南京分公司").await;
    user(&admin, "njh", "branch_head", Some(nj), None).await;
    let p3 = upload_policy(&admin, "p3-onboarding.toml").await;
    let njh = s.login("njh", "password-123").await;

    // Empty state: a period opened, nothing computed.
    let empty = njh
        .must(
            "/api/periods",
            json!({ "policy_version_id": p3, "label": "2025-04 第2期", "unit_id": nj }),
        )
        .await["id"]
        .as_i64()
        .expect("id");
    let html = ok_page(&njh, &format!("/periods/{empty}/onboarding")).await;
    assert!(html.contains("本期尚未计算"), "{html}");
    assert!(!html.contains("<tbody"), "no table before a result");

    let id = computed_period(&njh, p3, "2025-03 第1期", nj, "p3-onboarding").await;
    let html = ok_page(&njh, &format!("/periods/{id}/onboarding")).await;
    // Counts: 9 in the cohort, 3 pass every gate, 6 fail (README).
    assert!(
        html.contains("<span class=\"pc-count\">9</span>本期学员"),
        "{html}"
    );
    assert!(html.contains("<span class=\"pc-count\">3</span>全部关卡通过"));
    assert!(html.contains("<span class=\"pc-count\">6</span>未通过"));
    assert_eq!(body_rows(&html), 9);
    assert!(html.contains("table class=\"grid sortable pc-board\""));
    // One column per gate, with the rule id.
    for g in [
        "(一)",
        "(二)",
        "(三)",
        "(四)",
        "(五)",
        "第二次警告",
        "首次违规",
    ] {
        assert!(html.contains(g), "gate {g} missing");
    }
    // Probation: a written reason, Art. 21 / 39(1); never an automatic termination.
    assert!(html.contains("劳动合同法第21条、第39条第1项"), "{html}");
    let tbody = &html[html.find("<tbody").unwrap_or(0)..];
    assert!(!tbody.contains("解除"), "no termination as an outcome");

    // XY05 曾子豪: (d) 0.4×60 + 0.6×72 = 67.20 < 70 (P3.3), his only failure.
    let xy05 = row_of(&html, "曾子豪");
    assert!(xy05.contains("67.20"), "{xy05}");
    assert!(
        xy05.contains("未通过：(四) 笔试40%+演讲60%低于70分（P3.3）"),
        "{xy05}"
    );
    assert!(
        xy05.contains("<td class=\"num pc-failcount\">1</td>"),
        "{xy05}"
    );
    assert!(xy05.contains("未通过入职考核"), "{xy05}");
    // The reason is in the cell's title (tooltip) too.
    assert!(
        xy05.contains("title=\"未通过：(四) 笔试40%+演讲60%低于70分（P3.3）；入职考核总分 = 67.20"),
        "{xy05}"
    );
    // XY06 谢婉清: exactly 70.00 and 10 calls every day pass; the first warning is recorded
    // (P3.2) without failing her.
    let xy06 = row_of(&html, "谢婉清");
    assert!(
        xy06.contains("70.00") && xy06.contains("通过（有记录）"),
        "{xy06}"
    );
    assert!(
        xy06.contains("记录：首次违规：口头警告并观察（P3.2）"),
        "{xy06}"
    );
    assert!(xy06.contains("口头警告并观察（P3.2）"));
    assert!(
        xy06.contains("0天不足") && !xy06.contains("pc-day pc-low"),
        "{xy06}"
    );
    assert!(
        xy06.contains("<td class=\"num pc-failcount\">0</td>"),
        "{xy06}"
    );
    // XY07 田俊逸: calls 9/12/8/10/7 → 3 days below 10 (P3.3 (e)).
    let xy07 = row_of(&html, "田俊逸");
    assert_eq!(xy07.matches("pc-day pc-low").count(), 3, "{xy07}");
    assert!(xy07.contains("3天不足") && xy07.contains("(五) 有三天日电话量低于10通"));
    // XY08 袁梦琪: (b), (d) 66.80, (e) and the second warning — all four listed.
    let xy08 = row_of(&html, "袁梦琪");
    assert!(xy08.contains("66.80"), "{xy08}");
    assert!(
        xy08.contains("<td class=\"num pc-failcount\">4</td>"),
        "{xy08}"
    );
    for r in ["(二)", "(四)", "(五)", "第二次警告"] {
        assert!(
            xy08.contains(&format!("未通过：{r}")) || xy08.contains(r),
            "{r}: {xy08}"
        );
    }
    assert_eq!(
        xy08.matches("class=\"pc-reason pc-bad\"").count(),
        4,
        "{xy08}"
    );
    // XY09 邹宇: only 2 days below 10 → passes.
    let xy09 = row_of(&html, "邹宇");
    assert!(
        xy09.contains("2天不足") && xy09.contains("通过入职考核"),
        "{xy09}"
    );
    // XY01 邵文博: 78.80, passes.
    assert!(row_of(&html, "邵文博").contains("78.80"));

    // The filter: failing only.
    let html = ok_page(&njh, &format!("/periods/{id}/onboarding?show=failed")).await;
    assert_eq!(body_rows(&html), 6);
    assert!(!html.contains("邵文博"));

    // The period page loads the link to the board; the fragment links only the board that fits.
    let html = ok_page(&njh, &format!("/periods/{id}")).await;
    assert!(html.contains(&format!("hx-get=\"/periods/{id}/boards\"")));
    let frag = ok_page(&njh, &format!("/periods/{id}/boards")).await;
    assert!(
        frag.contains(&format!("/periods/{id}/onboarding")),
        "{frag}"
    );
    assert!(!frag.contains("/promotion"), "{frag}");
    // Signed out: an empty fragment, not the sign-in page inside the period page.
    let frag = ok_page(&s.anonymous(), &format!("/periods/{id}/boards")).await;
    assert!(frag.is_empty(), "{frag}");

    // English.
    english(&njh).await;
    let html = ok_page(&njh, &format!("/periods/{id}/onboarding")).await;
    assert!(html.contains("Onboarding cohort") && html.contains("failed onboarding"));
    assert!(html.contains("Art. 21, Art. 39(1)"), "{html}");
    assert!(
        row_of(&html, "曾子豪").contains("failed: (d) Written 40% + speech 60% below 70 (P3.3)")
    );

    // Scope: other branch heads get nothing of it (404, as if it did not exist).
    for who in ["bh", "nbh"] {
        let c = s.login(who, "password-123").await;
        let (st, html) = page(&c, &format!("/periods/{id}/onboarding")).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who}: {html}");
        assert!(!html.contains("曾子豪"));
        let frag = ok_page(&c, &format!("/periods/{id}/boards")).await;
        assert!(frag.is_empty(), "{who}: {frag}");
    }
    // The P4 policy has no gates: the board says it does not apply.
    let p4 = njh
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": "2025-03", "unit_id": nj }),
        )
        .await["id"]
        .as_i64()
        .expect("id");
    let html = ok_page(&njh, &format!("/periods/{p4}/onboarding")).await;
    assert!(html.contains("has no onboarding gates (P3)"), "{html}");

    // An employee of the cohort: nothing before publication, then their own row only.
    user(&admin, "xy05", "employee", None, Some("XY05")).await;
    let xy = s.login("xy05", "password-123").await;
    let html = ok_page(&xy, &format!("/periods/{id}/onboarding")).await;
    assert!(
        html.contains("尚未公示") && !html.contains("<tbody"),
        "{html}"
    );
    let (st, b) = try_step(&njh, id, json!({ "action": "publish" })).await;
    assert_eq!(st, StatusCode::OK, "publish: {b}");
    let html = ok_page(&xy, &format!("/periods/{id}/onboarding")).await;
    assert_eq!(body_rows(&html), 1, "{html}");
    assert!(html.contains("曾子豪") && html.contains("67.20"));
    for other in ["邵文博", "韩雪莉", "袁梦琪", "谢婉清"] {
        assert!(!html.contains(other), "{other} shown to XY05");
    }
    assert!(html.contains("<span class=\"pc-count\">1</span>本人"));
    assert!(html.contains(&format!("href=\"/periods/{id}/me\"")));
}

both!(onboarding_board, kaohe_web::app);

async fn promotion_round(s: &Server) {
    let (admin, org) = setup(s).await;
    let sw = unit(&admin, org.group, "region", "西南区域").await;
    let cd = unit(&admin, sw, "branch", "成都市公司").await;
    unit(&admin, sw, "branch", "绵阳县分公司").await;
    unit(&admin, sw, "branch", "德阳县分公司").await;
    user(&admin, "cdh", "branch_head", Some(cd), None).await;
    let p5 = upload_policy(&admin, "p5-promotion.toml").await;
    let hr = s.login("hr", "password-123").await;

    // Empty state.
    let empty = hr
        .must(
            "/api/periods",
            json!({ "policy_version_id": p5, "label": "2024", "unit_id": sw }),
        )
        .await["id"]
        .as_i64()
        .expect("id");
    let html = ok_page(&hr, &format!("/periods/{empty}/promotion")).await;
    assert!(
        html.contains("本期尚未计算") && !html.contains("<tbody"),
        "{html}"
    );

    let id = computed_period(&hr, p5, "2025", sw, "p5-promotion").await;
    let html = ok_page(&hr, &format!("/periods/{id}/promotion")).await;
    assert!(html.contains("2025 晋升评定") || html.contains("晋升评定"));
    // Counts per move (README): 15 in the round, 4 up, 2 down, 9 stay.
    assert!(
        html.contains("<span class=\"pc-count\">15</span>参评人数"),
        "{html}"
    );
    assert!(html.contains("<span class=\"pc-count\">4</span>晋级"));
    assert!(html.contains("<span class=\"pc-count\">2</span>降级"));
    assert!(html.contains("<span class=\"pc-count\">9</span>不变"));
    assert_eq!(body_rows(&html), 15);
    // Grouped by level in the policy's order (P5.1).
    let pos = |t: &str| html.find(t).unwrap_or_else(|| panic!("{t} missing"));
    assert!(pos("id=\"level-trial\"") < pos("id=\"level-junior\""));
    assert!(pos("id=\"level-junior\"") < pos("id=\"level-middle\""));
    assert!(pos("id=\"level-middle\"") < pos("id=\"level-senior\""));
    assert!(html.contains("津贴 600 元/月"));

    // KJ01 谭子怡: 见习 → 初级 (P5.6), allowance 0 → 300; rank 1 of 3 trainees = 33.33 %.
    let kj01 = row_of(&html, "谭子怡");
    assert!(
        kj01.contains("晋级 ↑") && kj01.contains("data-label=\"→\">初级</td>"),
        "{kj01}"
    );
    assert!(
        kj01.contains("<td>P5.6</td>") && kj01.contains("0 → 300"),
        "{kj01}"
    );
    assert!(kj01.contains("82.00") && kj01.contains("33.33") && kj01.contains("1/3"));
    assert!(kj01.contains("须人工确认"), "{kj01}");
    // KC01 范志强: 92, first of 5 juniors (20 %) → 中级 (P5.7).
    let kc01 = row_of(&html, "范志强");
    assert!(kc01.contains("data-label=\"→\">中级</td>") && kc01.contains("<td>P5.7</td>"));
    assert!(kc01.contains("92.00") && kc01.contains("20.00") && kc01.contains("300 → 600"));
    assert!(kc01.contains("2023年3月1日"), "定级日期: {kc01}");
    // KC02 石佳宁: 86 ≥ 85 → 中级.
    assert!(row_of(&html, "石佳宁").contains("晋级 ↑"));
    // KM01 顾明哲 → 高级, 600 → 1000.
    let km01 = row_of(&html, "顾明哲");
    assert!(km01.contains("data-label=\"→\">高级</td>") && km01.contains("600 → 1000"));
    // Demotions on absolute standards (P5.7): KM05 胡一凡 55, KS02 江晓蕾 58.
    let km05 = row_of(&html, "胡一凡");
    assert!(
        km05.contains("降级 ↓")
            && km05.contains("data-label=\"→\">初级</td>")
            && km05.contains("600 → 300")
    );
    assert!(
        km05.contains("满足（P5.7）：技能测试通过：否，且 年度绩效得分 &#60; 60"),
        "{km05}"
    );
    let ks02 = row_of(&html, "江晓蕾");
    assert!(
        ks02.contains("降级 ↓")
            && ks02.contains("data-label=\"→\">中级</td>")
            && ks02.contains("1000 → 600")
    );
    // Stays, with the conditions not met: KC04 贺雨涵 (skill test mandatory), KJ02 黎俊辉
    // (approval missing), KS01 潘立群 (top level: only the demotion rule, not triggered).
    let kc04 = row_of(&html, "贺雨涵");
    assert!(
        kc04.contains("不变") && kc04.contains("未满足晋级中级的条件（P5.7）"),
        "{kc04}"
    );
    assert!(kc04.contains("88.00") && kc04.contains("data-label=\"→\">初级</td>"));
    let kj02 = row_of(&html, "黎俊辉");
    assert!(
        kj02.contains("不变") && kj02.contains("市场部人力资源部报批通过：是"),
        "{kj02}"
    );
    let ks01 = row_of(&html, "潘立群");
    assert!(ks01.contains("未触发降为中级的条件"), "{ks01}");

    // Filters: the two demotions; the senior level.
    let html = ok_page(&hr, &format!("/periods/{id}/promotion?move=down")).await;
    assert_eq!(body_rows(&html), 2, "{html}");
    assert!(html.contains("胡一凡") && html.contains("江晓蕾"));
    let html = ok_page(&hr, &format!("/periods/{id}/promotion?level=senior")).await;
    assert_eq!(body_rows(&html), 2);
    assert!(html.contains("潘立群") && !html.contains("谭子怡"));
    let html = ok_page(
        &hr,
        &format!("/periods/{id}/promotion?level=junior&move=up"),
    )
    .await;
    assert_eq!(body_rows(&html), 2);
    let html = ok_page(&hr, &format!("/periods/{id}/promotion?level=nope")).await;
    assert!(html.contains("没有符合筛选条件的人员"));

    // The period page's fragment links the promotion round only.
    let frag = ok_page(&hr, &format!("/periods/{id}/boards")).await;
    assert!(frag.contains(&format!("/periods/{id}/promotion")) && !frag.contains("onboarding"));

    // English.
    english(&hr).await;
    let html = ok_page(&hr, &format!("/periods/{id}/promotion")).await;
    assert!(html.contains("Promotion round") && row_of(&html, "谭子怡").contains("up ↑"));
    assert!(row_of(&html, "贺雨涵").contains("conditions for Middle not met (P5.7)"));

    // Scope: the head of 成都市公司 sees their subtree only (KJ01, KC01, KC04, KM02, KM05).
    let cdh = s.login("cdh", "password-123").await;
    let html = ok_page(&cdh, &format!("/periods/{id}/promotion")).await;
    assert_eq!(body_rows(&html), 5, "{html}");
    assert!(html.contains("<span class=\"pc-count\">5</span>参评人数"));
    for name in ["谭子怡", "范志强", "贺雨涵", "严若曦", "胡一凡"] {
        assert!(html.contains(name), "{name}");
    }
    for name in ["黎俊辉", "石佳宁", "顾明哲", "江晓蕾"] {
        assert!(!html.contains(name), "{name} is outside 成都市公司");
    }
    // A branch head elsewhere gets nothing.
    let nbh = s.login("nbh", "password-123").await;
    let (st, html) = page(&nbh, &format!("/periods/{id}/promotion")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(!html.contains("谭子怡"));
    // An employee: their own row once published.
    user(&admin, "kc04", "employee", None, Some("KC04")).await;
    let kc = s.login("kc04", "password-123").await;
    let html = ok_page(&kc, &format!("/periods/{id}/promotion")).await;
    assert!(
        html.contains("尚未公示") && !html.contains("<tbody"),
        "{html}"
    );
    let (st, b) = try_step(&hr, id, json!({ "action": "publish" })).await;
    assert_eq!(st, StatusCode::OK, "publish: {b}");
    let html = ok_page(&kc, &format!("/periods/{id}/promotion")).await;
    assert_eq!(body_rows(&html), 1, "{html}");
    assert!(html.contains("贺雨涵") && !html.contains("范志强"));

    // The P4 policy has no level changes.
    let p4 = hr
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": "2025-03", "unit_id": org.hz }),
        )
        .await["id"]
        .as_i64()
        .expect("id");
    let html = ok_page(&hr, &format!("/periods/{p4}/promotion")).await;
    assert!(html.contains("Promotion round") && html.contains("no level changes"));
}

both!(promotion_round, kaohe_web::app);

/// Both pages on `kaohe demo`'s seed: the P3 and P5 periods the demo computes and publishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_boards() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
    let state = kaohe_server::state(kaohe_server::Config {
        database_url: url,
        test_clock: true,
        secure_cookies: false,
    })
    .await
    .expect("state");
    kaohe_server::demo::seed(&state).await.expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = kaohe_web::app(state.clone());
    let task = tokio::spawn(async move {
        let _ = kaohe_server::serve_router(app, listener).await;
    });
    let login = |name: &'static str| {
        let base = base.clone();
        async move {
            let c = Client::new(&base);
            let (st, b) = c
                .post(
                    "/api/login",
                    json!({ "login": name, "password": kaohe_server::demo::PASSWORD }),
                )
                .await;
            assert_eq!(st, StatusCode::OK, "{name}: {b}");
            c
        }
    };
    let hr = login("hr").await;
    let periods = hr.ok("/api/periods").await;
    let find = |policy: &str| {
        periods
            .as_array()
            .and_then(|a| a.iter().find(|p| p["policy_id"] == policy))
            .and_then(|p| p["id"].as_i64())
            .unwrap_or_else(|| panic!("no {policy} period: {periods}"))
    };
    let (p3, p5) = (find("p3-onboarding"), find("p5-promotion"));
    let html = ok_page(&hr, &format!("/periods/{p3}/onboarding")).await;
    assert!(
        html.contains("<span class=\"pc-count\">9</span>本期学员"),
        "{html}"
    );
    assert!(html.contains("<span class=\"pc-count\">3</span>全部关卡通过"));
    assert!(row_of(&html, "曾子豪").contains("67.20"));
    let html = ok_page(&hr, &format!("/periods/{p5}/promotion")).await;
    assert!(
        html.contains("<span class=\"pc-count\">4</span>晋级"),
        "{html}"
    );
    assert!(html.contains("<span class=\"pc-count\">2</span>降级"));
    assert!(row_of(&html, "胡一凡").contains("降级 ↓"));
    // 杭州分公司's head sees neither cohort.
    let bh = login("bh").await;
    assert_eq!(
        page(&bh, &format!("/periods/{p3}/onboarding")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&bh, &format!("/periods/{p5}/promotion")).await.0,
        StatusCode::NOT_FOUND
    );

    // P7's period page names the policy's 办公室 with the role acting for it (chain_roles,
    // P7.4), and the 2025-Q4 line waits on its tie: computed, not published (P7.6).
    let q4 = periods
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|p| p["policy_id"] == "p7-department-raters" && p["label"] == "2025-Q4")
        })
        .and_then(|p| p["id"].as_i64())
        .expect("P7 2025-Q4");
    let html = ok_page(&hr, &format!("/periods/{q4}")).await;
    assert!(html.contains("办公室（总部人事部） → 总经办"), "{html}");
    assert!(
        html.contains("末位并列，待裁决") && !html.contains("公示页"),
        "{html}"
    );
    // The sales manager of 杭州 gets the entry grid from the walkable month's page, and no
    // instruction to press 计算, which is not theirs.
    let walk = kaohe_server::demo::walk_period(&state).await.expect("walk");
    let sm = login("sm").await;
    let html = ok_page(&sm, &format!("/periods/{walk}")).await;
    assert!(
        html.contains(&format!("href=\"/periods/{walk}/entry\"")),
        "{html}"
    );
    assert!(!html.contains("点“计算”"), "{html}");

    // The demo rater (P7.2): the dashboard lists 2025 Q1 of 市场拓展部 with three colleagues to
    // rate, none rated yet; the grid shows exactly those three.
    let rater = login("rater").await;
    let dash = ok_page(&rater, "/").await;
    let todo = row_of(&dash, "2025年第1季度");
    assert!(todo.contains("0/3") && todo.contains("去评分"), "{dash}");
    let href = quoted_after(todo, "href=\"");
    assert!(href.ends_with("/rate"), "{href}");
    let grid = ok_page(&rater, &href).await;
    for (id, name) in [("SC01", "罗文静"), ("SC02", "葛志鹏"), ("SC03", "车晓燕")] {
        assert!(grid.contains(&format!("name=\"score/{id}\"")) && grid.contains(name));
    }
    assert!(!grid.contains("武浩然"), "only the people assigned");
    // 88 is saved; 150 is refused in words (a rating is out of 100, P7.2), 八十 is no number.
    let csrf = quoted_after(&grid, "name=\"_csrf\" value=\"");
    let r = rater
        .http
        .post(format!("{}{href}", rater.base))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("score/SC01", "88"),
            ("score/SC02", "150"),
            ("score/SC03", "八十"),
        ])
        .send()
        .await
        .expect("post");
    let html = r.text().await.unwrap_or_default();
    assert!(html.contains("超出范围，应在 0 到 100 之间"), "{html}");
    assert!(html.contains("不是数字"), "{html}");
    let dash = ok_page(&rater, "/").await;
    assert!(row_of(&dash, "2025年第1季度").contains("1/3"), "{dash}");
    // The rater sees no ranking and no management menu.
    assert!(!dash[..dash.find("</nav>").unwrap_or(0)].contains("href=\"/import\""));

    // HQ HR sees who rates whom in 2025-Q1 (P7.2) and assigns one more through the page; a
    // group the policy does not have and a second assignment of the same pair are refused.
    let q1 = href
        .trim_start_matches("/periods/")
        .trim_end_matches("/rate")
        .to_string();
    let html = ok_page(&hr, &format!("/periods/{q1}")).await;
    assert!(html.contains("评分人分配（P7.2）"), "{html}");
    assert!(row_of(&html, "罗文静（SC01）").contains("已评"), "{html}");
    assert!(row_of(&html, "葛志鹏（SC02）").contains("未评"), "{html}");
    let csrf = quoted_after(&html, "name=\"_csrf\" value=\"");
    let assign = |ratee: &'static str, group: &'static str| {
        let (hr, csrf, q1) = (&hr, csrf.clone(), q1.clone());
        async move {
            let r = hr
                .http
                .post(format!("{}/periods/{q1}/assignments", hr.base))
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("rater", "rater"),
                    ("ratee", ratee),
                    ("group", group),
                ])
                .send()
                .await
                .expect("post");
            (r.status(), r.text().await.unwrap_or_default())
        }
    };
    let (st, html) = assign("SC04", "门卫").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{html}");
    assert!(html.contains("评分组“门卫”不是本制度的评分组"), "{html}");
    let (st, html) = assign("SC01", "同事").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{html}");
    assert!(html.contains("已分配给评分人"), "{html}");
    let (st, html) = assign("SC04", "部门负责人").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(
        row_of(&html, "汤俊峰（SC04）").contains("部门负责人"),
        "{html}"
    );
    let dash = ok_page(&rater, "/").await;
    assert!(row_of(&dash, "2025年第1季度").contains("1/4"), "{dash}");
    task.abort();
}
