//! Example P1 客户经理排位 (examples/p1-account-manager-ranking): 8 managers, 2025-06.
//!
//! Ranked within their level with the level's weights (P1.4); no line (P1.3). Junior totals,
//! 0.3 × satisfaction + 0.5 × sales score + 0.2 × teamwork with sales score = 100 × actual /
//! target capped at 100: 孔令辉 0.3×90 + 0.5×100 + 0.2×80 = 93; 鲍雪 0.3×85 + 0.5×80 + 0.2×90 = 83.5;
//! 章一诺 0.3×70 + 0.5×60 + 0.2×75 = 66.

use crate::roster::{self, Row};
use crate::xlsx::{self, n, t, Cell};
use crate::Manifest;
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// (工号, 姓名, 级别, 客户满意度, 销售业绩, 销售目标, 团队合作)
const MANAGERS: [(&str, &str, &str, i64, i64, i64, i64); 8] = [
    ("KH01", "孔令辉", "初级", 90, 110, 100, 80),
    ("KH02", "鲍雪", "初级", 85, 80, 100, 90),
    ("KH03", "章一诺", "初级", 70, 60, 100, 75),
    ("KH04", "尤嘉乐", "中级", 88, 150, 160, 85),
    ("KH05", "华思源", "中级", 92, 120, 160, 88),
    ("KH06", "金晓萌", "中级", 75, 170, 160, 70),
    ("KH07", "施文昊", "高级", 95, 200, 240, 90),
    ("KH08", "柏若琳", "高级", 80, 250, 240, 85),
];

/// Write the example folder.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = root.join("p1-account-manager-ranking");
    std::fs::create_dir_all(&dir)?;
    let people: Vec<Row> = MANAGERS
        .iter()
        .enumerate()
        .map(|(i, m)| Row {
            id: m.0.into(),
            name: m.1.into(),
            region: "华中区域".into(),
            branch: "武汉分公司".into(),
            department: "集团客户部".into(),
            post: "客户经理".into(),
            level: m.2.into(),
            level_since: Some((2022 + (i % 3) as u16, 1, 1)),
            hired: Some((2019 + (i % 4) as u16, 3, 1)),
            status: "转正".into(),
            ..Row::default()
        })
        .collect();
    roster::write(&dir, &people)?;
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("2025年6月")?;
    let rows: Vec<Vec<Cell>> = MANAGERS
        .iter()
        .map(|m| vec![t(m.0), t(m.1), t("2025-06"), n(m.3), n(m.4), n(m.5), n(m.6)])
        .collect();
    xlsx::table(
        ws,
        0,
        &[
            "工号",
            "姓名",
            "月份",
            "客户满意度",
            "销售业绩",
            "销售目标",
            "团队合作",
        ],
        &rows,
    )?;
    save(wb, &dir)?;
    Manifest {
        policy: "../../policies/p1-account-manager-ranking.toml",
        roster: "roster.xlsx",
        facts: &["facts.xlsx"],
        ratings: None,
        decisions: None,
        period: Some("2025-06"),
        description: "武汉分公司8名客户经理2025年6月排位：初级、中级、高级各用各的权重分组排名，附改进建议。",
    }
    .write(&dir)?;
    Ok(())
}

fn save(mut wb: rust_xlsxwriter::Workbook, dir: &Path) -> Result<(), XlsxError> {
    wb.save(dir.join("facts.xlsx"))
}
