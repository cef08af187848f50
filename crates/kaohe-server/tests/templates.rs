//! Document templates over HTTP (文书模板), on SQLite and PostgreSQL: the admin saves a new
//! warning-letter template (checked and trial-rendered first), a stale save is 409 and changes
//! nothing, a template with a syntax error or termination wording is refused with its line and
//! nothing is saved, other roles are refused, every version is kept and audited, the letters
//! generated afterwards carry the new text (read from the DOCX's word/document.xml) and name
//! the template version, and a revert to the default is itself a new version.

use kaohe_server::both;
use kaohe_server::testing::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A line only the edited template has.
const MARKER: &str = "模板测试标记：请按计划参加每周培训并提交学习笔记。";

/// `word/document.xml` of a DOCX (docx-rs stores entries uncompressed), found through the zip
/// central directory.
fn docx_xml(docx: &[u8]) -> String {
    let u16_at = |i: usize| u16::from_le_bytes([docx[i], docx[i + 1]]) as usize;
    let u32_at =
        |i: usize| u32::from_le_bytes([docx[i], docx[i + 1], docx[i + 2], docx[i + 3]]) as usize;
    let eocd = docx
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .expect("end of central directory");
    let (count, mut at) = (u16_at(eocd + 10), u32_at(eocd + 16));
    for _ in 0..count {
        assert_eq!(&docx[at..at + 4], b"PK\x01\x02", "central directory entry");
        let method = u16_at(at + 10);
        let size = u32_at(at + 20);
        let (n, m, k) = (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let local = u32_at(at + 42);
        let name = &docx[at + 46..at + 46 + n];
        if name == b"word/document.xml" {
            assert_eq!(method, 0, "stored, not deflated");
            let data = local + 30 + u16_at(local + 26) + u16_at(local + 28);
            return String::from_utf8_lossy(&docx[data..data + size]).into_owned();
        }
        at += 46 + n + m + k;
    }
    panic!("no word/document.xml in the DOCX")
}

fn edited_warning_letter() -> String {
    let default = kaohe_docs::default_template(kaohe_docs::DocKind::WarningLetter);
    default.replacen(
        "希望你认真学习、积极改进",
        &format!("{MARKER}\n希望你认真学习、积极改进"),
        1,
    )
}

async fn put(c: &Client, kind: &str, body: Value) -> (StatusCode, Value) {
    c.call(Method::PUT, &format!("/api/templates/{kind}"), Some(body))
        .await
}

async fn history_len(admin: &Client, kind: &str) -> usize {
    admin.ok(&format!("/api/templates/{kind}")).await["history"]
        .as_array()
        .map_or(0, Vec::len)
}

async fn audit_rows(admin: &Client) -> Vec<Value> {
    admin
        .ok("/api/audit?limit=1000")
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// One month of 杭州分公司 from opening to measures (HZ07 in the line: a warning letter).
async fn to_measures(s: &Server, org: &Org, admin: &Client) -> i64 {
    let bh = s.login("bh", "password-123").await;
    let p = bh
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": "2025-03", "unit_id": org.hz }),
        )
        .await;
    let id = p["id"].as_i64().expect("period id");
    step(&bh, id, json!({ "action": "start_collecting" })).await;
    let (st, b) = bh
        .upload(&format!("/api/periods/{id}/roster?file=r.csv"), hz_roster())
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = bh
        .upload(&format!("/api/periods/{id}/facts?file=f.csv"), hz_facts())
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    employees(admin).await;
    step(&bh, id, json!({ "action": "compute" })).await;
    step(&bh, id, json!({ "action": "publish" })).await;
    for (pid, ..) in HZ {
        let c = s.login(&pid.to_lowercase(), "password-123").await;
        c.must(
            &format!("/api/periods/{id}/signatures"),
            json!({ "person": pid, "subject": "score", "kind": "signed" }),
        )
        .await;
    }
    admin.must("/api/test/clock", json!({ "days": 8 })).await;
    let bh = s.login("bh", "password-123").await;
    step(&bh, id, json!({ "action": "finalize" })).await;
    step(&bh, id, json!({ "action": "start_measures" })).await;
    id
}

async fn templates_api(s: &Server) {
    let (admin, org) = setup(s).await;

    // Every kind starts at the built-in default, with its variables.
    let list = admin.ok("/api/templates").await;
    let items = list.as_array().expect("list");
    assert_eq!(items.len(), 4);
    for it in items {
        assert_eq!(
            (it["version"].as_i64(), it["is_default"].as_bool()),
            (Some(0), Some(true)),
            "{it}"
        );
        assert!(it["variables"]
            .as_array()
            .is_some_and(|v| v.iter().any(|x| x["name"] == "person.appeal_until")));
    }
    let wl = &items[0];
    assert_eq!(
        (wl["kind"].as_str(), wl["rule"].as_str()),
        (Some("warning_letter"), Some("P8.9"))
    );
    assert_eq!(
        wl["text"].as_str(),
        Some(kaohe_docs::default_template(
            kaohe_docs::DocKind::WarningLetter
        ))
    );

    // Roles: HQ HR reads and previews but may not edit; a branch head sees nothing.
    let hr = s.login("hr", "password-123").await;
    assert_eq!(hr.get("/api/templates").await.0, StatusCode::OK);
    let (st, _) = hr.bytes("/api/templates/warning_letter/preview").await;
    assert_eq!(st, StatusCode::OK);
    let text = edited_warning_letter();
    let (st, b) = put(
        &hr,
        "warning_letter",
        json!({ "text": text, "expected_version": 0, "reason": "x" }),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{b}");
    let bh = s.login("bh", "password-123").await;
    assert_eq!(bh.get("/api/templates").await.0, StatusCode::FORBIDDEN);
    let (st, _) = put(
        &bh,
        "warning_letter",
        json!({ "text": text, "expected_version": 0, "reason": "x" }),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(
        history_len(&admin, "warning_letter").await,
        0,
        "nothing saved"
    );

    // A reason is required; an unknown kind is 404.
    let (st, b) = put(
        &admin,
        "warning_letter",
        json!({ "text": text, "expected_version": 0, "reason": " " }),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    let (st, _) = put(
        &admin,
        "no_such_kind",
        json!({ "text": text, "expected_version": 0, "reason": "r" }),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // A syntax error is refused with its line; nothing is saved.
    let broken = "# 警告函\n{{ person.name }}\n{% if person.score %}\n{{ person.appeal_until }}\n";
    let (st, b) = put(
        &admin,
        "warning_letter",
        json!({ "text": broken, "expected_version": 0, "reason": "试" }),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["error"]["code"], "invalid_template");
    let zh = b["error"]["zh"].as_str().unwrap_or("");
    let en = b["error"]["en"].as_str().unwrap_or("");
    assert!(zh.contains("未保存") && zh.contains("行"), "{zh}");
    assert!(en.contains("not saved") && en.contains("line"), "{en}");
    assert!(b["error"]["line"].as_i64().is_some(), "{b}");
    // Termination wording is refused by the labour-law guard, naming its line.
    let firing = text.replacen(MARKER, "如下月仍未达标，公司将与你解除劳动合同。", 1);
    let line = firing
        .lines()
        .position(|l| l.contains("将与你解除劳动合同"))
        .expect("line")
        + 1;
    let (st, b) = put(
        &admin,
        "warning_letter",
        json!({ "text": firing, "expected_version": 0, "reason": "试" }),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b["error"]["zh"]
            .as_str()
            .unwrap_or("")
            .contains("解除劳动合同"),
        "{b}"
    );
    assert!(
        b["error"]["zh"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("第{line}行")),
        "{b}"
    );
    assert!(
        b["error"]["en"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("line {line}")),
        "{b}"
    );
    assert_eq!(b["error"]["line"].as_u64(), Some(line as u64));
    // A letter template without the appeal deadline is refused too.
    let no_appeal = "# 警告函\n{{ person.name }}同事：请参加培训。\n";
    let (st, b) = put(
        &admin,
        "warning_letter",
        json!({ "text": no_appeal, "expected_version": 0, "reason": "试" }),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(
        history_len(&admin, "warning_letter").await,
        0,
        "nothing saved"
    );

    // Preview of a text before saving it.
    let resp = admin
        .http
        .post(format!("{}/api/templates/warning_letter/preview", s.base))
        .header("X-CSRF-Token", admin.csrf.clone().unwrap_or_default())
        .json(&json!({ "text": text, "format": "docx" }))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.bytes().await.expect("bytes");
    assert!(docx_xml(&bytes).contains(MARKER));

    // The save.
    let (st, saved) = put(
        &admin,
        "warning_letter",
        json!({ "text": text, "expected_version": 0, "reason": "增加培训要求" }),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["version"].as_i64(), saved["is_default"].as_bool()),
        (Some(1), Some(false))
    );
    assert_eq!(saved["updated_by"], "admin");
    // A stale save (another admin started from the default) is 409 with the current text.
    let (st, b) = put(&admin, "warning_letter", json!({ "text": "# 警告函\n{{ person.appeal_until }}\n", "expected_version": 0, "reason": "旧页面" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    assert_eq!(b["error"]["current_version"], 1);
    assert_eq!(b["error"]["current"]["text"].as_str(), Some(text.as_str()));
    assert!(
        b["error"]["zh"]
            .as_str()
            .unwrap_or("")
            .contains("已被他人修改"),
        "{b}"
    );
    assert_eq!(
        history_len(&admin, "warning_letter").await,
        1,
        "nothing overwritten"
    );

    // Previews of the current template in both formats.
    let (st, pdf) = admin
        .bytes("/api/templates/warning_letter/preview?format=pdf")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF"));
    let (st, docx) = admin
        .bytes("/api/templates/warning_letter/preview?format=docx")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(docx_xml(&docx).contains(MARKER));
    let (st, _) = admin
        .bytes("/api/templates/warning_letter/preview?format=odt")
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);

    // A letter generated after the change carries the new text and names version 1.
    let period = to_measures(s, &org, &admin).await;
    let bh = s.login("bh", "password-123").await;
    let made = bh
        .must(&format!("/api/periods/{period}/letters"), json!({}))
        .await;
    let docs = made["documents"].as_array().expect("documents");
    let letter = docs
        .iter()
        .find(|d| {
            d["kind"] == "warning_letter"
                && d["person_id"] == "HZ07"
                && d["file_name"].as_str().unwrap_or("").ends_with(".docx")
        })
        .unwrap_or_else(|| panic!("HZ07's warning letter: {made}"));
    assert_eq!(letter["template_version"], 1, "{letter}");
    let summary = docs
        .iter()
        .find(|d| d["kind"] == "monthly_summary")
        .expect("summary");
    assert!(
        summary["template_version"].is_null(),
        "the summary used the built-in default"
    );
    let (st, bytes) = bh.bytes(&format!("/api/documents/{}", letter["id"])).await;
    assert_eq!(st, StatusCode::OK);
    let xml = docx_xml(&bytes);
    assert!(xml.contains(MARKER), "the new text is in the letter");
    assert!(xml.contains("潘俊熙"), "HZ07's name is in the letter");

    // Revert to the default: a new version, the old ones kept.
    let admin = s.login("admin", ADMIN_PW).await;
    let (st, b) = admin
        .post(
            "/api/templates/warning_letter/revert",
            json!({ "expected_version": 0, "reason": "恢复" }),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "stale revert: {b}");
    let reverted = admin
        .must(
            "/api/templates/warning_letter/revert",
            json!({ "expected_version": 1, "reason": "恢复默认措辞" }),
        )
        .await;
    assert_eq!(
        (
            reverted["version"].as_i64(),
            reverted["is_default"].as_bool()
        ),
        (Some(2), Some(true))
    );
    let (st, b) = admin
        .post(
            "/api/templates/warning_letter/revert",
            json!({ "expected_version": 2, "reason": "再次" }),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "already the default: {b}");
    let one = admin.ok("/api/templates/warning_letter").await;
    assert_eq!(one["is_default"], true);
    assert_eq!(
        one["text"].as_str(),
        Some(kaohe_docs::default_template(
            kaohe_docs::DocKind::WarningLetter
        ))
    );
    let history = one["history"].as_array().expect("history");
    assert_eq!(
        history
            .iter()
            .map(|h| h["version"].as_i64().unwrap_or(0))
            .collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(history[1]["text"].as_str(), Some(text.as_str()));
    // The saved version 1 can still be previewed.
    let (st, docx) = admin
        .bytes("/api/templates/warning_letter/preview?format=docx&version=1")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(docx_xml(&docx).contains(MARKER));
    let (st, docx) = admin
        .bytes("/api/templates/warning_letter/preview?format=docx")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        !docx_xml(&docx).contains(MARKER),
        "the current one is the default again"
    );

    // The audit log: who, what, before, after, why — and the letter's template version.
    let rows = audit_rows(&admin).await;
    let of = |action: &str| -> Vec<&Value> {
        rows.iter()
            .filter(|r| r["action"] == action && r["entity"] == "template:warning_letter")
            .collect()
    };
    let saves = of("template.save");
    assert_eq!(saves.len(), 1, "refused saves leave no row");
    assert_eq!(saves[0]["actor"], "admin");
    assert_eq!(saves[0]["reason"], "增加培训要求");
    assert!(saves[0]["before_json"].is_null());
    assert!(saves[0]["after_json"]
        .as_str()
        .unwrap_or("")
        .contains("模板测试标记"));
    let reverts = of("template.revert");
    assert_eq!(reverts.len(), 1);
    assert!(reverts[0]["before_json"]
        .as_str()
        .unwrap_or("")
        .contains("模板测试标记"));
    assert_eq!(reverts[0]["reason"], "恢复默认措辞");
    let stored = rows
        .iter()
        .find(|r| {
            r["action"] == "document.store" && r["entity"] == format!("document:{}", letter["id"])
        })
        .expect("the letter's audit row");
    assert!(
        stored["after_json"]
            .as_str()
            .unwrap_or("")
            .contains("\"template_version\":1"),
        "{stored}"
    );
    assert_eq!(admin.ok("/api/audit/verify").await["ok"], true);
}

both!(templates_api);
