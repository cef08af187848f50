//! Example P4 集团销售人员 (examples/p4-group-sales): 3 branches × 10 staff, 2025-03.
//!
//! Scores (worked out by hand in examples/p4-group-sales/README.md): sales 70 × actual/target
//! capped at 70, visits 15 × done/required (0 below 60%), large consumption 15 up to 10%, 0 above
//! 30%, linear between. 宁波 has a falsified-visits veto on a top scorer, 温州 a cash-out veto on
//! the lowest scorer (who takes no quota place, P4.12), 杭州 someone at exactly 60% of visits.

use crate::roster::{self, Row};
use crate::xlsx::{self, full_width, hundredths, n, t, Cell};
use crate::Manifest;
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// (工号, 姓名, 销售业绩 万元, 有效拜访量, 大额消费占比 %, 虚报拜访, 套现套票)
type Staff = (&'static str, &'static str, i64, i64, i64, bool, bool);

/// Branch name and its ten staff; every target is 100 万元 and 60 visits.
const BRANCHES: [(&str, [Staff; 10]); 3] = [
    (
        "杭州分公司",
        [
            ("HZ01", "钱思远", 120, 66, 5, false, false),
            ("HZ02", "卢佳琪", 95, 60, 8, false, false),
            ("HZ03", "蒋文轩", 88, 54, 12, false, false),
            ("HZ04", "沈若彤", 80, 36, 9, false, false),
            ("HZ05", "韦浩宇", 102, 58, 20, false, false),
            ("HZ06", "苏晓雯", 70, 50, 10, false, false),
            ("HZ07", "潘俊熙", 60, 35, 6, false, false),
            ("HZ08", "杜欣怡", 75, 62, 35, false, false),
            ("HZ09", "戴明轩", 90, 45, 15, false, false),
            ("HZ10", "夏雨萱", 85, 48, 4, false, false),
        ],
    ),
    (
        "宁波分公司",
        [
            ("NB01", "姚振华", 110, 63, 7, false, false),
            ("NB02", "方诗琪", 92, 57, 9, false, false),
            ("NB03", "任家豪", 98, 60, 11, false, false),
            ("NB04", "邱雅婷", 65, 40, 8, false, false),
            ("NB05", "廖子健", 105, 70, 6, true, false),
            ("NB06", "尹思彤", 72, 44, 18, false, false),
            ("NB07", "熊立伟", 55, 38, 10, false, false),
            ("NB08", "龚欣妍", 80, 52, 25, false, false),
            ("NB09", "萧博文", 88, 60, 3, false, false),
            ("NB10", "段婉婷", 77, 55, 9, false, false),
        ],
    ),
    (
        "温州分公司",
        [
            ("WZ01", "孟凡宇", 100, 60, 10, false, false),
            ("WZ02", "黎晓晴", 85, 55, 5, false, false),
            ("WZ03", "常浩然", 40, 30, 40, false, true),
            ("WZ04", "康雅琳", 90, 58, 14, false, false),
            ("WZ05", "史俊豪", 62, 42, 22, false, false),
            ("WZ06", "顾梓萱", 75, 50, 9, false, false),
            ("WZ07", "邓子涵", 95, 61, 11, false, false),
            ("WZ08", "白雨欣", 68, 47, 16, false, false),
            ("WZ09", "崔宇轩", 81, 53, 8, false, false),
            ("WZ10", "薛诗涵", 70, 39, 12, false, false),
        ],
    ),
];

fn yes_no(b: bool) -> Cell {
    t(if b { "是" } else { "否" })
}

/// Write the example folder.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = root.join("p4-group-sales");
    std::fs::create_dir_all(&dir)?;
    let mut people = Vec::new();
    for (b, (branch, staff)) in BRANCHES.iter().enumerate() {
        for (i, s) in staff.iter().enumerate() {
            people.push(Row {
                id: s.0.into(),
                name: s.1.into(),
                region: "浙江区".into(),
                branch: (*branch).into(),
                department: "销售部".into(),
                post: "销售人员".into(),
                hired: Some((
                    2018 + ((b + i) % 6) as u16,
                    1 + (i % 12) as u8,
                    1 + (i * 2) as u8,
                )),
                status: "转正".into(),
                ..Row::default()
            });
        }
    }
    roster::write(&dir, &people)?;
    write_facts(&dir)?;
    Manifest {
        policy: "../../policies/p4-group-sales.toml",
        roster: "roster.xlsx",
        facts: &["facts.xlsx"],
        ratings: None,
        decisions: None,
        period: Some("2025-03"),
        description: "浙江区三家分公司30名销售人员2025年3月考核：70/15/15计分，分公司内排名，虚报拜访与套现套票一票否决。",
    }
    .write(&dir)?;
    Ok(())
}

fn write_facts(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("2025年3月")?;
    xlsx::row(
        ws,
        0,
        &[t(
            "2025年3月销售人员末位淘汰考核数据（销售业绩、指标单位：万元）",
        )],
    )?;
    let header = [
        "工号",
        "姓名",
        "月份",
        "销售业绩",
        "销售指标",
        "指标签字确认",
        "有效拜访量",
        "要求拜访量",
        "大额消费占比",
        "虚报拜访(已查实)",
        "套现套票(已查实)",
    ];
    let head: Vec<Cell> = header.iter().map(|h| t(*h)).collect();
    xlsx::row(ws, 1, &head)?;
    let mut r = 2;
    for (b, (_, staff)) in BRANCHES.iter().enumerate() {
        if b > 0 {
            r += 1; // a blank row between branches (messy on purpose)
        }
        for (i, s) in staff.iter().enumerate() {
            // Percent as text in some rows, as a fraction in others; one full-width number.
            let share = if i % 2 == 0 {
                t(format!("{}%", s.4))
            } else {
                n(hundredths(s.4))
            };
            let sales = if s.0 == "NB02" {
                t(full_width(&s.2.to_string()))
            } else {
                n(s.2)
            };
            xlsx::row(
                ws,
                r,
                &[
                    t(s.0),
                    t(s.1),
                    t("2025-03"),
                    sales,
                    n(100),
                    yes_no(s.0 != "WZ10"),
                    n(s.3),
                    n(60),
                    share,
                    yes_no(s.5),
                    yes_no(s.6),
                ],
            )?;
            r += 1;
        }
    }
    for c in 0..header.len() as u16 {
        ws.set_column_width(c, 14)?;
    }
    wb.save(dir.join("facts.xlsx"))
}
