//! The roster (花名册): one row per person. Headers and their variants are listed in
//! `docs/data-files.md`; other columns go to [`Person::extra`].

use crate::error::{Collector, ImportErrors};
use crate::grid::{load, Cell, Sheet};
use crate::header::{find_header, is_blank, is_totals, names, Column, Header};
use crate::value;
use kaohe_engine::data::Person;
use std::collections::BTreeMap;

/// 工号 employee id column names.
pub const ID_HEADERS: &[&str] = &["工号", "员工编号", "编号", "员工工号", "职工号"];
/// 姓名 name column names.
pub const NAME_HEADERS: &[&str] = &["姓名", "名字", "员工姓名"];
const REGION: &[&str] = &["区域", "大区", "片区"];
const BRANCH: &[&str] = &["分公司", "分行", "支行"];
const DEPARTMENT: &[&str] = &["部门"];
const PROJECT: &[&str] = &["项目", "团队", "项目部"];
const POST: &[&str] = &["岗位", "职位"];
const LEVEL: &[&str] = &["级别", "职级"];
const LEVEL_SINCE: &[&str] = &["定级日期"];
const HIRE: &[&str] = &["入职日期", "入职时间"];
const STATUS: &[&str] = &["状态", "在职状态", "员工状态"];
/// Columns never kept anywhere.
const IGNORED: &[&str] = &["序号"];

/// Parse a roster from bytes; `file` is used in messages.
pub fn parse_roster(bytes: &[u8], file: &str) -> Result<Vec<Person>, ImportErrors> {
    let sheets = load(bytes, file)?;
    let id_n = names(ID_HEADERS);
    let name_n = names(NAME_HEADERS);
    let accept = |h: &Header| h.find(&id_n).is_some() && h.find(&name_n).is_some();
    for sheet in &sheets {
        if let Some(h) = find_header(sheet, &id_n, &accept) {
            return read(sheet, &h, file);
        }
    }
    Err(crate::error::ImportError::file(
        file,
        "找不到表头：花名册应含「工号」和「姓名」列（在前10行内）",
        "no header row found: a roster needs columns 工号 and 姓名 within the first 10 rows",
    )
    .into())
}

fn read(sheet: &Sheet, h: &Header, file: &str) -> Result<Vec<Person>, ImportErrors> {
    let mut errs = Collector::new(file);
    let sname = sheet.name.as_deref();
    let col = |list: &[&str]| h.find(&names(list)).cloned();
    let id_c = col(ID_HEADERS);
    let name_c = col(NAME_HEADERS);
    let (Some(id_c), Some(name_c)) = (id_c, name_c) else {
        return errs.finish(Vec::new());
    };
    let known: Vec<(&[&str], Option<Column>)> = [
        REGION,
        BRANCH,
        DEPARTMENT,
        PROJECT,
        POST,
        LEVEL,
        LEVEL_SINCE,
        HIRE,
        STATUS,
    ]
    .iter()
    .map(|l| (*l, col(l)))
    .collect();
    let used: Vec<usize> = known
        .iter()
        .filter_map(|(_, c)| c.as_ref().map(|c| c.index))
        .chain([id_c.index, name_c.index])
        .collect();
    let ignored = names(IGNORED);
    let extra_cols: Vec<&Column> = h
        .columns
        .iter()
        .filter(|c| !used.contains(&c.index) && !c.text.is_empty() && !c.matches(&ignored))
        .collect();
    let mut people: Vec<Person> = Vec::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for r in h.data_start..sheet.rows.len() {
        if is_blank(sheet, r)
            || is_totals(sheet, r, name_c.index)
            || crate::header::csv_row_overflows(sheet, h, r, &mut errs)
        {
            continue;
        }
        let row = r as u32 + 1;
        let text = |c: &Column| sheet.cell(r, c.index).text();
        let id = text(&id_c);
        let name = text(&name_c);
        for (c, v) in [(&id_c, &id), (&name_c, &name)] {
            if v.is_empty() {
                errs.at(
                    sname,
                    Some(row),
                    Some(c.label()),
                    None,
                    "缺少必填值",
                    "missing required value",
                );
            }
            if let Cell::Error(e) = sheet.cell(r, c.index) {
                let (zh, en) = value::formula_error(e);
                errs.at(sname, Some(row), Some(c.label()), Some(e.clone()), zh, en);
            }
        }
        if !id.is_empty() {
            if let Some(first) = seen.insert(id.clone(), row) {
                errs.at(
                    sname,
                    Some(row),
                    Some(id_c.label()),
                    Some(id.clone()),
                    format!("工号重复（第{first}行已有）"),
                    format!("duplicate employee id (already on row {first})"),
                );
            }
        }
        let opt = |i: usize| known[i].1.as_ref().map(&text).filter(|s| !s.is_empty());
        let mut date_of = |i: usize| {
            let c = known[i].1.as_ref()?;
            let cell = sheet.cell(r, c.index);
            if cell.is_empty() {
                return None;
            }
            match value::date(cell) {
                Ok(d) => Some(d),
                Err((zh, en)) => {
                    errs.at(sname, Some(row), Some(c.label()), Some(cell.text()), zh, en);
                    None
                }
            }
        };
        let level_since = date_of(6);
        let hire_date = date_of(7);
        let extra = extra_cols
            .iter()
            .map(|c| (c.text.clone(), text(c)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        people.push(Person {
            id,
            name,
            region: opt(0),
            branch: opt(1),
            department: opt(2),
            project: opt(3),
            post: opt(4),
            level: opt(5),
            hire_date,
            level_since,
            status: opt(8),
            extra,
        });
    }
    errs.finish(people)
}
