//! Any table as XLSX (表格下载): every `table.grid` of a page gets a 下载 XLSX button (the script
//! in `base.html`), which posts the cells the person is looking at — after their sorting — to
//! `POST /table.xlsx`; the answer is the same table as a spreadsheet. The server only writes back
//! what the page already showed to this signed-in person, so no scope question arises, and it
//! keeps what Excel users expect: numbers as numbers with the decimals shown (57.00 stays two
//! decimals), IDs with leading zeros and long digit strings as text, the header row bold and
//! frozen. The ranking's own download (`/api/periods/{id}/export.xlsx`, the seed's layout P2.5)
//! stays the place for the full score sheet.

use crate::ctx::{PageError, PageResult, Web};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Form, Router};
use kaohe_server::error::ApiError;
use kaohe_server::AppState;
use rust_decimal::Decimal;
use serde::Deserialize;

/// At most this many cells in one download (a page never shows more).
pub const MAX_CELLS: usize = 200_000;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/table.xlsx", post(download))
}

/// The posted table.
#[derive(Debug, Deserialize)]
pub struct TableForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// The page's title and the table's heading, for the file and sheet name.
    #[serde(default)]
    pub title: String,
    /// The rows as JSON: `[["名次","工号",…],["1","HZ01",…],…]`, the header first.
    pub rows: String,
}

/// A cell as written: a number (with its decimals) or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    /// Nothing.
    Empty,
    /// A number and the decimals it was shown with.
    Number(Decimal, u32),
    /// Text as shown.
    Text(String),
}

/// How a shown cell goes into the sheet. Plain numbers (also `1,234.5` and full-width digits)
/// become numbers; an ID with a leading zero (`0123`) or a long digit string stays text, as do
/// percentages and everything else.
pub fn cell(shown: &str) -> Out {
    let t = shown.trim();
    if t.is_empty() {
        return Out::Empty;
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let leading_zero = t.len() > 1 && t.starts_with('0') && !t.starts_with("0.");
    if digits > 15 || leading_zero {
        return Out::Text(t.to_string());
    }
    match kaohe_import::parse_plain_number(t) {
        Some(d) => Out::Number(d, d.scale()),
        None => Out::Text(t.to_string()),
    }
}

/// The file name: the title without characters file systems refuse.
pub fn file_name(title: &str) -> String {
    let t: String = title
        .chars()
        .map(|c| {
            if "\\/:*?\"<>|\r\n\t".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let t: String = t.chars().take(80).collect();
    if t.is_empty() {
        "kaohe.xlsx".into()
    } else {
        format!("{t}.xlsx")
    }
}

/// The rows as an XLSX file.
pub fn xlsx(title: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let sheet: String = title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if !sheet.trim().is_empty() {
        ws.set_name(sheet.trim())?;
    }
    let bold = Format::new().set_bold();
    for (r, row) in rows.iter().enumerate() {
        for (c, shown) in row.iter().enumerate() {
            let (r32, c16) = (r as u32, c.min(u16::MAX as usize) as u16);
            match (r, cell(shown)) {
                (0, _) => {
                    ws.write_string_with_format(r32, c16, shown.trim(), &bold)?;
                }
                (_, Out::Empty) => {}
                (_, Out::Text(t)) => {
                    ws.write_string(r32, c16, t)?;
                }
                (_, Out::Number(d, scale)) => {
                    let x: f64 = d.to_string().parse().unwrap_or_default();
                    let fmt = if scale == 0 {
                        Format::new().set_num_format("0")
                    } else {
                        Format::new().set_num_format(format!("0.{}", "0".repeat(scale as usize)))
                    };
                    ws.write_number_with_format(r32, c16, x, &fmt)?;
                }
            }
        }
    }
    if !rows.is_empty() {
        ws.set_freeze_panes(1, 0)?;
    }
    ws.autofit();
    wb.save_to_buffer()
}

async fn download(web: Web, headers: HeaderMap, Form(f): Form<TableForm>) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    let bad = |zh: String, en: String| PageError::from_api(ApiError::bad(zh, en), lang);
    let rows: Vec<Vec<String>> = serde_json::from_str(&f.rows).map_err(|e| {
        bad(
            format!("表格数据无法读取：{e}"),
            format!("the table could not be read: {e}"),
        )
    })?;
    let cells: usize = rows.iter().map(Vec::len).sum();
    if cells > MAX_CELLS {
        return Err(bad(
            format!("表格过大（{cells} 个单元格，最多 {MAX_CELLS} 个）"),
            format!("the table is too large ({cells} cells, at most {MAX_CELLS})"),
        ));
    }
    let bytes = xlsx(&f.title, &rows)
        .map_err(|e| PageError::from_api(ApiError::internal(e.to_string()), lang))?;
    Ok(xlsx_response(&file_name(&f.title), "table.xlsx", bytes))
}

/// An XLSX file as a download named `name` (UTF-8, RFC 5987), with `fallback` for clients
/// that only read an ASCII file name.
pub fn xlsx_response(name: &str, fallback: &str, bytes: Vec<u8>) -> axum::response::Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_decimals_and_ids_stay_text() {
        assert_eq!(cell("57.00"), Out::Number(Decimal::new(5700, 2), 2));
        assert_eq!(cell(" 10 "), Out::Number(Decimal::new(10, 0), 0));
        assert_eq!(cell("0.5"), Out::Number(Decimal::new(5, 1), 1));
        assert_eq!(cell("0123"), Out::Text("0123".into()));
        assert_eq!(cell("HZ07"), Out::Text("HZ07".into()));
        assert_eq!(cell("35%"), Out::Text("35%".into()));
        assert_eq!(cell("2025年3月"), Out::Text("2025年3月".into()));
        assert_eq!(
            cell("1234567890123456"),
            Out::Text("1234567890123456".into())
        );
        assert_eq!(cell(""), Out::Empty);
    }

    #[test]
    fn file_names_lose_what_file_systems_refuse() {
        assert_eq!(
            file_name("排名 · 杭州分公司/2025年3月"),
            "排名 · 杭州分公司 2025年3月.xlsx"
        );
        assert_eq!(file_name("  "), "kaohe.xlsx");
    }

    #[test]
    fn the_sheet_reads_back() {
        let rows = vec![
            vec!["名次".to_string(), "工号".into(), "得分".into()],
            vec!["1".into(), "HZ01".into(), "100.00".into()],
            vec!["10".into(), "HZ07".into(), "57.00".into()],
        ];
        let bytes = xlsx("杭州分公司 2025年3月", &rows).expect("xlsx");
        let sheets = kaohe_import::load_sheets(&bytes, "t.xlsx").expect("read back");
        let s = &sheets[0];
        assert_eq!(s.name.as_deref(), Some("杭州分公司 2025年3月"));
        assert_eq!(s.cell(2, 1), &kaohe_import::Cell::Text("HZ07".into()));
        assert_eq!(
            s.cell(2, 2),
            &kaohe_import::Cell::Number(Decimal::new(57, 0))
        );
    }
}
