//! Example P2 销售部置业顾问 (examples/p2-sales-consultant): 8 consultants, 2016-04 … 2017-03,
//! one sheet per month in the seed's score-sheet layout (title row, two-row header with the
//! bracketed marks, a 合计 totals row, a 备注 column).
//!
//! The component columns hold what the points are computed from (P2.2–P2.4): the manager's
//! rating, the number of attendance violations, units sold alone and co-operative deals.
//! One typed total is wrong on purpose (2016年6月, 李欣然: typed 5 too many, P2.7), and
//! 罗嘉怡 has 7 violations in 2016年8月 (attendance 10 − 14 = −4, P2.3). Each quarter has one
//! designed weakest consultant, so the quarterly proposal (P2.7) is unambiguous.

use crate::roster::{self, Row};
use crate::xlsx::{self, n, t, tenths, Cell};
use crate::Manifest;
use rust_xlsxwriter::{Format, FormatAlign, XlsxError};
use std::path::Path;

const PEOPLE: [(&str, &str, (u16, u8, u8)); 8] = [
    ("XS01", "刘芳菲", (2014, 5, 12)),
    ("XS02", "张宇航", (2015, 3, 2)),
    ("XS03", "李欣然", (2014, 9, 1)),
    ("XS04", "黄子轩", (2015, 8, 17)),
    ("XS05", "杨梓涵", (2013, 11, 4)),
    ("XS06", "朱晨阳", (2015, 12, 7)),
    ("XS07", "罗嘉怡", (2014, 2, 24)),
    ("XS08", "宋天佑", (2015, 6, 15)),
];

/// The designed weakest consultant (index into PEOPLE) of each 3-month block from 2016-04.
const WEAK: [usize; 4] = [7, 6, 5, 1];

/// One person's month: daily work in tenths, violations, units sold, shared deals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// 日常工作 in tenths of a point.
    pub daily_tenths: i64,
    /// 日常考勤 violations.
    pub violations: i64,
    /// 成交套数.
    pub units: i64,
    /// 合作成交.
    pub shared: i64,
}

impl Entry {
    /// P2.5 total in tenths: daily + (10 − 2 × violations) + 10 × units + 5 × shared.
    pub fn total_tenths(&self) -> i64 {
        self.daily_tenths + (100 - 20 * self.violations) + 100 * self.units + 50 * self.shared
    }
}

/// The designed entry of person `p` in month index `m` (0 = 2016-04).
pub fn entry(p: usize, m: usize) -> Entry {
    let (pi, mi) = (p as i64, m as i64);
    if WEAK[m / 3] == p {
        let violations = if p == 6 && m == 4 { 7 } else { 2 + mi % 2 };
        return Entry {
            daily_tenths: 50 + (mi % 2) * 5,
            violations,
            units: 0,
            shared: 0,
        };
    }
    let pair = m % 4;
    let shared = i64::from(p / 2 == pair);
    Entry {
        daily_tenths: 70 + ((pi * 3 + mi * 5) % 7) * 5,
        violations: (pi + 2 * mi) % 3,
        units: 1 + (pi * 5 + mi * 3) % 4,
        shared,
    }
}

fn month_of(m: usize) -> (u32, u32) {
    let idx = 2016 * 12 + 3 + m as u32;
    (idx / 12, idx % 12 + 1)
}

/// Write the example folder.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = root.join("p2-sales-consultant");
    std::fs::create_dir_all(&dir)?;
    let people: Vec<Row> = PEOPLE
        .iter()
        .map(|(id, name, hired)| Row {
            id: (*id).into(),
            name: (*name).into(),
            region: "华南区域".into(),
            branch: "佛山分公司".into(),
            department: "销售部".into(),
            project: "锦绣华庭".into(),
            post: "置业顾问".into(),
            hired: Some(*hired),
            status: "转正".into(),
            ..Row::default()
        })
        .collect();
    roster::write(&dir, &people)?;
    write_sheets(&dir)?;
    Manifest {
        policy: "../../policies/p2-sales-consultant.toml",
        roster: "roster.xlsx",
        facts: &["facts.xlsx"],
        ratings: None,
        decisions: None,
        period: Some("2016-06"),
        description: "锦绣华庭销售部8名置业顾问2016年4月至2017年3月评分表：每月一张表，每3个月提议末位，含合计错误与考勤负分。",
    }
    .write(&dir)?;
    Ok(())
}

fn write_sheets(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = xlsx::workbook()?;
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    for m in 0..12 {
        let (y, mo) = month_of(m);
        let ws = wb.add_worksheet();
        ws.set_name(format!("{y}年{mo}月"))?;
        ws.merge_range(0, 0, 0, 6, "置业顾问末位淘汰评分表", &title)?;
        xlsx::row(ws, 1, &[t(format!("销售部　{y}年{mo}月"))])?;
        ws.merge_range(2, 0, 3, 0, "置业顾问", &head)?;
        ws.merge_range(2, 5, 3, 5, "合计当月考核分数", &head)?;
        ws.merge_range(2, 6, 3, 6, "备注", &head)?;
        xlsx::row(
            ws,
            2,
            &[
                Cell::E,
                t("日常工作"),
                t("日常考勤"),
                t("销售情况"),
                t("合作成交"),
            ],
        )?;
        xlsx::row(
            ws,
            3,
            &[
                Cell::E,
                t("(10分)"),
                t("(10分，填违规次数，每次扣2分)"),
                t("(每套10分，填成交套数)"),
                t("(每人5分，填套数)"),
            ],
        )?;
        let mut sums = [0i64; 5];
        for (p, (_, name, _)) in PEOPLE.iter().enumerate() {
            let e = entry(p, m);
            let mut typed = e.total_tenths();
            if p == 2 && m == 2 {
                typed += 50; // typed wrong on purpose: the mismatch report (P2.7)
            }
            let note = if p == 6 && m == 4 {
                "当月违反现场管理制度7次".to_string()
            } else if e.units == 0 {
                "当月未成交".to_string()
            } else if e.shared > 0 {
                format!("合作成交{}套", e.shared)
            } else {
                String::new()
            };
            let r = 4 + p as u32;
            xlsx::row(
                ws,
                r,
                &[
                    t(*name),
                    n(tenths(e.daily_tenths)),
                    n(e.violations),
                    n(e.units),
                    n(e.shared),
                    n(tenths(typed)),
                    if note.is_empty() { Cell::E } else { t(note) },
                ],
            )?;
            for (s, v) in
                sums.iter_mut()
                    .zip([e.daily_tenths, e.violations, e.units, e.shared, typed])
            {
                *s += v;
            }
        }
        let r = 4 + PEOPLE.len() as u32;
        xlsx::row(
            ws,
            r,
            &[
                t("合计"),
                n(tenths(sums[0])),
                n(sums[1]),
                n(sums[2]),
                n(sums[3]),
                n(tenths(sums[4])),
                Cell::E,
            ],
        )?;
        ws.set_column_width(0, 12)?;
        for c in 1..=5 {
            ws.set_column_width(c, 16)?;
        }
        ws.set_column_width(6, 24)?;
    }
    wb.save(dir.join("facts.xlsx"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P2.3: 罗嘉怡 (index 6), 2016-08 (month index 4): 7 violations → attendance 10 − 14 = −4.
    /// Her daily work that month is 5.0 (m even), no sales: total 5.0 − 4 = 1.0 = 10 tenths.
    #[test]
    fn seven_violations_score_minus_four() {
        let e = entry(6, 4);
        assert_eq!(e.violations, 7);
        assert_eq!(e.total_tenths(), 10);
    }

    /// P2.7: in every 3-month block the designed weakest consultant has the unique lowest sum.
    /// A weak month is at most 5.5 + 10 − 4 = 11.5 (or 1.0 with 7 violations); any other month
    /// is at least 7.0 + 6 + 10 = 23, so the weakest is unique.
    #[test]
    fn each_block_has_a_unique_bottom() {
        for (b, weak) in WEAK.iter().enumerate() {
            let sums: Vec<i64> = (0..8)
                .map(|p| (b * 3..b * 3 + 3).map(|m| entry(p, m).total_tenths()).sum())
                .collect();
            let min = sums.iter().copied().min().unwrap_or_default();
            let bottoms: Vec<usize> = (0..8).filter(|p| sums[*p] == min).collect();
            assert_eq!(bottoms, vec![*weak], "block {b}: {sums:?}");
        }
    }
}
