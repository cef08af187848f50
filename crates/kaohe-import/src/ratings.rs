//! Rater sheets (评分表, P7.2): one row per rating — who is rated, by whom, in which rater group,
//! the score — gathered into [`Value::Ratings`] for the policy's ratings input.

use crate::error::{Collector, ImportError, ImportErrors};
use crate::facts::FactsByPeriod;
use crate::grid::load;
use crate::header::{find_header, is_blank, is_totals, names, norm, Header};
use crate::lookup::{period_column, period_of_cell, period_of_sheet, People};
use crate::value;
use kaohe_engine::data::{Facts, Period, Person, Rating, Source, Value};
use kaohe_policy::model::InputType;
use kaohe_policy::Policy;
use std::collections::{BTreeMap, BTreeSet};

/// 被评人工号 ratee id column names.
pub const RATEE_ID_HEADERS: &[&str] = &["被评人工号", "被考核人工号", "工号"];
/// 被评人 ratee name column names.
pub const RATEE_NAME_HEADERS: &[&str] = &["被评人", "被评人姓名", "被考核人", "姓名"];
/// 评分人 rater column names.
pub const RATER_HEADERS: &[&str] = &["评分人", "评分人姓名", "评分人工号", "评价人"];
/// 评分人类别 rater group column names.
pub const GROUP_HEADERS: &[&str] = &["评分人类别", "评分人类型", "评价人类别", "类别"];
/// 分数 score column names.
pub const SCORE_HEADERS: &[&str] = &["分数", "评分", "得分"];

/// Parse a rater sheet from bytes.
pub fn parse_ratings(
    bytes: &[u8],
    file: &str,
    policy: &Policy,
    roster: &[Person],
    period: Option<&Period>,
) -> Result<FactsByPeriod, ImportErrors> {
    let Some(input) = policy.inputs.iter().find(|i| i.kind == InputType::Ratings) else {
        return Err(ImportError::file(
            file,
            "制度中没有评分类型（ratings）的输入项",
            "the policy declares no input of type ratings",
        )
        .into());
    };
    // Groups the policy knows for this input: sheet text (normalised) → group id.
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    let (mut lo, mut hi) = (input.min.map(|n| n.value()), input.max.map(|n| n.value()));
    for r in policy.indicators.iter().filter_map(|i| i.raters.as_ref()) {
        if r.input != input.id {
            continue;
        }
        for g in &r.groups {
            groups.insert(norm(&g.group), g.group.clone());
            if let Some(n) = &g.name {
                groups.insert(norm(n), g.group.clone());
            }
        }
        lo = lo.or(r.min.map(|n| n.value()));
        hi = hi.or(r.max.map(|n| n.value()));
    }
    let sheets = load(bytes, file)?;
    let (id_n, name_n) = (names(RATEE_ID_HEADERS), names(RATEE_NAME_HEADERS));
    let (rater_n, group_n, score_n) = (
        names(RATER_HEADERS),
        names(GROUP_HEADERS),
        names(SCORE_HEADERS),
    );
    let accept = |h: &Header| {
        (h.find(&id_n).is_some() || h.find(&name_n).is_some())
            && h.find(&rater_n).is_some()
            && h.find(&group_n).is_some()
            && h.find(&score_n).is_some()
    };
    let people = People::new(roster);
    let cycle = policy.policy.cycle;
    let mut errs = Collector::new(file);
    let mut out = FactsByPeriod::new();
    let mut seen: BTreeSet<(Period, String, String, String)> = BTreeSet::new();
    let mut found = false;
    for sheet in &sheets {
        let mut person = id_n.clone();
        person.extend(name_n.iter().cloned());
        let Some(h) = find_header(sheet, &person, &accept) else {
            continue;
        };
        found = true;
        let sname = sheet.name.as_deref();
        let (who_c, by_name) = match h.find(&id_n) {
            Some(c) => (c, false),
            None => match h.find(&name_n) {
                Some(c) => (c, true),
                None => continue,
            },
        };
        let (Some(rater_c), Some(group_c), Some(score_c)) =
            (h.find(&rater_n), h.find(&group_n), h.find(&score_n))
        else {
            continue;
        };
        let period_c = period_column(&h);
        let fallback = period_of_sheet(sname, cycle).or_else(|| period.cloned());
        for r in h.data_start..sheet.rows.len() {
            if is_blank(sheet, r)
                || is_totals(sheet, r, who_c.index)
                || crate::header::csv_row_overflows(sheet, &h, r, &mut errs)
            {
                continue;
            }
            let row = Some(r as u32 + 1);
            let mut bad = false;
            let mut need = |c: &crate::header::Column| {
                let t = sheet.cell(r, c.index).text();
                if t.is_empty() {
                    errs.at(
                        sname,
                        row,
                        Some(c.label()),
                        None,
                        "缺少必填值",
                        "missing required value",
                    );
                    bad = true;
                }
                t
            };
            let who = need(who_c);
            let rater = need(rater_c);
            let group_text = need(group_c);
            if bad {
                continue;
            }
            let id = match people.resolve(&who, by_name) {
                Ok(id) => id,
                Err((zh, en)) => {
                    errs.at(sname, row, Some(who_c.label()), Some(who), zh, en);
                    continue;
                }
            };
            let group = if groups.is_empty() {
                group_text.clone()
            } else {
                match groups.get(&norm(&group_text)) {
                    Some(g) => g.clone(),
                    None => {
                        let known: BTreeSet<&String> = groups.values().collect();
                        let known: Vec<&str> = known.into_iter().map(String::as_str).collect();
                        errs.at(
                            sname,
                            row,
                            Some(group_c.label()),
                            Some(group_text),
                            format!("评分人类别不在制度中，应为：{}", known.join("、")),
                            format!(
                                "rater group is not in the policy; expected one of: {}",
                                known.join(", ")
                            ),
                        );
                        continue;
                    }
                }
            };
            let score_cell = sheet.cell(r, score_c.index);
            let score = match value::number(score_cell, false) {
                Ok(d) if lo.is_some_and(|lo| d < lo) || hi.is_some_and(|hi| d > hi) => {
                    let range = crate::value::range_text(lo, hi);
                    errs.at(
                        sname,
                        row,
                        Some(score_c.label()),
                        Some(score_cell.text()),
                        format!("超出范围，应为 {range}"),
                        format!("out of range; expected {range}"),
                    );
                    continue;
                }
                Ok(d) => d,
                Err((zh, en)) => {
                    errs.at(
                        sname,
                        row,
                        Some(score_c.label()),
                        Some(score_cell.text()),
                        zh,
                        en,
                    );
                    continue;
                }
            };
            let p = match period_c.map(|c| (c, sheet.cell(r, c.index))) {
                Some((_, cell)) if !cell.is_empty() => match period_of_cell(cell, cycle) {
                    Some(p) => p,
                    None => {
                        let c = period_c.map(|c| c.label());
                        errs.at(
                            sname,
                            row,
                            c,
                            Some(cell.text()),
                            "不是期间，应为如 2024-05 或 2024年5月",
                            "is not a period; expected e.g. 2024-05 or 2024年5月",
                        );
                        continue;
                    }
                },
                _ => match &fallback {
                    Some(p) => p.clone(),
                    None => {
                        errs.at(sname, row, None, None, "无法确定考核期间：无「期间」列，工作表名不是期间，也未指定期间", "cannot tell the period: no 期间 column, the sheet name is not a period, and no period was given");
                        continue;
                    }
                },
            };
            if !seen.insert((p.clone(), id.clone(), rater.clone(), group.clone())) {
                errs.at(
                    sname,
                    row,
                    Some(rater_c.label()),
                    Some(rater),
                    "同一评分人对同一人重复评分",
                    "the same rater rated the same person twice",
                );
                continue;
            }
            let facts = out
                .entry(p)
                .or_default()
                .entry(id)
                .or_insert_with(|| Facts {
                    source: Source {
                        file: file.to_string(),
                        sheet: sname.map(str::to_string),
                        row,
                    },
                    ..Facts::default()
                });
            let entry = facts
                .values
                .entry(input.id.clone())
                .or_insert_with(|| Value::Ratings(Vec::new()));
            if let Value::Ratings(list) = entry {
                list.push(Rating {
                    rater,
                    group,
                    score,
                });
            }
        }
    }
    if !found {
        return Err(ImportError::file(
            file,
            "找不到表头：评分表应含「被评人工号」或「被评人」、「评分人」、「评分人类别」、「分数」列",
            "no header row found: a rater sheet needs 被评人工号 or 被评人, 评分人, 评分人类别 and 分数",
        )
        .into());
    }
    errs.finish(out)
}

/// Merge facts read from another file (e.g. ratings) into `into`. A value present in both for
/// the same person, period and input is an error; nothing is changed when there is any error.
pub fn merge_facts(into: &mut FactsByPeriod, from: FactsByPeriod) -> Result<(), ImportErrors> {
    let mut errs = Vec::new();
    for (p, people) in &from {
        for (id, f) in people {
            let Some(old) = into.get(p).and_then(|m| m.get(id)) else {
                continue;
            };
            for key in f.values.keys().filter(|k| old.values.contains_key(*k)) {
                errs.push(ImportError {
                    file: f.source.file.clone(),
                    sheet: f.source.sheet.clone(),
                    row: f.source.row,
                    column: None,
                    value: Some(id.clone()),
                    expected_zh: format!(
                        "{} 期间 {} 的输入项 {key} 已由 {} 提供",
                        id, p.label, old.source.file
                    ),
                    expected_en: format!(
                        "input {key} of {id} for {} is already given by {}",
                        p.label, old.source.file
                    ),
                });
            }
        }
    }
    if !errs.is_empty() {
        return Err(ImportErrors(errs));
    }
    for (p, people) in from {
        let target = into.entry(p).or_default();
        for (id, f) in people {
            match target.get_mut(&id) {
                Some(old) => {
                    old.values.extend(f.values);
                    old.typed_total = old.typed_total.or(f.typed_total);
                }
                None => {
                    target.insert(id, f);
                }
            }
        }
    }
    Ok(())
}
