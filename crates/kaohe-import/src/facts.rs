//! Period facts (考核数据): one row per person per period, columns named by the policy's
//! declared inputs. See `docs/data-files.md` for the exact conventions.

use crate::error::{Collector, ImportError, ImportErrors};
use crate::grid::{load, Cell, Sheet};
use crate::header::{
    csv_row_overflows, find_header, is_blank, is_totals, names, norm, norm_keep, Column, Header,
};
use crate::lookup::{period_column, period_of_cell, period_of_sheet, People};
use crate::roster::{ID_HEADERS, NAME_HEADERS};
use crate::value;
use kaohe_engine::data::{Facts, Period, Person, Source, Value};
use kaohe_policy::model::{Input, InputType};
use kaohe_policy::Policy;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Facts per period, per person id.
pub type FactsByPeriod = BTreeMap<Period, BTreeMap<String, Facts>>;

/// Extra names of the person column when a sheet has no 工号 column (by name).
pub const PERSON_NAME_HEADERS: &[&str] = &["置业顾问", "客户经理", "员工", "销售顾问", "业务员"];
/// Total column names (合计列), read into [`Facts::typed_total`] and only checked (P2.7).
pub const TOTAL_HEADERS: &[&str] = &[
    "合计",
    "总分",
    "合计当月考核分数",
    "考核总分",
    "总计",
    "得分合计",
];

pub(crate) fn person_names() -> Vec<String> {
    let mut v = names(NAME_HEADERS);
    v.extend(names(PERSON_NAME_HEADERS));
    v
}

/// Where an input's values are in a sheet.
enum Place<'h> {
    One(&'h Column),
    Days(Vec<&'h Column>),
    /// Two or more columns could each be this input: an error, never a silent choice.
    Ambiguous(Vec<&'h Column>),
    Missing,
}

/// All names an input may be found under.
fn input_names(i: &Input) -> Vec<String> {
    let mut v = i.headers.clone();
    v.push(i.name.clone());
    v.push(i.id.clone());
    v
}

/// Whether `rest` (what follows the input header) is a day marker: `1`, `第1天`, `d1`, `day1`,
/// `周一`…`周日`, `星期一`…`星期日`.
fn is_day_marker(rest: &str) -> bool {
    let r = rest.trim_start_matches('第');
    let r = r
        .strip_prefix("day")
        .or_else(|| r.strip_prefix('d'))
        .unwrap_or(r);
    let r = r.trim_end_matches(['天', '日', '次']);
    if !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    const WEEK: &[&str] = &["一", "二", "三", "四", "五", "六", "日", "天"];
    ["周", "星期"]
        .iter()
        .any(|p| rest.strip_prefix(p).is_some_and(|d| WEEK.contains(&d)))
}

fn place<'h>(h: &'h Header, input: &Input) -> Place<'h> {
    let names = input_names(input);
    // Day columns first: `电话量(第1天)` would otherwise match `电话量` once its note is dropped.
    if input.kind == InputType::Series {
        let prefixes: Vec<String> = names
            .iter()
            .map(|n| norm_keep(n))
            .filter(|n| !n.is_empty())
            .collect();
        let days: Vec<&Column> = h
            .columns
            .iter()
            .filter(|c| {
                prefixes
                    .iter()
                    .any(|p| c.full.strip_prefix(p.as_str()).is_some_and(is_day_marker))
            })
            .collect();
        if !days.is_empty() {
            return Place::Days(days);
        }
    }
    let found: Vec<&Column> = h.columns.iter().filter(|c| c.matches(&names)).collect();
    match found.as_slice() {
        [] => Place::Missing,
        [c] => Place::One(c),
        _ => Place::Ambiguous(found),
    }
}

/// Parse facts from bytes. `period` is used when neither a period column nor the sheet name
/// gives one.
pub fn parse_facts(
    bytes: &[u8],
    file: &str,
    policy: &Policy,
    roster: &[Person],
    period: Option<&Period>,
) -> Result<FactsByPeriod, ImportErrors> {
    let sheets = load(bytes, file)?;
    let inputs: Vec<&Input> = policy
        .inputs
        .iter()
        .filter(|i| i.kind != InputType::Ratings)
        .collect();
    let id_n = names(ID_HEADERS);
    let name_n = person_names();
    let accept = |h: &Header| {
        (h.find(&id_n).is_some() || h.find(&name_n).is_some())
            && inputs
                .iter()
                .any(|i| !matches!(place(h, i), Place::Missing))
    };
    let people = People::new(roster);
    let mut errs = Collector::new(file);
    let mut out = FactsByPeriod::new();
    let mut seen: BTreeMap<(Period, String), (Option<String>, u32)> = BTreeMap::new();
    let mut found = false;
    for sheet in &sheets {
        let person = if sheet_has(sheet, &id_n) {
            &id_n
        } else {
            &name_n
        };
        let Some(h) = find_header(sheet, person, &accept) else {
            continue;
        };
        found = true;
        let ctx = SheetCtx {
            sheet,
            h: &h,
            inputs: &inputs,
            policy,
            people: &people,
            period,
        };
        ctx.read(&mut errs, &mut out, &mut seen);
    }
    if !found {
        let headers: Vec<String> = inputs
            .iter()
            .map(|i| i.headers.first().unwrap_or(&i.name).clone())
            .collect();
        return Err(ImportError::file(
            file,
            format!("找不到表头：应在前10行内含「工号」或「姓名」列以及至少一个输入列（{}）", headers.join("、")),
            format!(
                "no header row found: expected 工号 or 姓名 and at least one input column ({}) within the first 10 rows",
                headers.join(", ")
            ),
        )
        .into());
    }
    errs.finish(out)
}

/// Whether any of the first rows has a cell matching one of the names.
fn sheet_has(sheet: &Sheet, list: &[String]) -> bool {
    let keys: Vec<String> = list.iter().map(|n| norm(n)).collect();
    sheet
        .rows
        .iter()
        .take(crate::header::HEADER_SEARCH_ROWS + 1)
        .flatten()
        .any(|c| keys.contains(&norm(&c.text())))
}

struct SheetCtx<'a> {
    sheet: &'a Sheet,
    h: &'a Header,
    inputs: &'a [&'a Input],
    policy: &'a Policy,
    people: &'a People<'a>,
    period: Option<&'a Period>,
}

impl SheetCtx<'_> {
    fn read(
        &self,
        errs: &mut Collector,
        out: &mut FactsByPeriod,
        seen: &mut BTreeMap<(Period, String), (Option<String>, u32)>,
    ) {
        let (sheet, h) = (self.sheet, self.h);
        let sname = sheet.name.as_deref();
        let cycle = self.policy.policy.cycle;
        let (person_col, by_name) = match h.find(&names(ID_HEADERS)) {
            Some(c) => (c, false),
            None => match h.find(&person_names()) {
                Some(c) => (c, true),
                None => return,
            },
        };
        let period_col = period_column(h);
        let sheet_period = period_of_sheet(sname, cycle);
        if period_col.is_none() && sheet_period.is_none() && self.period.is_none() {
            errs.at(
                sname,
                None,
                None,
                None,
                "无法确定考核期间：无「月份/期间」列，工作表名不是期间，也未指定期间",
                "cannot tell the period: no 月份/期间 column, the sheet name is not a period, and no period was given",
            );
            return;
        }
        let places: Vec<(&Input, Place)> = self.inputs.iter().map(|i| (*i, place(h, i))).collect();
        for (i, p) in &places {
            if let Place::Ambiguous(cols) = p {
                let labels: Vec<String> = cols
                    .iter()
                    .map(|c| format!("{}列「{}」", crate::grid::col_letter(c.index), c.text))
                    .collect();
                errs.at(
                    sname,
                    Some(h.data_start as u32),
                    None,
                    None,
                    format!(
                        "{}都可作为「{}」，无法确定用哪一列；请删除或改名其中一列",
                        labels.join("和"),
                        i.name
                    ),
                    format!(
                        "{} could each be \"{}\"; remove or rename all but one",
                        labels.join(" and "),
                        i.id
                    ),
                );
            }
            if matches!(p, Place::Missing) && i.required {
                let hs = input_names(i);
                errs.at(
                    sname,
                    Some(h.data_start as u32),
                    None,
                    None,
                    format!("缺少必填列「{}」（可用表头：{}）", i.name, hs.join("、")),
                    format!(
                        "missing required column {} (headers accepted: {})",
                        i.name,
                        hs.join(", ")
                    ),
                );
            }
        }
        let taken: Vec<usize> = places
            .iter()
            .flat_map(|(_, p)| match p {
                Place::One(c) => vec![c.index],
                Place::Days(d) | Place::Ambiguous(d) => d.iter().map(|c| c.index).collect(),
                Place::Missing => vec![],
            })
            .collect();
        let total_col = h
            .columns
            .iter()
            .find(|c| !taken.contains(&c.index) && c.matches(&names(TOTAL_HEADERS)));
        for r in h.data_start..sheet.rows.len() {
            if is_blank(sheet, r)
                || is_totals(sheet, r, person_col.index)
                || csv_row_overflows(sheet, h, r, errs)
            {
                continue;
            }
            let row = r as u32 + 1;
            let who = sheet.cell(r, person_col.index);
            if person_col.keys.contains(&norm(&who.text())) {
                continue; // a repeated header row (printed pages)
            }
            if who.is_empty() {
                errs.at(
                    sname,
                    Some(row),
                    Some(person_col.label()),
                    None,
                    "缺少人员（工号或姓名）",
                    "missing person (id or name)",
                );
                continue;
            }
            let id = match self.people.resolve(&who.text(), by_name) {
                Ok(id) => id,
                Err((zh, en)) => {
                    errs.at(
                        sname,
                        Some(row),
                        Some(person_col.label()),
                        Some(who.text()),
                        zh,
                        en,
                    );
                    continue;
                }
            };
            let period = match period_col {
                Some(c) => {
                    let cell = sheet.cell(r, c.index);
                    let fallback = sheet_period.clone().or_else(|| self.period.cloned());
                    match (period_of_cell(cell, cycle), fallback) {
                        (Some(p), _) => p,
                        (None, Some(p)) if cell.is_empty() => p,
                        _ => {
                            errs.at(
                                sname,
                                Some(row),
                                Some(c.label()),
                                Some(cell.text()),
                                "不是期间，应为如 2024-05 或 2024年5月",
                                "is not a period; expected e.g. 2024-05 or 2024年5月",
                            );
                            continue;
                        }
                    }
                }
                None => match sheet_period.clone().or_else(|| self.period.cloned()) {
                    Some(p) => p,
                    None => continue,
                },
            };
            let mut facts = Facts {
                source: Source {
                    file: errs.file.clone(),
                    sheet: sname.map(str::to_string),
                    row: Some(row),
                },
                ..Facts::default()
            };
            for (input, p) in &places {
                if let Some(v) = self.value(errs, r, input, p) {
                    facts.values.insert(input.id.clone(), v);
                }
            }
            if let Some(c) = total_col {
                let cell = sheet.cell(r, c.index);
                if !cell.is_empty() {
                    match value::number(cell, false) {
                        Ok(d) => facts.typed_total = Some(d),
                        Err((zh, en)) => {
                            errs.at(sname, Some(row), Some(c.label()), Some(cell.text()), zh, en)
                        }
                    }
                }
            }
            let key = (period.clone(), id.clone());
            if let Some((s, first)) = seen.get(&key) {
                let at = s.as_ref().map(|s| format!("[{s}] ")).unwrap_or_default();
                errs.at(
                    sname,
                    Some(row),
                    Some(person_col.label()),
                    Some(who.text()),
                    format!("同一人同一期间重复（{at}第{first}行已有）"),
                    format!("same person and period twice (already at {at}row {first})"),
                );
                continue;
            }
            seen.insert(key, (sname.map(str::to_string), row));
            out.entry(period).or_default().insert(id, facts);
        }
    }

    /// One input's value on row `r`; errors are collected, `None` means absent or bad.
    fn value(&self, errs: &mut Collector, r: usize, input: &Input, p: &Place) -> Option<Value> {
        let sname = self.sheet.name.as_deref();
        let row = Some(r as u32 + 1);
        let cols: Vec<&Column> = match p {
            Place::One(c) => vec![c],
            Place::Days(d) => d.clone(),
            Place::Ambiguous(_) | Place::Missing => return None,
        };
        let cells: Vec<&Cell> = cols.iter().map(|c| self.sheet.cell(r, c.index)).collect();
        if cells.iter().all(|c| c.is_empty()) {
            if input.required {
                errs.at(
                    sname,
                    row,
                    Some(cols[0].label()),
                    None,
                    "缺少必填值",
                    "missing required value",
                );
            }
            return None;
        }
        // A value merged down from a row above belongs to that row's person, not this one's.
        if input.kind != InputType::Text {
            let merged = cols.iter().find_map(|c| {
                self.sheet
                    .merged_from_above(r, c.index)
                    .map(|(r0, c0)| (c, r0, c0))
            });
            if let Some((c, r0, c0)) = merged {
                let range = format!(
                    "{}{}:{}{}",
                    crate::grid::col_letter(c0),
                    r0 + 1,
                    crate::grid::col_letter(c.index),
                    r + 1
                );
                errs.at(
                    sname,
                    row,
                    Some(c.label()),
                    Some(self.sheet.cell(r, c.index).text()),
                    format!("该单元格与上方第{}行合并（{range}），一个数值不能同时属于多人：请取消合并，为每人填写自己的值", r0 + 1),
                    format!("this cell is merged with row {} above ({range}); one value cannot belong to several people: unmerge it and give each person their own value", r0 + 1),
                );
                return None;
            }
        }
        let mut fail = |c: &Column, cell: &Cell, (zh, en): value::Reject| {
            errs.at(sname, row, Some(c.label()), Some(cell.text()), zh, en);
        };
        let pct = cols[0].text.contains('%') || cols[0].text.contains('％');
        let one = |f: &dyn Fn(&Cell) -> Result<Value, value::Reject>| f(cells[0]);
        let result = match input.kind {
            InputType::Decimal | InputType::Percent => {
                one(&|c| value::number(c, pct).map(Value::Number))
            }
            InputType::Integer => one(&|c| value::integer(c).map(Value::Number)),
            InputType::YesNo => one(&|c| value::yes_no(c).map(Value::Bool)),
            InputType::Date => one(&|c| value::date(c).map(Value::Date)),
            InputType::Text => Ok(Value::Text(cells[0].text())),
            InputType::Ratings => return None,
            InputType::Series if cols.len() == 1 => {
                one(&|c| value::series_cell(c).map(Value::Series))
            }
            InputType::Series => {
                let mut v = Vec::new();
                for (c, cell) in cols.iter().zip(&cells) {
                    match value::number(cell, false) {
                        Ok(d) => v.push(d),
                        Err(e) => {
                            fail(c, cell, e);
                            return None;
                        }
                    }
                }
                Ok(Value::Series(v))
            }
        };
        let v = match result {
            Ok(v) => v,
            Err(e) => {
                fail(cols[0], cells[0], e);
                return None;
            }
        };
        let nums: Vec<Decimal> = match &v {
            Value::Number(d) => vec![*d],
            Value::Series(s) => s.clone(),
            _ => vec![],
        };
        if let (Value::Series(s), Some(n)) = (&v, input.length) {
            if s.len() != n as usize {
                fail(
                    cols[0],
                    cells[0],
                    (
                        format!("应有 {n} 个值，实有 {} 个", s.len()),
                        format!("expected {n} values, found {}", s.len()),
                    ),
                );
                return None;
            }
        }
        let (lo, hi) = (input.min.map(|m| m.value()), input.max.map(|m| m.value()));
        for d in nums {
            if lo.is_some_and(|lo| d < lo) || hi.is_some_and(|hi| d > hi) {
                let range = crate::value::range_text(lo, hi);
                fail(
                    cols[0],
                    cells[0],
                    (
                        format!("超出范围，应为 {range}"),
                        format!("out of range; expected {range}"),
                    ),
                );
                return None;
            }
        }
        Some(v)
    }
}
