//! The document templates pages (文书模板) walked with their forms (CSRF token taken from each
//! page's `_csrf` field), on SQLite and PostgreSQL: the list, the editor, a save refused by the
//! labour-law guard (the typed text kept, the line named, nothing saved), a save, a stale save
//! (409, the typed text kept and the other version shown), a preview of the typed text as PDF
//! (its text read back), the revert to the default and the version history; the admin-only
//! menu link; HQ HR reads without a form; other roles are refused.

use kaohe_server::testing::*;
use reqwest::StatusCode;

/// A line only the edited template has.
const MARKER: &str = "模板测试标记请按计划参加每周培训";

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

/// The value of the first input `name` in the HTML.
fn field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let i = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} field in the page: {html}"));
    let rest = &html[i + key.len()..];
    rest[..rest.find('"').unwrap_or(0)].to_string()
}

/// The text of the editor's textarea (HTML-escaped).
fn textarea(html: &str) -> String {
    let i = html.find("<textarea").expect("textarea");
    let start = i + html[i..].find('>').expect(">") + 1;
    let end = start + html[start..].find("</textarea>").expect("</textarea>");
    html[start..end].to_string()
}

/// POST a form (the token travels in the form, as a browser sends it); returns the final
/// status (after a redirect), and the bytes.
async fn form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (StatusCode, Vec<u8>) {
    let r = c
        .http
        .post(format!("{}{}", c.base, path))
        .form(fields)
        .send()
        .await
        .expect("send");
    let s = r.status();
    (s, r.bytes().await.map(|b| b.to_vec()).unwrap_or_default())
}

fn html(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn edited() -> String {
    kaohe_docs::default_template(kaohe_docs::DocKind::WarningLetter).replacen(
        "希望你认真学习、积极改进",
        &format!("{MARKER}。\n希望你认真学习、积极改进"),
        1,
    )
}

async fn templates_pages(s: &Server) {
    let (admin, _org) = setup(s).await;

    // The menu links the page for the admin only.
    let (_, home) = page(&admin, "/").await;
    assert!(home.contains("href=\"/admin/templates\""), "admin menu");
    let bh = s.login("bh", "password-123").await;
    let (_, home) = page(&bh, "/").await;
    assert!(
        !home.contains("href=\"/admin/templates\""),
        "no link for a branch head"
    );
    let (st, _) = page(&bh, "/admin/templates").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = page(&bh, "/admin/templates/warning_letter").await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // The list: four kinds with their rules, all on the default.
    let (st, list) = page(&admin, "/admin/templates").await;
    assert_eq!(st, StatusCode::OK, "{list}");
    for needle in [
        "警告函",
        "P8.9",
        "末位淘汰通知书",
        "P7.5",
        "书面通知",
        "P6.2",
        "月度考核汇总",
        "P2.6",
    ] {
        assert!(list.contains(needle), "{needle} missing: {list}");
    }
    assert_eq!(list.matches("默认模板").count(), 4, "{list}");

    // The editor: the default text, the variables, version 0.
    let path = "/admin/templates/warning_letter";
    let (st, ed) = page(&admin, path).await;
    assert_eq!(st, StatusCode::OK, "{ed}");
    assert!(textarea(&ed).contains("本函是改进提示"), "the default text");
    assert!(
        ed.contains("person.appeal_until") && ed.contains("申诉截止日期"),
        "variables"
    );
    assert!(
        ed.contains("{{ person.name }}"),
        "the syntax hint is shown as text"
    );
    assert_eq!(field(&ed, "expected_version"), "0");
    assert!(ed.contains("尚未修改过"), "no history yet");
    let csrf = field(&ed, "_csrf");
    let text = edited();

    // Without the form's token nothing changes.
    let (st, _) = form(
        &admin,
        path,
        &[("text", &text), ("expected_version", "0"), ("reason", "x")],
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // Termination wording: refused, the line named, the typed text kept, nothing saved.
    let firing = text.replacen(MARKER, "下月仍未达标公司将与你解除劳动合同", 1);
    let line = firing
        .lines()
        .position(|l| l.contains("解除劳动合同") && !l.contains("不是"))
        .expect("line")
        + 1;
    let (st, b) = form(
        &admin,
        path,
        &[
            ("_csrf", &csrf),
            ("text", &firing),
            ("expected_version", "0"),
            ("reason", "试一下"),
        ],
    )
    .await;
    let refused = html(&b);
    assert_eq!(st, StatusCode::BAD_REQUEST, "{refused}");
    assert!(refused.contains("未保存"), "{refused}");
    assert!(
        refused.contains(&format!("第{line}行")),
        "the line: {refused}"
    );
    assert!(
        textarea(&refused).contains("下月仍未达标公司将与你解除劳动合同"),
        "the typed text is kept"
    );
    assert_eq!(field(&refused, "reason"), "试一下", "the reason is kept");
    let (_, ed) = page(&admin, path).await;
    assert!(ed.contains("尚未修改过"), "nothing saved");

    // Preview of the typed text as PDF, before saving: the new line is in it.
    let (st, pdf) = form(
        &admin,
        "/admin/templates/warning_letter/preview",
        &[
            ("_csrf", &csrf),
            ("text", &text),
            ("expected_version", "0"),
            ("reason", ""),
            ("format", "pdf"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let pdf_text: String = pdf_extract::extract_text_from_mem(&pdf)
        .expect("PDF text")
        .split_whitespace()
        .collect();
    assert!(
        pdf_text.contains(MARKER),
        "the typed text is in the PDF: {pdf_text}"
    );
    // A preview of a refused text shows the editor with the problem.
    let (st, b) = form(
        &admin,
        "/admin/templates/warning_letter/preview",
        &[
            ("_csrf", &csrf),
            ("text", &firing),
            ("expected_version", "0"),
            ("format", "pdf"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html(&b).contains("无法预览"), "{}", html(&b));

    // The save: redirected back to the editor with a notice and the history.
    let (st, b) = form(
        &admin,
        path,
        &[
            ("_csrf", &csrf),
            ("text", &text),
            ("expected_version", "0"),
            ("reason", "增加每周培训"),
        ],
    )
    .await;
    let saved = html(&b);
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert!(saved.contains("已保存为第 1 版"), "{saved}");
    assert!(
        saved.contains("增加每周培训"),
        "the history shows the reason"
    );
    assert!(textarea(&saved).contains(MARKER));
    assert_eq!(field(&saved, "expected_version"), "1");

    // A stale save (a page opened before the save): 409, the typed text kept, the other
    // version shown, and the next save based on it.
    let mine = text.replacen(MARKER, "另一位管理员的修改", 1);
    let (st, b) = form(
        &admin,
        path,
        &[
            ("_csrf", &csrf),
            ("text", &mine),
            ("expected_version", "0"),
            ("reason", "旧页面"),
        ],
    )
    .await;
    let stale = html(&b);
    assert_eq!(st, StatusCode::CONFLICT, "{stale}");
    assert!(stale.contains("已被他人修改"), "{stale}");
    assert!(
        textarea(&stale).contains("另一位管理员的修改"),
        "typed text kept"
    );
    assert!(stale.contains("他人已保存的当前版本") && stale.contains(MARKER));
    assert_eq!(field(&stale, "expected_version"), "1");
    let (_, ed) = page(&admin, path).await;
    assert!(textarea(&ed).contains(MARKER), "nothing overwritten");

    // The list shows version 1 by admin.
    let (_, list) = page(&admin, "/admin/templates").await;
    assert!(list.contains("第 1 版") && list.contains("admin"), "{list}");
    assert_eq!(list.matches("默认模板").count(), 3);

    // HQ HR reads the template without a form.
    let hr = s.login("hr", "password-123").await;
    let (st, ro) = page(&hr, path).await;
    assert_eq!(st, StatusCode::OK);
    assert!(ro.contains("只有系统管理员可以修改"), "{ro}");
    assert!(!ro.contains("<textarea"), "no editor for HQ HR");
    assert!(ro.contains(MARKER));

    // Revert to the default: a new version, the old one kept in the history.
    let csrf = field(&ed, "_csrf");
    let (st, b) = form(
        &admin,
        "/admin/templates/warning_letter/revert",
        &[("_csrf", &csrf), ("expected_version", "1"), ("reason", "")],
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "a reason is required");
    assert!(html(&b).contains("理由"));
    let (st, b) = form(
        &admin,
        "/admin/templates/warning_letter/revert",
        &[
            ("_csrf", &csrf),
            ("expected_version", "1"),
            ("reason", "恢复原措辞"),
        ],
    )
    .await;
    let reverted = html(&b);
    assert_eq!(st, StatusCode::OK, "{reverted}");
    assert!(reverted.contains("已恢复默认模板（第 2 版）"), "{reverted}");
    assert!(
        !textarea(&reverted).contains(MARKER),
        "the default text again"
    );
    assert!(
        reverted.contains("恢复原措辞") && reverted.contains("增加每周培训"),
        "both versions listed"
    );
    assert!(
        reverted.contains("preview?format=pdf&amp;version=1"),
        "old versions can be previewed"
    );
    assert!(
        !reverted.contains("/revert\""),
        "no revert form while on the default"
    );
    let (_, list) = page(&admin, "/admin/templates").await;
    assert!(list.contains("恢复为默认"), "{list}");

    // An unknown kind is a 404 page.
    let (st, _) = page(&admin, "/admin/templates/no_such_kind").await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // The audit log has both changes.
    let rows = admin.ok("/api/audit?limit=1000").await;
    let actions: Vec<&str> = rows
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["entity"] == "template:warning_letter")
        .filter_map(|r| r["action"].as_str())
        .collect();
    assert_eq!(actions, vec!["template.save", "template.revert"]);
}

kaohe_server::both!(templates_pages, kaohe_web::app);
