//! Example P5 客户经理晋级 (examples/p5-promotion): the 2025 annual round, 15 account managers.
//!
//! Expected level changes (README.md): 谭子怡 trial → junior; 范志强 and 石佳宁 junior → middle;
//! 顾明哲 middle → senior; 胡一凡 middle → junior and 江晓蕾 senior → middle (demotions on
//! absolute standards); everyone else stays, each for a stated reason.

use crate::roster::{self, Row};
use crate::xlsx::{self, n, t, Cell};
use crate::Manifest;
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// (工号, 姓名, 级别, 定级日期, 年度绩效, 技能测试, 工作总结, 试岗鉴定, 报批, 试岗月数)
/// Trial-only columns are `None` for the others.
type Manager = (
    &'static str,
    &'static str,
    &'static str,
    (u16, u8, u8),
    i64,
    bool,
    Option<(bool, bool, bool, i64)>,
);

const MANAGERS: [Manager; 15] = [
    (
        "KJ01",
        "谭子怡",
        "见习",
        (2025, 9, 1),
        82,
        true,
        Some((true, true, true, 2)),
    ),
    (
        "KJ02",
        "黎俊辉",
        "见习",
        (2025, 9, 15),
        79,
        true,
        Some((true, true, false, 2)),
    ),
    (
        "KJ03",
        "陆欣悦",
        "见习",
        (2025, 11, 3),
        75,
        true,
        Some((true, true, true, 1)),
    ),
    ("KC01", "范志强", "初级", (2023, 3, 1), 92, true, None),
    ("KC02", "石佳宁", "初级", (2024, 5, 6), 86, true, None),
    ("KC03", "莫晓东", "初级", (2022, 1, 10), 80, true, None),
    ("KC04", "贺雨涵", "初级", (2023, 7, 1), 88, false, None),
    ("KC05", "邓佳琪", "初级", (2025, 2, 17), 72, true, None),
    ("KM01", "顾明哲", "中级", (2022, 6, 1), 94, true, None),
    ("KM02", "严若曦", "中级", (2024, 1, 8), 91, true, None),
    ("KM03", "魏子健", "中级", (2021, 9, 1), 85, true, None),
    ("KM04", "秦雅文", "中级", (2023, 4, 3), 78, true, None),
    ("KM05", "胡一凡", "中级", (2020, 8, 1), 55, false, None),
    ("KS01", "潘立群", "高级", (2019, 5, 20), 90, true, None),
    ("KS02", "江晓蕾", "高级", (2018, 10, 8), 58, false, None),
];

fn yes_no(b: bool) -> Cell {
    t(if b { "是" } else { "否" })
}

/// Write the example folder.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = root.join("p5-promotion");
    std::fs::create_dir_all(&dir)?;
    let people: Vec<Row> = MANAGERS
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (y, mo, d) = m.3;
            Row {
                id: m.0.into(),
                name: m.1.into(),
                region: "西南区域".into(),
                branch: ["成都市公司", "绵阳县分公司", "德阳县分公司"][i % 3].into(),
                department: "政企客户部".into(),
                post: "客户经理".into(),
                level: m.2.into(),
                level_since: Some(m.3),
                // Trial staff start on their level date; the others were hired earlier.
                hired: Some(if m.2 == "见习" {
                    m.3
                } else {
                    (y - 1 - (i % 3) as u16, mo, d)
                }),
                status: if m.2 == "见习" { "试用" } else { "转正" }.into(),
                ..Row::default()
            }
        })
        .collect();
    roster::write(&dir, &people)?;
    write_facts(&dir)?;
    Manifest {
        policy: "../../policies/p5-promotion.toml",
        roster: "roster.xlsx",
        facts: &["facts.xlsx"],
        ratings: None,
        decisions: None,
        period: Some("2025"),
        description: "2025年度客户经理晋级评定：见习3人、初级5人、中级5人、高级2人，按年度绩效排名、技能测试与任级年限升降级。",
    }
    .write(&dir)?;
    Ok(())
}

fn write_facts(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("年度评定")?;
    let rows: Vec<Vec<Cell>> = MANAGERS
        .iter()
        .map(|m| {
            let trial = match m.6 {
                Some((summary, appraisal, approved, months)) => [
                    yes_no(summary),
                    yes_no(appraisal),
                    yes_no(approved),
                    n(months),
                ],
                None => [Cell::E, Cell::E, Cell::E, Cell::E],
            };
            let mut row = vec![t(m.0), t(m.1), t("2025年"), n(m.4), yes_no(m.5)];
            row.extend(trial);
            row
        })
        .collect();
    xlsx::table(
        ws,
        0,
        &[
            "工号",
            "姓名",
            "考核期间",
            "年度绩效得分",
            "技能测试通过",
            "个人工作总结已提交",
            "试岗期鉴定合格",
            "市场部人力资源部报批通过",
            "试岗月数",
        ],
        &rows,
    )?;
    wb.save(dir.join("facts.xlsx"))
}
