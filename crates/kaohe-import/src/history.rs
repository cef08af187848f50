//! History files (历史记录) and tie decisions (并列裁决): earlier periods' marks per person, as
//! written by the CLI, and the decisions a person recorded on ties at the line (P7.6, X5).

use crate::error::{Collector, ImportError, ImportErrors};
use crate::grid::{load, Sheet};
use crate::header::{find_header, is_blank, names, Column, Header};
use crate::lookup::PERIOD_HEADERS;
use crate::value;
use kaohe_engine::data::{History, Mark, Period, PeriodRecord, TieDecision};
use kaohe_policy::model::Cycle;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;
use std::io::Write;

const ID: &[&str] = &["工号", "员工编号"];
const MARK: &[&str] = &["标记", "结果", "mark"];
const SCORE: &[&str] = &["分数", "得分", "score"];
const LADDER: &[&str] = &["阶梯计数", "阶梯", "ladder_count"];
const GROUP: &[&str] = &["排名组", "分组", "group"];
const DECIDER: &[&str] = &["决定人", "裁决人", "decided_by"];
const REASON: &[&str] = &["理由", "原因", "reason"];

/// Marks as written: Chinese word (as the CLI writes it) and the English id.
const MARKS: &[(Mark, &str, &str)] = &[
    (Mark::Line, "末位", "line"),
    (Mark::Clear, "正常", "clear"),
    (Mark::Exempt, "豁免", "exempt"),
    (Mark::Absent, "未考核", "absent"),
    (Mark::Skipped, "未划线", "skipped"),
    (Mark::Vetoed, "否决", "vetoed"),
    (Mark::Pending, "待定", "pending"),
];

fn parse_mark(t: &str) -> Option<Mark> {
    let t = t.trim().to_lowercase();
    MARKS
        .iter()
        .find(|(_, zh, en)| t == *zh || t == *en)
        .map(|(m, ..)| *m)
        .or(match t.as_str() {
            "进入末位线" | "末位线" => Some(Mark::Line),
            "未参加考核" => Some(Mark::Absent),
            _ => None,
        })
}

fn mark_word(m: Mark) -> &'static str {
    MARKS
        .iter()
        .find(|(x, ..)| *x == m)
        .map(|(_, zh, _)| *zh)
        .unwrap_or("")
}

/// The first sheet with a header that `accept` takes.
fn table<'s>(
    sheets: &'s [Sheet],
    file: &str,
    required: &[&[&str]],
    what: (&str, &str),
) -> Result<(&'s Sheet, Header), ImportErrors> {
    let lists: Vec<Vec<String>> = required.iter().map(|l| names(l)).collect();
    let accept = |h: &Header| lists.iter().all(|l| h.find(l).is_some());
    for s in sheets {
        if let Some(h) = find_header(s, &lists[0], &accept) {
            return Ok((s, h));
        }
    }
    Err(ImportError::file(
        file,
        format!("找不到表头：应含 {}", what.0),
        format!("no header row found: expected {}", what.1),
    )
    .into())
}

fn text(s: &Sheet, r: usize, c: Option<&Column>) -> String {
    c.map(|c| s.cell(r, c.index).text()).unwrap_or_default()
}

/// Parse a history file from bytes.
pub fn parse_history(bytes: &[u8], file: &str, cycle: Cycle) -> Result<History, ImportErrors> {
    let sheets = load(bytes, file)?;
    let (s, h) = table(
        &sheets,
        file,
        &[ID, PERIOD_HEADERS, MARK],
        ("工号、期间、标记列", "columns 工号, 期间, 标记"),
    )?;
    let sname = s.name.as_deref();
    let col = |l: &[&str]| h.find(&names(l));
    let (id_c, period_c, mark_c) = (col(ID), col(PERIOD_HEADERS), col(MARK));
    let (score_c, ladder_c) = (col(SCORE), col(LADDER));
    let mut errs = Collector::new(file);
    let mut history = History::default();
    let mut seen: BTreeMap<(String, i64), u32> = BTreeMap::new();
    for r in h.data_start..s.rows.len() {
        if is_blank(s, r) {
            continue;
        }
        let row = Some(r as u32 + 1);
        let label = |c: Option<&Column>| c.map(Column::label);
        let id = text(s, r, id_c);
        if id.is_empty() {
            errs.at(
                sname,
                row,
                label(id_c),
                None,
                "缺少工号",
                "missing employee id",
            );
            continue;
        }
        let pt = text(s, r, period_c);
        let Some(period) =
            period_c.and_then(|c| crate::lookup::period_of_cell(s.cell(r, c.index), cycle))
        else {
            errs.at(
                sname,
                row,
                label(period_c),
                Some(pt),
                "不是期间，应为如 2024-05",
                "is not a period; expected e.g. 2024-05",
            );
            continue;
        };
        let mt = text(s, r, mark_c);
        let Some(mark) = parse_mark(&mt) else {
            errs.at(
                sname,
                row,
                label(mark_c),
                Some(mt),
                "标记无效，应为 末位/正常/豁免/未考核/未划线/否决/待定",
                "invalid mark; expected line/clear/exempt/absent/skipped/vetoed/pending",
            );
            continue;
        };
        let score = match score_c.map(|c| s.cell(r, c.index)) {
            Some(cell) if !cell.is_empty() => match value::number(cell, false) {
                Ok(d) => Some(d),
                Err((zh, en)) => {
                    errs.at(sname, row, label(score_c), Some(cell.text()), zh, en);
                    continue;
                }
            },
            _ => None,
        };
        let ladder_count = match ladder_c.map(|c| s.cell(r, c.index)) {
            Some(cell) if !cell.is_empty() => {
                match value::integer(cell).ok().and_then(|d| d.to_u32()) {
                    Some(n) => n,
                    None => {
                        errs.at(
                            sname,
                            row,
                            label(ladder_c),
                            Some(cell.text()),
                            "应为非负整数",
                            "expected a whole number ≥ 0",
                        );
                        continue;
                    }
                }
            }
            _ => 0,
        };
        if let Some(first) = seen.insert((id.clone(), period.index), r as u32 + 1) {
            errs.at(
                sname,
                row,
                label(period_c),
                Some(pt),
                format!("同一人同一期间重复（第{first}行已有）"),
                format!("same person and period twice (already on row {first})"),
            );
            continue;
        }
        history.insert(
            &id,
            PeriodRecord {
                period,
                mark,
                score,
                ladder_count,
            },
        );
    }
    errs.finish(history)
}

/// Write history as CSV (UTF-8 with BOM so that Excel shows Chinese): 工号, 期间, 标记, 分数,
/// 阶梯计数. [`crate::read_history`] reads it back unchanged.
pub fn write_history_csv(history: &History, mut w: impl Write) -> std::io::Result<()> {
    w.write_all(b"\xEF\xBB\xBF")?;
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["工号", "期间", "标记", "分数", "阶梯计数"])?;
    for (id, records) in &history.records {
        for rec in records {
            let score = rec.score.map(|d| d.to_string()).unwrap_or_default();
            out.write_record([
                id.as_str(),
                rec.period.label.as_str(),
                mark_word(rec.mark),
                score.as_str(),
                rec.ladder_count.to_string().as_str(),
            ])?;
        }
    }
    out.flush()
}

/// Parse tie decisions from bytes: one row per chosen person, grouped by (期间, 排名组).
pub fn parse_decisions(
    bytes: &[u8],
    file: &str,
    cycle: Cycle,
) -> Result<Vec<(Period, TieDecision)>, ImportErrors> {
    let sheets = load(bytes, file)?;
    let (s, h) = table(
        &sheets,
        file,
        &[ID, PERIOD_HEADERS, DECIDER],
        ("期间、工号、决定人列", "columns 期间, 工号, 决定人"),
    )?;
    let sname = s.name.as_deref();
    let col = |l: &[&str]| h.find(&names(l));
    let (id_c, period_c, group_c, decider_c, reason_c) = (
        col(ID),
        col(PERIOD_HEADERS),
        col(GROUP),
        col(DECIDER),
        col(REASON),
    );
    let mut errs = Collector::new(file);
    let mut groups: BTreeMap<(Period, String), (TieDecision, u32)> = BTreeMap::new();
    for r in h.data_start..s.rows.len() {
        if is_blank(s, r) {
            continue;
        }
        let row = Some(r as u32 + 1);
        let label = |c: Option<&Column>| c.map(Column::label);
        let pt = text(s, r, period_c);
        let Some(period) =
            period_c.and_then(|c| crate::lookup::period_of_cell(s.cell(r, c.index), cycle))
        else {
            errs.at(
                sname,
                row,
                label(period_c),
                Some(pt),
                "不是期间，应为如 2024-05",
                "is not a period; expected e.g. 2024-05",
            );
            continue;
        };
        let (id, decider) = (text(s, r, id_c), text(s, r, decider_c));
        if id.is_empty() || decider.is_empty() {
            let c = if id.is_empty() { id_c } else { decider_c };
            errs.at(
                sname,
                row,
                label(c),
                None,
                "缺少必填值",
                "missing required value",
            );
            continue;
        }
        let (group, reason) = (text(s, r, group_c), text(s, r, reason_c));
        let key = (period, group.clone());
        match groups.get_mut(&key) {
            None => {
                let d = TieDecision {
                    group,
                    chosen: vec![id],
                    decided_by: decider,
                    reason,
                };
                groups.insert(key, (d, r as u32 + 1));
            }
            Some((d, first)) => {
                if d.decided_by != decider {
                    errs.at(
                        sname,
                        row,
                        label(decider_c),
                        Some(decider),
                        format!("同一并列的决定人与第{first}行不一致"),
                        format!("decided by someone else than on row {first} for the same tie"),
                    );
                    continue;
                }
                if d.chosen.contains(&id) {
                    errs.at(
                        sname,
                        row,
                        label(id_c),
                        Some(id),
                        "同一人重复列出",
                        "the same person is listed twice",
                    );
                    continue;
                }
                if d.reason.is_empty() {
                    d.reason = reason;
                }
                d.chosen.push(id);
            }
        }
    }
    errs.finish(groups.into_iter().map(|((p, _), (d, _))| (p, d)).collect())
}
