//! Pages of set B through a real server (SQLite and PostgreSQL): the import wizard (preview with
//! bad cells highlighted, nothing stored before confirm), the data-entry grid, the policy pages
//! (versions, difference, upload) and the what-if, which writes nothing.
//!
//! Hand-worked values (examples/p4-group-sales/README.md): HZ07 潘俊熙 scores 42 + 0 + 15 = 57
//! (visits 35/60 = 58.3 % < 60 % → 0, P4.5) and is the bottom of 杭州分公司 (P4.12, bottom 1).
//! With 37 visits (61.7 % ≥ 60 %): 15 × 37/60 = 9.25, total 66.25. HZ08 杜欣怡 scores
//! 70 × 75/100 = 52.5 + 15 (62 ≥ 60 visits, capped) + 0 (large share 35 % > 30 %, P4.7) = 67.5,
//! the second lowest: with `bottom = 2` she would enter the line in 2025-03.

use kaohe_server::both;
use kaohe_server::testing::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The `value` of the first hidden input named `name`.
fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in page: {html}"))
        + key.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn page(c: &Client, path: &str) -> String {
    let r = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.text().await.expect("text")
}

/// POST a form; returns the final URL (after redirects), status and body.
async fn post_form(c: &Client, path: &str, form: &[(&str, &str)]) -> (String, StatusCode, String) {
    let r = c
        .http
        .post(format!("{}{path}", c.base))
        .form(form)
        .send()
        .await
        .expect("post");
    let url = r.url().to_string();
    let s = r.status();
    (url, s, r.text().await.expect("text"))
}

/// Upload a file to the wizard's preview.
async fn preview(
    c: &Client,
    period: i64,
    csrf: &str,
    kind: &str,
    name: &str,
    bytes: Vec<u8>,
) -> String {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.to_string())
        .text("kind", kind.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    let r = c
        .http
        .post(format!("{}/import/{period}/preview", c.base))
        .multipart(form)
        .send()
        .await
        .expect("preview");
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.expect("text")
}

async fn audit_rows(admin: &Client) -> usize {
    admin
        .ok("/api/audit?limit=1000")
        .await
        .as_array()
        .map_or(0, Vec::len)
}

fn person<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["result"]["people"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["id"] == id))
        .unwrap_or_else(|| panic!("{id} not in result"))
}

/// Open 2025-03 through the wizard, import with a bad cell (refused, nothing stored), then
/// the good files; compute gives HZ07 57 (P4.4 + P4.5 + P4.7). Then type HZ07's corrected
/// visits in the grid: 66.25 after recomputing; a bad cell is refused in words.
async fn import_and_entry(s: &Server) {
    let (admin, org) = setup(s).await;
    let bh = s.login("bh", "password-123").await;
    let html = page(&bh, "/import").await;
    assert!(html.contains("开启新的考核期间"), "{html}");
    let csrf = hidden(&html, "_csrf");
    let (url, st, html) = post_form(
        &bh,
        "/import/periods",
        &[
            ("_csrf", &csrf),
            ("policy_version_id", &org.policy.to_string()),
            ("label", "2025-03"),
            ("unit_id", &org.hz.to_string()),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    let id: i64 = url
        .split("period=")
        .nth(1)
        .and_then(|x| x.split('&').next())
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("no period in {url}"));
    assert!(html.contains("2025年3月"), "{html}");
    assert!(html.contains("数据收集中"), "{html}");

    // Roster: preview, then confirm.
    let html = preview(&bh, id, &csrf, "roster", "花名册.csv", hz_roster()).await;
    assert!(html.contains("共 10 人"), "{html}");
    assert!(!html.contains("bad-cell"), "{html}");
    let token = hidden(&html, "token");
    let (_, st, html) = post_form(
        &bh,
        &format!("/import/{id}/confirm"),
        &[("_csrf", &csrf), ("token", &token)],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("花名册已导入：10 人"), "{html}");

    // Facts with one bad cell: HZ07's visits "abc" (row 8, column E 有效拜访量).
    let bad = String::from_utf8(hz_facts())
        .expect("utf8")
        .replace("HZ07,潘俊熙,60,100,35,", "HZ07,潘俊熙,60,100,abc,");
    let before = audit_rows(&admin).await;
    let html = preview(&bh, id, &csrf, "facts", "考核数据.csv", bad.into_bytes()).await;
    let cell = html
        .find("<td class=\"bad-cell")
        .map(|i| &html[i..i + 300])
        .unwrap_or_else(|| panic!("no bad cell: {html}"));
    assert!(cell.contains("abc"), "{cell}");
    assert!(html.contains("第8行"), "the message names the row: {html}");
    assert_eq!(html.matches("<td class=\"bad-cell").count(), 1, "{html}");
    assert!(html.contains("未写入任何数据"), "{html}");
    assert!(
        !html.contains("name=\"token\""),
        "no confirm for a bad file"
    );
    assert_eq!(
        audit_rows(&admin).await,
        before,
        "nothing stored by a preview"
    );
    let html = page(&bh, &format!("/import?period={id}")).await;
    assert!(html.contains("已有考核数据：0 人"), "{html}");

    // The good file: preview stores nothing, confirm stores.
    let html = preview(&bh, id, &csrf, "facts", "考核数据.csv", hz_facts()).await;
    assert!(html.contains("共 10 人"), "{html}");
    assert_eq!(
        audit_rows(&admin).await,
        before,
        "nothing stored by a preview"
    );
    let token = hidden(&html, "token");
    // Another user cannot confirm someone else's upload.
    let hr = s.login("hr", "password-123").await;
    let hr_csrf = hidden(&page(&hr, "/import").await, "_csrf");
    let (_, st, _) = post_form(
        &hr,
        &format!("/import/{id}/confirm"),
        &[("_csrf", &hr_csrf), ("token", &token)],
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (_, st, html) = post_form(
        &bh,
        &format!("/import/{id}/confirm"),
        &[("_csrf", &csrf), ("token", &token)],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("考核数据已导入：10 人"), "{html}");
    step(&bh, id, json!({ "action": "compute" })).await;
    let r = bh.ok(&format!("/api/periods/{id}/results")).await;
    assert_eq!(person(&r, "HZ07")["score"], "57", "P4.4 + P4.5 + P4.7");

    // A form without the CSRF token is refused.
    let (_, st, _) = post_form(
        &bh,
        &format!("/periods/{id}/entry"),
        &[("cell/HZ07/visits_done", "37")],
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // The grid: HZ07's visits typed as 37 (saved), HZ01's as "abc" (refused in words).
    let html = page(&bh, &format!("/periods/{id}/entry")).await;
    assert!(
        html.contains("name=\"cell/HZ07/visits_done\" value=\"35\""),
        "{html}"
    );
    assert!(
        html.contains("name=\"cell/HZ08/large_share\" value=\"35%\""),
        "{html}"
    );
    let (_, st, html) = post_form(
        &bh,
        &format!("/periods/{id}/entry"),
        &[
            ("_csrf", &csrf),
            ("cell/HZ07/visits_done", "37"),
            ("cell/HZ01/visits_done", "abc"),
            ("cell/HZ02/visits_done", "60"),
            ("cell/HZ03/large_share", "150%"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("已保存 1 个单元格"), "{html}");
    assert!(html.contains("bad-cell"), "{html}");
    // Refusals name the column as the sheet does, and a percentage as a percentage.
    assert!(
        html.contains("应为数字") && html.contains("“有效拜访量"),
        "{html}"
    );
    assert!(
        html.contains("的值 150% 超出范围，应在 0% 到 100% 之间") && !html.contains("large_share”"),
        "{html}"
    );
    let html = page(&bh, &format!("/periods/{id}/entry")).await;
    assert!(
        html.contains("name=\"cell/HZ07/visits_done\" value=\"37\""),
        "{html}"
    );
    step(&bh, id, json!({ "action": "compute" })).await;
    let r = bh.ok(&format!("/api/periods/{id}/results")).await;
    assert_eq!(
        person(&r, "HZ07")["score"],
        "66.25",
        "15 × 37/60 = 9.25 (P4.5)"
    );

    // An employee has no grid: the API's role check answers in words.
    employees(&admin).await;
    let e = s.login("hz01", "password-123").await;
    let r = e
        .http
        .get(format!("{}/periods/{id}/entry", e.base))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
both!(import_and_entry, kaohe_web::app);

/// One P4 month through the API, computed; returns the period id.
async fn computed_month(s: &Server, org: &Org, label: &str) -> i64 {
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
    let (st, b) = bh
        .upload(
            &format!("/api/periods/{id}/facts?file=考核数据.csv"),
            hz_facts(),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "facts: {b}");
    step(&bh, id, json!({ "action": "compute" })).await;
    id
}

/// The what-if with `bottom = 2` (P4.12): HZ08 (67.5) enters the line in 2025-03, HZ07 stays
/// in it; nothing is written. Then versions: a second version uploaded through the page, the
/// difference shows the changed line, and a broken file is refused with its line.
async fn policy_whatif(s: &Server) {
    let (admin, org) = setup(s).await;
    computed_month(s, &org, "2025-03").await;
    let hr = s.login("hr", "password-123").await;
    let html = page(&hr, &format!("/policies/{}", org.policy)).await;
    assert!(html.contains("销售人员末位淘汰制度"), "{html}");
    let csrf = hidden(&html, "_csrf");
    let text = String::from_utf8(p4_policy()).expect("utf8");
    assert!(text.contains("bottom = 1\n"));
    let variant = text.replace("bottom = 1\n", "bottom = 2\n");
    let before = audit_rows(&admin).await;
    let (_, st, html) = post_form(
        &hr,
        &format!("/policies/{}/whatif", org.policy),
        &[("_csrf", &csrf), ("toml", &variant)],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    let start = html
        .find("id=\"whatif-result\"")
        .unwrap_or_else(|| panic!("{html}"));
    let result = &html[start..start + html[start..].find("</section>").unwrap_or(0)];
    assert!(result.contains("HZ08"), "{result}");
    assert!(result.contains("杜欣怡"), "{result}");
    assert!(result.contains("2025年3月"), "{result}");
    assert!(
        result.contains("67.50"),
        "two decimals (policy.decimals): {result}"
    );
    assert!(result.contains("新进入末位线"), "{result}");
    assert!(
        !result.contains("HZ07"),
        "HZ07 is in the line either way: {result}"
    );
    assert!(result.contains("现在</"), "{result}");
    assert_eq!(
        audit_rows(&admin).await,
        before,
        "the what-if writes nothing"
    );
    let r = hr.ok("/api/periods").await;
    assert_eq!(r.as_array().map(Vec::len), Some(1));

    // A broken variant: the problem with its line, nothing run.
    let (_, st, html) = post_form(
        &hr,
        &format!("/policies/{}/whatif", org.policy),
        &[
            ("_csrf", &csrf),
            ("toml", &text.replace("bottom = 1\n", "bottom = \"x\n")),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("无法模拟"), "{html}");
    assert!(html.contains("行第"), "{html}");

    // The same what-if through the parameter table: only `param:line.bottom` changed, the text
    // left as stored; a word where a number belongs is refused in words.
    let html = page(&hr, &format!("/policies/{}", org.policy)).await;
    assert!(
        html.contains("name=\"param:line.bottom\" value=\"1\""),
        "{html}"
    );
    let (_, st, html) = post_form(
        &hr,
        &format!("/policies/{}/whatif", org.policy),
        &[("_csrf", &csrf), ("param:line.bottom", "2")],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let start = html
        .find("id=\"whatif-result\"")
        .unwrap_or_else(|| panic!("{html}"));
    assert!(html[start..].contains("杜欣怡"), "HZ08 crosses the line");
    let (_, st, html) = post_form(
        &hr,
        &format!("/policies/{}/whatif", org.policy),
        &[("_csrf", &csrf), ("param:line.bottom", "两")],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("参数有误") && html.contains("不是数字"),
        "{html}"
    );

    // Version 2 through the upload form; the difference names the changed line.
    let v2 = variant.replace("version = \"1\"", "version = \"2\"");
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .text("text", v2);
    let r = hr
        .http
        .post(format!("{}/policies/upload", hr.base))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::OK);
    let url = r.url().to_string();
    let v2_id: i64 = url
        .rsplit('/')
        .next()
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("{url}"));
    let html = page(&hr, &format!("/policies/{v2_id}?against={}", org.policy)).await;
    assert!(html.contains("v1 → v2"), "{html}");
    let added = html
        .find("<tr class=\"pb-added\">")
        .map(|i| &html[i..])
        .unwrap_or_else(|| panic!("{html}"));
    assert!(added.contains("bottom = 2"), "{added}");
    assert!(html.contains("<tr class=\"pb-removed\">"), "{html}");
    // The what-if against the stored version 1 from version 2's page: HZ08 leaves the line.
    let (_, st, html) = post_form(
        &hr,
        &format!("/policies/{v2_id}/whatif"),
        &[
            ("_csrf", &csrf),
            ("version", &org.policy.to_string()),
            ("toml", ""),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("版本 1"), "{html}");

    // A broken upload is refused with the line and column; nothing stored.
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .text("text", "[policy]\nid = \n");
    let r = hr
        .http
        .post(format!("{}/policies/upload", hr.base))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let html = r.text().await.expect("text");
    assert!(html.contains("未保存"), "{html}");
    let list = page(&hr, "/policies").await;
    // Listed by name, with the file's id under it.
    assert!(
        list.contains("销售人员末位淘汰制度<div class=\"muted pa-small\">p4-group-sales</div>"),
        "{list}"
    );
    assert_eq!(list.matches("href=\"/policies/").count(), 2, "{list}");
}
both!(policy_whatif, kaohe_web::app);

/// Any table as XLSX (pages/table.rs): the cells posted as the page shows them come back as a
/// spreadsheet, numbers as numbers with their decimals and IDs as text; without the page's CSRF
/// token nothing is answered; a table that is not JSON is refused in words.
async fn table_download(s: &Server) {
    let (_admin, _org) = setup(s).await;
    let hr = s.login("hr", "password-123").await;
    let html = page(&hr, "/").await;
    let csrf = hidden(&html, "_csrf");
    assert!(
        html.contains("/table.xlsx"),
        "the page carries the download script"
    );
    let rows = r#"[["名次","工号","姓名","得分"],["1","HZ01","钱思远","100.00"],["10","HZ07","潘俊熙","57.00"]]"#;
    let r = hr
        .http
        .post(format!("{}/table.xlsx", hr.base))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("title", "排名 杭州分公司"),
            ("rows", rows),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    let cd = r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        cd.contains("attachment") && cd.contains("filename*=UTF-8''"),
        "{cd}"
    );
    let bytes = r.bytes().await.expect("bytes");
    let sheets = kaohe_import::load_sheets(&bytes, "t.xlsx").expect("an XLSX");
    let s0 = &sheets[0];
    assert_eq!(s0.cell(2, 2), &kaohe_import::Cell::Text("潘俊熙".into()));
    assert_eq!(
        s0.cell(2, 3),
        &kaohe_import::Cell::Number(rust_decimal::Decimal::new(57, 0))
    );
    let (_, st, _) = post_form(&hr, "/table.xlsx", &[("title", "x"), ("rows", rows)]).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "no CSRF token, no file");
    let (_, st, html) = post_form(
        &hr,
        "/table.xlsx",
        &[
            ("_csrf", csrf.as_str()),
            ("title", "x"),
            ("rows", "not json"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("表格数据无法读取"), "{html}");
}

kaohe_server::both!(table_download, kaohe_web::app);
