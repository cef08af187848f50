//! XLSX output (Excel 导出) in the seed's score-sheet layout (P2.5).
//!
//! One sheet per period: a title row merged across (`<制度名称> <期间>`), a header row with the
//! indicator names and full marks (`日常工作(10分)` …) generated from the policy's ranking
//! indicator and its parts, the total, 备注 (exemption, veto, tie, mismatch and data notes),
//! then 排名, 末位线, 结果. Numbers are written as numbers, rounded half-up to the policy's
//! decimals (X2) with a matching number format. A last sheet 说明 lists every person's
//! explanations with rule ids. Sheets use constant-memory mode and are written row by row.

use crate::columns::{columns, Columns};
use crate::labels::{self, EMPTY_MESSAGE};
use crate::rows::{row, with_rule, Cell, Index};
use crate::text::width;
use crate::{ExportError, Lang};
use kaohe_engine::display;
use kaohe_engine::result::PeriodResult;
use kaohe_policy::model::Policy;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use std::path::Path;

/// Name of the explanations sheet.
const NOTES_SHEET: &str = "说明";
/// Last row index Excel allows (1,048,576 rows).
const LAST_ROW: u32 = 1_048_575;
/// Written where the 说明 sheet runs out of rows.
const NOTES_CUT: &str = "说明超出 Excel 行数上限，其余见 JSON 输出 / More explanations than Excel has rows: see the JSON output";
/// Widest column, in character units.
const MAX_COL: usize = 60;

/// Cell formats of one workbook.
struct Formats {
    title: Format,
    header: Format,
    text: Format,
    number: Format,
    integer: Format,
}

impl Formats {
    fn new(dp: u32) -> Formats {
        let num = if dp == 0 {
            "0".to_string()
        } else {
            format!("0.{}", "0".repeat(dp as usize))
        };
        let base = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            header: base
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            text: base.clone(),
            number: base.clone().set_num_format(num),
            integer: base.set_num_format("0"),
        }
    }
}

pub fn write(policy: &Policy, results: &[PeriodResult], path: &Path) -> Result<(), ExportError> {
    let mut wb = Workbook::new();
    let f = Formats::new(policy.policy.decimals);
    let cols = columns(policy);
    let mut used: Vec<String> = vec![NOTES_SHEET.to_string()];
    if results.is_empty() {
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name("无数据")?;
        ws.set_column_width(0, width(EMPTY_MESSAGE) as f64 + 2.0)?;
        ws.write_string(0, 0, EMPTY_MESSAGE)?;
        wb.save(path)?;
        return Ok(());
    }
    for result in results {
        let name = sheet_name(&result.period.label, &used);
        used.push(name.clone());
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(&name)?;
        score_sheet(ws, policy, &cols, result, &f)?;
    }
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(NOTES_SHEET)?;
    notes_sheet(ws, policy, results, &f)?;
    wb.save(path)?;
    Ok(())
}

/// A value in a score-sheet cell.
enum Out {
    Num(Decimal),
    Int(u32),
    Text(String),
}

impl Out {
    fn shown_width(&self, dp: u32) -> usize {
        match self {
            Out::Num(d) => display::show(*d, dp).len(),
            Out::Int(i) => i.to_string().len(),
            Out::Text(t) => width(t),
        }
    }
}

fn cell_out(c: &Cell) -> Out {
    match c {
        Cell::Num(d) => Out::Num(*d),
        Cell::Text(t) => Out::Text(t.clone()),
        Cell::Empty => Out::Text(String::new()),
    }
}

fn score_sheet(
    ws: &mut Worksheet,
    policy: &Policy,
    cols: &Columns,
    result: &PeriodResult,
    f: &Formats,
) -> Result<(), ExportError> {
    let dp = policy.policy.decimals;
    if result.people.len() as u64 + 2 > u64::from(LAST_ROW) + 1 {
        return Err(ExportError::TooManyRows {
            period: result.period.label.clone(),
            rows: result.people.len(),
        });
    }
    let index = Index::new(result);
    let grouped = policy
        .ranking
        .as_ref()
        .is_some_and(|r| !r.group_by.is_empty());
    let mut headers: Vec<String> = vec!["姓名".into(), "工号".into()];
    if grouped {
        headers.push("排名组".into());
    }
    headers.extend(cols.parts.iter().map(|c| c.header.clone()));
    headers.push(
        cols.total
            .as_ref()
            .map(|c| c.header.clone())
            .unwrap_or_else(|| "合计".into()),
    );
    headers.extend(["备注", "排名", "末位线", "结果"].map(String::from));

    let row_of = |p| {
        let r = row(policy, cols, &index, p, Lang::Zh);
        let mut v = vec![Out::Text(r.p.name.clone()), Out::Text(r.p.id.clone())];
        if grouped {
            v.push(Out::Text(r.p.group.clone()));
        }
        v.extend(r.values.iter().map(cell_out));
        v.push(cell_out(&r.total));
        let mut notes = r.notes.clone();
        if !r.history.is_empty() {
            if !notes.is_empty() {
                notes.push('；');
            }
            notes.push_str(&format!("历史：{}", r.history));
        }
        v.push(Out::Text(notes));
        v.push(match r.p.rank {
            Some(k) => Out::Int(k),
            None => Out::Text(String::new()),
        });
        v.push(Out::Text(r.line.clone()));
        v.push(Out::Text(r.outcomes.clone()));
        v
    };

    // Column widths first (a pass without keeping the rows, to stay within constant memory).
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for p in &result.people {
        for (w, c) in widths.iter_mut().zip(row_of(p)) {
            *w = (*w).max(c.shown_width(dp));
        }
    }
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, (w + 2).clamp(6, MAX_COL) as f64)?;
    }

    let last = (headers.len() - 1) as u16;
    let title = format!("{} {}", policy.policy.name, result.period.label);
    ws.merge_range(0, 0, 0, last, &title, &f.title)?;
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, i as u16, h, &f.header)?;
    }
    ws.set_freeze_panes(2, 0)?;
    if result.people.is_empty() {
        ws.write_string(2, 0, EMPTY_MESSAGE)?;
        return Ok(());
    }
    for (k, p) in result.people.iter().enumerate() {
        let r = (k + 2) as u32;
        for (i, c) in row_of(p).into_iter().enumerate() {
            write_out(ws, r, i as u16, c, dp, f)?;
        }
    }
    Ok(())
}

fn write_out(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: Out,
    dp: u32,
    f: &Formats,
) -> Result<(), ExportError> {
    match v {
        Out::Num(d) => match display::round(d, dp).to_f64() {
            Some(x) => ws.write_number_with_format(r, c, x, &f.number)?,
            None => ws.write_string_with_format(r, c, display::show(d, dp), &f.text)?,
        },
        Out::Int(i) => ws.write_number_with_format(r, c, f64::from(i), &f.integer)?,
        Out::Text(t) if t.is_empty() => ws.write_blank(r, c, &f.text)?,
        Out::Text(t) => ws.write_string_with_format(r, c, t, &f.text)?,
    };
    Ok(())
}

/// The 说明 sheet: one line per explained item, with its rule id.
fn notes_sheet(
    ws: &mut Worksheet,
    policy: &Policy,
    results: &[PeriodResult],
    f: &Formats,
) -> Result<(), ExportError> {
    let dp = policy.policy.decimals;
    let headers = ["期间", "工号", "姓名", "项目", "值", "规则", "说明"];
    for (i, w) in [10, 10, 10, 20, 10, 10, MAX_COL].iter().enumerate() {
        ws.set_column_width(i as u16, *w as f64)?;
    }
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut r: u32 = 1;
    for result in results {
        let index = Index::new(result);
        for p in &result.people {
            let mut items: Vec<(String, Option<Decimal>, Option<String>, String)> = Vec::new();
            for i in &p.indicators {
                let text = match &i.label {
                    Some(l) if !i.explanation.zh.is_empty() => {
                        format!("{}（{l}）", i.explanation.zh)
                    }
                    Some(l) => l.clone(),
                    None => i.explanation.zh.clone(),
                };
                items.push((i.name.clone(), i.value, i.rule.clone(), text));
            }
            for (kind, list) in [
                ("豁免", &p.exemptions),
                ("否决", &p.vetoes),
                ("关卡", &p.gates_failed),
            ] {
                for x in list {
                    items.push((kind.into(), None, x.rule.clone(), x.zh.clone()));
                }
            }
            for h in &p.history {
                let fired = if h.fired { "（已触发）" } else { "" };
                items.push((
                    "历史".into(),
                    None,
                    h.rule.clone(),
                    format!("{}{fired}", h.zh),
                ));
            }
            for o in &p.outcomes {
                let mut text = format!(
                    "{}；措施：{}；法律路径：{}",
                    o.name,
                    labels::measure(o.measure, Lang::Zh),
                    labels::legal_path(o.legal_path, Lang::Zh)
                );
                for q in &o.requires {
                    text.push_str(&format!("；须满足 {}：{}", q.article, q.zh));
                }
                items.push(("处理结果".into(), None, o.rule.clone(), text));
            }
            if let Some(typed) = p.typed_total_mismatch {
                items.push((
                    "合计不符".into(),
                    Some(typed),
                    Some("P2.7".into()),
                    crate::rows::mismatch_text(typed, p.score, dp, Lang::Zh),
                ));
            }
            for e in index.errors(&p.id) {
                items.push((
                    "数据错误".into(),
                    None,
                    None,
                    with_rule(
                        &format!(
                            "{}：{}（{}）",
                            e.field,
                            e.zh,
                            labels::source(&e.source, Lang::Zh)
                        ),
                        &None,
                    ),
                ));
            }
            for (what, value, rule, text) in items {
                if r >= LAST_ROW {
                    ws.write_string(r, 0, NOTES_CUT)?;
                    return Ok(());
                }
                let cells = [
                    Out::Text(result.period.label.clone()),
                    Out::Text(p.id.clone()),
                    Out::Text(p.name.clone()),
                    Out::Text(what),
                    value.map(Out::Num).unwrap_or(Out::Text(String::new())),
                    Out::Text(rule.unwrap_or_default()),
                    Out::Text(text),
                ];
                for (i, c) in cells.into_iter().enumerate() {
                    write_out(ws, r, i as u16, c, dp, f)?;
                }
                r += 1;
            }
        }
    }
    Ok(())
}

/// A valid, unused sheet name from a period label: at most 31 characters, none of `[]:*?/\`,
/// no apostrophe at either end, unique ignoring case (Excel compares names that way).
pub fn sheet_name(label: &str, used: &[String]) -> String {
    let clean: String = label
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let base: String = if clean.is_empty() {
        "期间".into()
    } else {
        clean.chars().take(31).collect()
    };
    let taken = |n: &str| {
        used.iter().any(|u| u.to_lowercase() == n.to_lowercase())
            || n.eq_ignore_ascii_case("history")
    };
    if !taken(&base) {
        return base;
    }
    for k in 2.. {
        let suffix = format!("({k})");
        let room = 31 - suffix.chars().count();
        let name = format!("{}{suffix}", base.chars().take(room).collect::<String>());
        if !taken(&name) {
            return name;
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(sheet_name("2024/05", &[]), "2024-05");
        assert_eq!(sheet_name("[a]:b*c?d\\e", &[]), "-a--b-c-d-e");
        let long = "第一期新员工入职培训考核（2024年第二批次，含补考人员名单）";
        assert_eq!(sheet_name(long, &[]).chars().count(), 31);
        assert_eq!(sheet_name("说明", &["说明".to_string()]), "说明(2)");
        assert_eq!(sheet_name("", &[]), "期间");
        assert_eq!(sheet_name("'x'", &[]), "x");
        let used = vec![long.chars().take(31).collect::<String>()];
        let second = sheet_name(long, &used);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("(2)"));
    }
}
