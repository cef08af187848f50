//! Roster sheets (花名册): one row per person with the columns every example shares.

use crate::xlsx::{self, t, Cell};
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// Roster headers, in the order the importer documents them.
pub const HEADERS: [&str; 11] = [
    "工号",
    "姓名",
    "区域",
    "分公司",
    "部门",
    "项目",
    "岗位",
    "级别",
    "定级日期",
    "入职日期",
    "状态",
];

/// A roster row (fictional person).
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// 区域.
    pub region: String,
    /// 分公司.
    pub branch: String,
    /// 部门.
    pub department: String,
    /// 项目.
    pub project: String,
    /// 岗位.
    pub post: String,
    /// 级别.
    pub level: String,
    /// 定级日期 (y, m, d).
    pub level_since: Option<(u16, u8, u8)>,
    /// 入职日期 (y, m, d).
    pub hired: Option<(u16, u8, u8)>,
    /// 状态.
    pub status: String,
}

fn date(d: Option<(u16, u8, u8)>) -> Cell {
    match d {
        Some((y, m, d)) => Cell::D(y, m, d),
        None => Cell::E,
    }
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::E
    } else {
        t(s)
    }
}

/// Write `roster.xlsx` (sheet 花名册) into `dir`.
pub fn write(dir: &Path, rows: &[Row]) -> Result<(), XlsxError> {
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("花名册")?;
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            vec![
                t(&r.id),
                t(&r.name),
                text(&r.region),
                text(&r.branch),
                text(&r.department),
                text(&r.project),
                text(&r.post),
                text(&r.level),
                date(r.level_since),
                date(r.hired),
                text(&r.status),
            ]
        })
        .collect();
    xlsx::table(ws, 0, &HEADERS, &cells)?;
    wb.save(dir.join("roster.xlsx"))
}
