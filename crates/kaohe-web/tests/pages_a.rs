//! The period, person, appeal and approval pages walked through a P4 month with the page
//! forms (CSRF token taken from each page's `_csrf` field), on SQLite and PostgreSQL.
//!
//! Hand-worked values (examples/p4-group-sales/README.md): HZ07 潘俊熙 scores 42 + 0 + 15 = 57
//! (visits 35/60 = 58.3 % < 60 % → 0, P4.5), the bottom of 杭州分公司 and in the line (P4.12);
//! HZ08 杜欣怡 is just above with 67.5. Shown with the policy's 2 decimals: 57.00, 67.50. After
//! the accepted appeal (visits 37: 15 × 37/60 = 9.25, P4.5) HZ07 has 66.25, still the bottom.

use kaohe_server::testing::*;
use reqwest::StatusCode;
use serde_json::json;

/// GET a page with the client's cookies; returns the final status and the HTML.
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

/// The value of the first hidden input `name` in the HTML.
fn field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let i = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} field in the page: {html}"));
    let rest = &html[i + key.len()..];
    rest[..rest.find('"').unwrap_or(0)].to_string()
}

/// POST a form (no CSRF header: the token travels in the form, as a browser sends it).
async fn form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let r = c
        .http
        .post(format!("{}{}", c.base, path))
        .form(fields)
        .send()
        .await
        .expect("send");
    let s = r.status();
    (s, r.text().await.unwrap_or_default())
}

/// Take a cycle step with the period page's form.
async fn step_page(c: &Client, id: i64, action: &str) -> (StatusCode, String) {
    let (st, html) = page(c, &format!("/periods/{id}")).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    let csrf = field(&html, "_csrf");
    let v = field(&html, "expected_version");
    form(
        c,
        &format!("/periods/{id}/transition"),
        &[
            ("_csrf", &csrf),
            ("expected_version", &v),
            ("action", action),
        ],
    )
    .await
}

/// The `<tr …>` row of the ranking that holds `needle`.
fn row_of<'a>(html: &'a str, needle: &str) -> &'a str {
    // The first table row naming the person (the chart above the table names them too).
    let body = html.find("<tbody").unwrap_or(0);
    let i = body
        + html[body..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"));
    let start = html[..i].rfind("<tr").unwrap_or(0);
    let end = i + html[i..].find("</tr>").unwrap_or(0);
    &html[start..end]
}

async fn pages_walk(s: &Server) {
    let (admin, org) = setup(s).await;
    let bh = s.login("bh", "password-123").await;
    let p = bh
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": "2025-03", "unit_id": org.hz }),
        )
        .await;
    let id = p["id"].as_i64().expect("period id");

    // The period page before anything: state, the empty ranking, the first step offered.
    let (st, html) = page(&bh, &format!("/periods/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("2025年3月"), "dates as 2025年3月");
    assert!(
        html.contains("杭州分公司 2025年3月 考核") && html.contains("销售人员末位淘汰制度 第1版"),
        "the period names its branch and its policy, not file ids"
    );
    let (_, dash) = page(&bh, "/").await;
    assert!(
        dash.contains("杭州分公司 · 销售人员末位淘汰制度 第1版"),
        "{dash}"
    );
    assert!(html.contains("本期尚未计算"), "empty state");
    assert!(html.contains("开始收集数据"));
    assert!(
        !html.contains("value=\"publish\""),
        "publish is not a step from open"
    );
    // Without the form's CSRF token, nothing changes.
    let (st, _) = form(
        &bh,
        &format!("/periods/{id}/transition"),
        &[("expected_version", "1"), ("action", "start_collecting")],
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, html) = step_page(&bh, id, "start_collecting").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("数据收集中"), "{html}");

    let (st, b) = bh
        .upload(&format!("/api/periods/{id}/roster?file=r.csv"), hz_roster())
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = bh
        .upload(&format!("/api/periods/{id}/facts?file=f.csv"), hz_facts())
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    employees(&admin).await;

    // A stale version: the period moved on since the page was shown → 409 in words.
    let (_, before) = page(&bh, &format!("/periods/{id}")).await;
    let old_v = field(&before, "expected_version");
    let csrf = field(&before, "_csrf");
    let (st, html) = step_page(&bh, id, "compute").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    let (st, html) = form(
        &bh,
        &format!("/periods/{id}/transition"),
        &[
            ("_csrf", &csrf),
            ("expected_version", &old_v),
            ("action", "compute"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(html.contains("已被他人修改"), "{html}");

    // The ranking: HZ07 潘俊熙 57.00 at the bottom, the line drawn above his row (P4.12).
    let (st, html) = page(&bh, &format!("/periods/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    let hz07 = row_of(&html, "潘俊熙");
    assert!(hz07.contains("57.00"), "{hz07}");
    assert!(
        hz07.contains("line-mark") && hz07.contains("进入末位线"),
        "{hz07}"
    );
    assert!(hz07.contains(">10<"), "rank 10: {hz07}");
    let hz08 = row_of(&html, "杜欣怡");
    assert!(
        hz08.contains("67.50") && !hz08.contains("line-row"),
        "{hz08}"
    );
    assert!(row_of(&html, "钱思远").contains("100.00"));
    // The score column is headed 考核总分, what P4 ranks by (P4.2/P4.9), and the total is not
    // shown a second time as an indicator column.
    assert!(html.contains(">考核总分</th>") && html.contains(">日常工作得分</th>"));
    assert_eq!(hz07.matches("57.00").count(), 1, "{hz07}");
    // In English the columns carry the policy's English names.
    for l in ["en", "zh"] {
        let r = bh.http.get(format!("{}/lang/{l}", bh.base)).send().await;
        assert!(r.is_ok_and(|r| r.status().is_success() || r.status().is_redirection()));
        if l == "en" {
            let (_, en) = page(&bh, &format!("/periods/{id}")).await;
            assert!(
                en.contains(">Total</th>") && en.contains(">Daily work</th>"),
                "{en}"
            );
            // …and so does a person's score breakdown.
            let (_, p) = page(&bh, &format!("/periods/{id}/people/HZ07")).await;
            assert!(
                p.contains("Daily work") && !p.contains("日常工作得分"),
                "{p}"
            );
        }
    }
    assert!(html.contains("class=\"chart dist\"") && html.contains("class=\"cut\""));
    assert!(html.contains(&format!("/api/periods/{id}/export.xlsx")));
    assert!(html.contains("table class=\"grid sortable"));

    // Publish with the form.
    let (st, html) = step_page(&bh, id, "publish").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("公示中") && html.contains(&format!("/periods/{id}/publication")));
    let (st, html) = page(&bh, &format!("/periods/{id}/publication")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("57.00"),
        "managers see the scores in the 公示"
    );

    // HZ07 opens the period: redirected to their own page (57.00, the rule, the trend).
    let hz07c = s.login("hz07", "password-123").await;
    // Their dashboard shows the score as every page does (two decimals, X2), not 57.
    let (_, dash) = page(&hz07c, "/").await;
    assert!(dash.contains("得分 57.00，第 10/10 名"), "{dash}");
    let (st, html) = page(&hz07c, &format!("/periods/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("潘俊熙") && html.contains("57.00"), "{html}");
    assert!(html.contains("P4.5"), "the breakdown names the rule");
    assert!(html.contains("class=\"chart trend\""), "trend chart");
    assert!(html.contains("签字确认"));
    assert!(
        !html.contains("记录拒签"),
        "an employee records no refusals"
    );
    assert!(
        !html.contains("劳动合同法第40条"),
        "the articles are for managers"
    );
    // Sign with the button.
    let csrf = field(&html, "_csrf");
    let (st, html) = form(
        &hz07c,
        &format!("/periods/{id}/people/HZ07/sign"),
        &[("_csrf", &csrf), ("subject", "score"), ("kind", "signed")],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("已签字确认"), "{html}");
    assert!(!html.contains("value=\"signed\""), "no second sign button");
    // Appeal with the form (P4.10).
    let (st, html) = form(
        &hz07c,
        &format!("/periods/{id}/appeal"),
        &[("_csrf", &csrf), ("reason", "有2次拜访已登记但未计入")],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("有2次拜访已登记但未计入") && html.contains("已提交，待复核"));

    // HZ01 sees neither HZ07's page nor HZ07's score anywhere in the pages.
    let hz01 = s.login("hz01", "password-123").await;
    let (st, html) = page(&hz01, &format!("/periods/{id}/people/HZ07")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(
        !html.contains("57.00") && !html.contains("潘俊熙"),
        "{html}"
    );
    let (st, html) = page(&hz01, &format!("/periods/{id}/publication")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("潘俊熙"), "the 公示 names the group");
    assert!(
        !html.contains("57.00") && !html.contains("100.00"),
        "no scores in an employee's 公示: {html}"
    );
    let (_, html) = page(&hz01, &format!("/periods/{id}")).await;
    assert!(
        html.contains("100.00") && !html.contains("57.00"),
        "own page only"
    );

    // The branch head's person page of HZ07 shows the requirements and the refusal form.
    let (st, html) = page(&bh, &format!("/periods/{id}/people/HZ07")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("记录拒签"));

    // The branch head's dashboard counts the appeal awaiting review and links to the queue.
    let (_, dash) = page(&bh, "/").await;
    assert!(
        dash.contains("待复核申诉")
            && dash.contains("class=\"badge warn pa-appeals\" href=\"/appeals\">1<"),
        "{dash}"
    );

    // The review queue: the branch head accepts; a stale second decision is a 409.
    let (st, html) = page(&bh, "/appeals").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("采纳：申诉成立"), "what each decision does");
    assert!(html.contains("有2次拜访已登记但未计入") && html.contains("潘俊熙"));
    let csrf = field(&html, "_csrf");
    let v = field(&html, "expected_version");
    let action = {
        let i = html.find("/appeals/").expect("decision form");
        let rest = &html[i..];
        rest[..rest.find('"').unwrap_or(0)].to_string()
    };
    let (st, html) = form(
        &bh,
        &action,
        &[
            ("_csrf", &csrf),
            ("expected_version", &v),
            ("decision", "accept"),
            ("note", "核实：拜访量应为37"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("没有待复核的申诉") && html.contains("核实：拜访量应为37"));
    let (_, dash) = page(&bh, "/").await;
    assert!(
        !dash.contains("pa-appeals"),
        "decided: nothing left to review"
    );
    let (st, html) = form(
        &bh,
        &action,
        &[
            ("_csrf", &csrf),
            ("expected_version", &v),
            ("decision", "reject"),
            ("note", "late"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("pa-error"), "the 409 in words: {html}");
    // The employee reads the reviewer's note.
    let (_, html) = page(&hz07c, &format!("/periods/{id}/me")).await;
    assert!(html.contains("核实：拜访量应为37") && html.contains("已采纳"));

    // The period page says what the accepted appeal leaves to do, and links the grid.
    let (_, html) = page(&bh, &format!("/periods/{id}")).await;
    assert!(
        html.contains("有 1 件申诉已采纳，待更正") && html.contains("打开录入表"),
        "{html}"
    );
    // Correct, recompute, republish: 66.25 (P4.5); HZ07 signs the new result with the button.
    let (st, b) = bh
        .call(
            reqwest::Method::PUT,
            &format!("/api/periods/{id}/facts/HZ07/visits_done"),
            Some(json!({ "value": "37" })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(step_page(&bh, id, "compute").await.0, StatusCode::OK);
    assert_eq!(step_page(&bh, id, "publish").await.0, StatusCode::OK);
    let (_, html) = page(&bh, &format!("/periods/{id}")).await;
    assert!(
        !html.contains("pa-appeal-note"),
        "corrected and republished"
    );
    let (_, html) = page(&hz07c, &format!("/periods/{id}/me")).await;
    assert!(
        html.contains("66.25") && html.contains("已重新公示"),
        "{html}"
    );
    let csrf = field(&html, "_csrf");
    let (st, html) = form(
        &hz07c,
        &format!("/periods/{id}/people/HZ07/sign"),
        &[("_csrf", &csrf), ("subject", "score"), ("kind", "signed")],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    for (pid, ..) in HZ.iter().filter(|(p, ..)| *p != "HZ07") {
        let c = s.login(&pid.to_lowercase(), "password-123").await;
        c.must(
            &format!("/api/periods/{id}/signatures"),
            json!({ "person": pid, "subject": "score", "kind": "signed" }),
        )
        .await;
    }

    // Past the appeal window: final, measures, submitted for approval (the pages' buttons).
    admin.must("/api/test/clock", json!({ "days": 8 })).await;
    let bh = s.login("bh", "password-123").await;
    for a in ["finalize", "start_measures", "submit_for_approval"] {
        let (st, html) = step_page(&bh, id, a).await;
        assert_eq!(st, StatusCode::OK, "{a}: {html}");
        if a == "start_measures" {
            assert!(
                html.contains("value=\"submit_for_approval\"") && !html.contains("value=\"close\""),
                "with an approval chain there is no way to close round it: {html}"
            );
        }
    }
    // Final: the entry grid is read-only, with why.
    let (_, html) = page(&bh, &format!("/periods/{id}/entry")).await;
    assert!(
        html.contains("数据只读") && html.contains(" readonly"),
        "{html}"
    );

    // The approval queue shows the period to the chain's role for the step only (P4.11:
    // 分公司负责人 → 区总 → 总部人事部).
    let rh = s.login("rh", "password-123").await;
    let hr = s.login("hr", "password-123").await;
    let label = "2025年3月";
    let (_, html) = page(&bh, "/approvals").await;
    assert!(html.contains(label), "branch head approves step 1: {html}");
    let (_, other) = page(&rh, "/approvals").await;
    assert!(!other.contains(label) && other.contains("没有等待您审批"));
    let (_, other) = page(&hr, "/approvals").await;
    assert!(!other.contains(label));
    let approve = |html: String| {
        let csrf = field(&html, "_csrf");
        let v = field(&html, "expected_version");
        (csrf, v)
    };
    let (csrf, v) = approve(html);
    let (st, html) = form(
        &bh,
        &format!("/periods/{id}/transition"),
        &[
            ("_csrf", &csrf),
            ("expected_version", &v),
            ("action", "approve"),
            ("back", "/approvals"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(!html.contains(label), "done for the branch head");
    let (_, html) = page(&bh, &format!("/periods/{id}")).await;
    assert!(
        html.contains("✓ 分公司负责人 → ▶ 区总（待审批） → 总部人事部"),
        "the chain's progress on the period page: {html}"
    );
    let (_, html) = page(&rh, "/approvals").await;
    assert!(html.contains(label), "now the regional head's step");
    // The menu offers what the role may do: the regional head reviews appeals but runs no
    // imports (P4.9: branches do); the GM office only reads.
    let menu = |h: &str| h[..h.find("</nav>").unwrap_or(0)].to_string();
    assert!(menu(&html).contains("href=\"/appeals\"") && !menu(&html).contains("href=\"/import\""));
    let gm = s.login("gm", "password-123").await;
    let (_, g) = page(&gm, "/").await;
    assert!(
        !menu(&g).contains("href=\"/import\"") && !menu(&g).contains("href=\"/appeals\""),
        "{g}"
    );
    assert!(menu(&g).contains("href=\"/approvals\""));
    let (csrf, v) = approve(html);
    let (st, _) = form(
        &rh,
        &format!("/periods/{id}/transition"),
        &[
            ("_csrf", &csrf),
            ("expected_version", &v),
            ("action", "approve"),
            ("back", "/approvals"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let (_, html) = page(&hr, "/approvals").await;
    let (csrf, v) = approve(html);
    let (st, _) = form(
        &hr,
        &format!("/periods/{id}/transition"),
        &[
            ("_csrf", &csrf),
            ("expected_version", &v),
            ("action", "approve"),
            ("back", "/approvals"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK);

    // Closed: letters from the period page; HZ07 finds theirs on their page.
    let (_, html) = page(&bh, &format!("/periods/{id}")).await;
    assert!(html.contains("已关闭"), "{html}");
    let csrf = field(&html, "_csrf");
    let (st, html) = form(&bh, &format!("/periods/{id}/letters"), &[("_csrf", &csrf)]).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("/api/documents/"), "{html}");
    let hz07c = s.login("hz07", "password-123").await;
    let (_, html) = page(&hz07c, &format!("/periods/{id}/me")).await;
    assert!(
        html.contains("/api/documents/"),
        "own letters listed: {html}"
    );
}

kaohe_server::both!(pages_walk, kaohe_web::app);
