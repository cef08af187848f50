//! Header rows (表头): finding the header row below title rows, joining two-row headers, and
//! matching columns by normalised header text.
//!
//! Normalisation (表头规范化): trim; drop spaces (also full-width); drop bracketed notes such as
//! `(10分)`, `（每套10分）`, `【必填】`, `[元]`; lower-case ASCII. So `日常考勤 (10分)` matches
//! `日常考勤`.

use crate::grid::{col_letter, Cell, Sheet};

/// How many rows from the top are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// Normalise a header for matching: no spaces, no bracketed notes, ASCII lower-case.
pub fn norm(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' | '〔' => depth += 1,
            ')' | '）' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Like [`norm`] but keeping the text inside brackets (brackets removed), for day markers such
/// as `电话量(第1天)` → `电话量第1天`.
pub fn norm_keep(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !matches!(
                c,
                '(' | '（' | '[' | '【' | '〔' | ')' | '）' | ']' | '】' | '〕'
            )
        })
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .flat_map(char::to_lowercase)
        .collect()
}

/// One column of a found header.
#[derive(Clone, Debug)]
pub struct Column {
    /// 0-based index.
    pub index: usize,
    /// Header text as written (two rows joined).
    pub text: String,
    /// Normalised forms it matches.
    pub keys: Vec<String>,
    /// `norm_keep` of the joined text, for day markers.
    pub full: String,
}

impl Column {
    /// `"D 日常考勤"` for messages.
    pub fn label(&self) -> String {
        let t: String = self.text.split_whitespace().collect::<Vec<_>>().join("");
        format!("{} {}", col_letter(self.index), t)
    }

    pub fn matches(&self, names: &[String]) -> bool {
        names.iter().any(|n| {
            let n = norm(n);
            !n.is_empty() && self.keys.contains(&n)
        })
    }
}

/// A found header: its columns and the first data row.
#[derive(Clone, Debug)]
pub struct Header {
    pub columns: Vec<Column>,
    /// 0-based row where data starts.
    pub data_start: usize,
}

impl Header {
    /// The first column (left to right) matching any of the names.
    pub fn find(&self, names: &[String]) -> Option<&Column> {
        self.columns.iter().find(|c| c.matches(names))
    }
}

/// Names as owned strings.
pub fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn texts(sheet: &Sheet, r: usize) -> Vec<String> {
    sheet
        .rows
        .get(r)
        .map(|row| row.iter().map(Cell::text).collect())
        .unwrap_or_default()
}

fn build(top: &[String], sub: Option<&[String]>) -> Vec<Column> {
    let width = top.len().max(sub.map_or(0, <[String]>::len));
    (0..width)
        .map(|i| {
            let t = top.get(i).map(String::as_str).unwrap_or("");
            let s = sub.and_then(|s| s.get(i)).map(String::as_str).unwrap_or("");
            let (nt, ns) = (norm(t), norm(s));
            let text = if s.is_empty() || nt == ns {
                t.to_string()
            } else if t.is_empty() {
                s.to_string()
            } else {
                format!("{t}{s}")
            };
            let mut keys = vec![norm(&text)];
            if !ns.is_empty() && !keys.contains(&ns) {
                keys.push(ns.clone());
            }
            if ns.is_empty() && !nt.is_empty() && !keys.contains(&nt) {
                keys.push(nt);
            }
            keys.retain(|k| !k.is_empty());
            Column {
                index: i,
                full: norm_keep(&text),
                text,
                keys,
            }
        })
        .collect()
}

/// Whether a row can be the lower half of a two-row header: some text, no number, date or
/// boolean cells; numeric text (day numbers `1`…`5`) only under a group header that spans
/// several columns (a merged cell, forward-filled).
fn sub_header_like(sheet: &Sheet, r: usize, top: &[String]) -> bool {
    let Some(row) = sheet.rows.get(r) else {
        return false;
    };
    let top_at = |i: usize| top.get(i).map(String::as_str).unwrap_or("");
    let mut any = false;
    for (i, c) in row.iter().enumerate() {
        match c {
            Cell::Empty => {}
            Cell::Text(t) => {
                if crate::value::parse_plain_number(t).is_some() {
                    let t0 = top_at(i);
                    let shared =
                        !t0.is_empty() && ((i > 0 && top_at(i - 1) == t0) || top_at(i + 1) == t0);
                    if !shared {
                        return false;
                    }
                }
                any = true;
            }
            _ => return false,
        }
    }
    any
}

/// Find the header row: the first row within [`HEADER_SEARCH_ROWS`] that holds at least two
/// distinct texts and for which `accept` finds what it needs (the person column and at least one
/// other expected column). Two-row headers are joined when the row below looks like headers or
/// notes and does not fill the person column with a different value. `person` lists the person
/// column's names, used for that check.
pub fn find_header(
    sheet: &Sheet,
    person: &[String],
    accept: &dyn Fn(&Header) -> bool,
) -> Option<Header> {
    for r in 0..HEADER_SEARCH_ROWS.min(sheet.rows.len()) {
        let top = texts(sheet, r);
        let mut distinct: Vec<&String> = top.iter().filter(|t| !t.is_empty()).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() < 2 {
            continue;
        }
        if sub_header_like(sheet, r + 1, &top) {
            let sub = texts(sheet, r + 1);
            let h = Header {
                columns: build(&top, Some(&sub)),
                data_start: r + 2,
            };
            if let Some(p) = h.find(person) {
                let t = top.get(p.index).map(String::as_str).unwrap_or("");
                let s = sub.get(p.index).map(String::as_str).unwrap_or("");
                if (s.is_empty() || t.is_empty() || norm(s) == norm(t)) && accept(&h) {
                    return Some(h);
                }
            }
        }
        let h = Header {
            columns: build(&top, None),
            data_start: r + 1,
        };
        if accept(&h) {
            return Some(h);
        }
    }
    None
}

/// Words that mark a totals row in the first or the person cell (合计行).
pub const TOTAL_ROW_WORDS: &[&str] = &["合计", "总计", "小计", "平均", "平均分", "平均值"];

/// Whether a row is blank.
pub fn is_blank(sheet: &Sheet, r: usize) -> bool {
    sheet
        .rows
        .get(r)
        .is_none_or(|row| row.iter().all(Cell::is_empty))
}

/// Whether a row is a totals row: its first non-empty cell or its person cell says 合计 etc.
pub fn is_totals(sheet: &Sheet, r: usize, person_col: usize) -> bool {
    let is_word = |c: &Cell| {
        let n = norm(&c.text());
        TOTAL_ROW_WORDS.iter().any(|w| n == *w)
    };
    let first = sheet
        .rows
        .get(r)
        .and_then(|row| row.iter().find(|c| !c.is_empty()));
    first.is_some_and(is_word) || is_word(sheet.cell(r, person_col))
}

/// CSV only: a filled cell right of the header's last column means the row has more fields
/// than the header — most often an unquoted comma in a number (`1,234` written without
/// quotes), which shifts every value after it one column to the right. Such a row is reported
/// naming that cell, never read shifted; returns true when the row must be skipped.
/// (Workbooks have real cells, so a value beyond the header there is just an unnamed column.)
pub fn csv_row_overflows(
    sheet: &Sheet,
    h: &Header,
    r: usize,
    errs: &mut crate::error::Collector,
) -> bool {
    if sheet.name.is_some() {
        return false;
    }
    let width = h.columns.len();
    let Some((c, cell)) = sheet.rows.get(r).and_then(|row| {
        row.iter()
            .enumerate()
            .skip(width)
            .find(|(_, c)| !c.is_empty())
    }) else {
        return false;
    };
    let fields = sheet.rows.get(r).map_or(0, Vec::len);
    errs.at(
        None,
        Some(r as u32 + 1),
        Some(col_letter(c)),
        Some(cell.text()),
        format!(
            "本行有 {fields} 个字段，表头只有 {width} 列：数字中的逗号（如 1,234）须加引号，否则其后各值都会错位"
        ),
        format!(
            "this row has {fields} fields but the header only {width} columns: quote numbers with a comma (\"1,234\"), otherwise every later value shifts one column"
        ),
    );
    true
}
