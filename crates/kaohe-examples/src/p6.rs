//! Example P6 营销部淘汰程序 (examples/p6-marketing-procedure): 5 people under evaluation.
//!
//! Evaluation = 0.4 × performance + 0.3 × ability + 0.15 × potential + 0.15 × team fit:
//! 易晨 0.4×80 + 0.3×75 + 0.15×70 + 0.15×80 = 32 + 22.5 + 10.5 + 12 = 77 (meets the standard);
//! 卓雅 0.4×50 + 0.3×55 + 0.15×80 + 0.15×70 = 20 + 16.5 + 12 + 10.5 = 59 (below, potential 80 → reassign);
//! 聂远 0.4×45 + 0.3×50 + 0.15×40 + 0.15×60 = 18 + 15 + 6 + 9 = 48 (below, potential 40 → incompetence procedure);
//! 舒婷 no written notice served → procedure incomplete; 阮浩 no plan → procedure incomplete.

use crate::roster::{self, Row};
use crate::xlsx::{self, n, t, Cell};
use crate::Manifest;
use std::path::Path;

/// (工号, 姓名, 方案, 书面告知, 业绩, 能力, 潜力, 团队适应性)
type Person = (&'static str, &'static str, bool, bool, i64, i64, i64, i64);

const PEOPLE: [Person; 5] = [
    ("YX01", "易晨", true, true, 80, 75, 70, 80),
    ("YX02", "卓雅", true, true, 50, 55, 80, 70),
    ("YX03", "聂远", true, true, 45, 50, 40, 60),
    ("YX04", "舒婷", true, false, 55, 60, 65, 70),
    ("YX05", "阮浩", false, true, 52, 58, 50, 66),
];

fn yes_no(b: bool) -> Cell {
    t(if b { "是" } else { "否" })
}

/// Write the example folder.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = root.join("p6-marketing-procedure");
    std::fs::create_dir_all(&dir)?;
    let people: Vec<Row> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, p)| Row {
            id: p.0.into(),
            name: p.1.into(),
            region: "华东区域".into(),
            branch: "苏州分公司".into(),
            department: "营销部".into(),
            post: "营销专员".into(),
            hired: Some((2017 + i as u16, 6, 1)),
            status: "转正".into(),
            ..Row::default()
        })
        .collect();
    roster::write(&dir, &people)?;
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("评估")?;
    let rows: Vec<Vec<Cell>> = PEOPLE
        .iter()
        .map(|p| {
            vec![
                t(p.0),
                t(p.1),
                t("2025年营销部评估"),
                yes_no(p.2),
                yes_no(p.3),
                n(p.4),
                n(p.5),
                n(p.6),
                n(p.7),
            ]
        })
        .collect();
    xlsx::table(
        ws,
        0,
        &[
            "工号",
            "姓名",
            "期间",
            "淘汰方案已制定",
            "已书面告知",
            "工作业绩",
            "能力",
            "潜力",
            "团队适应性",
        ],
        &rows,
    )?;
    wb.save(dir.join("facts.xlsx"))?;
    Manifest {
        policy: "../../policies/p6-marketing-procedure.toml",
        roster: "roster.xlsx",
        facts: &["facts.xlsx"],
        ratings: None,
        decisions: None,
        period: None,
        description: "苏州分公司营销部5人淘汰评估：先查方案与书面告知，再按业绩、能力、潜力、团队适应性全面评估。",
    }
    .write(&dir)?;
    Ok(())
}
