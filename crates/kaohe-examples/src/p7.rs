//! Example P7 部门多人评分 (examples/p7-department-raters): one department, 2025-Q4.
//!
//! Ten confirmed staff are rated by three colleagues (同事), the department head (部门负责人)
//! and the deputy GM (副总经理); one probation hire is on the roster but not covered (P7.1).
//! Quota 2: 柳思琪's serious violation takes one place (P7.7); 车晓燕 and 毛宇辰 tie exactly
//! for the other — (30×80 + 40×70 + 40×70)/110 = (30×70 + 40×75 + 40×72.5)/110 = 8000/110 —
//! and the tie goes to a person (P7.6).

use crate::roster::{self, Row};
use crate::xlsx::{self, n, t, tenths, Cell};
use crate::Manifest;
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// (工号, 姓名, three peer scores, head, deputy GM in tenths, serious violation)
type Staff = (&'static str, &'static str, [i64; 3], i64, i64, bool);

const STAFF: [Staff; 10] = [
    ("SC01", "罗文静", [88, 90, 86], 90, 880, false),
    ("SC02", "葛志鹏", [82, 84, 80], 85, 840, false),
    ("SC03", "车晓燕", [78, 80, 82], 70, 700, false),
    ("SC04", "汤俊峰", [85, 83, 87], 80, 820, false),
    ("SC05", "柳思琪", [84, 86, 85], 86, 850, true),
    ("SC06", "毛宇辰", [68, 70, 72], 75, 725, false),
    ("SC07", "齐佳欣", [76, 78, 77], 78, 760, false),
    ("SC08", "武浩然", [90, 92, 91], 92, 900, false),
    ("SC09", "蔡雨菲", [80, 79, 81], 76, 780, false),
    ("SC10", "侯明远", [74, 76, 75], 77, 750, false),
];

const HEAD: (&str, &str) = ("SC00", "周建国");
const DEPUTY_GM: &str = "冯德明";
const DEPARTMENT: &str = "市场拓展部";

/// Write the example folder.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = root.join("p7-department-raters");
    std::fs::create_dir_all(&dir)?;
    let base = Row {
        region: "华北区域".into(),
        branch: "天津分公司".into(),
        department: DEPARTMENT.into(),
        post: "业务专员".into(),
        status: "转正".into(),
        ..Row::default()
    };
    let mut people = vec![Row {
        id: HEAD.0.into(),
        name: HEAD.1.into(),
        post: "部门负责人".into(),
        hired: Some((2016, 4, 1)),
        ..base.clone()
    }];
    for (i, s) in STAFF.iter().enumerate() {
        people.push(Row {
            id: s.0.into(),
            name: s.1.into(),
            hired: Some((2018 + (i % 6) as u16, 1 + (i % 12) as u8, 10)),
            ..base.clone()
        });
    }
    // On probation: assessed separately (P7.1), so not rated here.
    people.push(Row {
        id: "SC11".into(),
        name: "钟雅琳".into(),
        hired: Some((2025, 9, 1)),
        status: "试用".into(),
        ..base.clone()
    });
    roster::write(&dir, &people)?;
    write_ratings(&dir)?;
    write_facts(&dir)?;
    Manifest {
        policy: "../../policies/p7-department-raters.toml",
        roster: "roster.xlsx",
        facts: &["facts.xlsx"],
        ratings: Some("ratings.xlsx"),
        decisions: None,
        period: Some("2025-Q4"),
        description: "市场拓展部2025年第四季度末位评定：同事、部门负责人、副总经理依次评分，严重违纪占名额，末位并列待人工确认。",
    }
    .write(&dir)?;
    Ok(())
}

fn write_ratings(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("评分表")?;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    // Rating order (P7.2): first every colleague, then the head, then the deputy GM.
    for (i, s) in STAFF.iter().enumerate() {
        for (k, score) in s.2.iter().enumerate() {
            let rater = STAFF[(i + k + 1) % STAFF.len()].1;
            rows.push(vec![
                t("2025-Q4"),
                t(s.0),
                t(s.1),
                t(rater),
                t("同事"),
                n(score),
            ]);
        }
    }
    for s in &STAFF {
        rows.push(vec![
            t("2025-Q4"),
            t(s.0),
            t(s.1),
            t(HEAD.1),
            t("部门负责人"),
            n(s.3),
        ]);
    }
    for s in &STAFF {
        rows.push(vec![
            t("2025-Q4"),
            t(s.0),
            t(s.1),
            t(DEPUTY_GM),
            t("副总经理"),
            n(tenths(s.4)),
        ]);
    }
    xlsx::table(
        ws,
        0,
        &[
            "期间",
            "被评人工号",
            "被评人",
            "评分人",
            "评分人类别",
            "分数",
        ],
        &rows,
    )?;
    wb.save(dir.join("ratings.xlsx"))
}

fn write_facts(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("违纪记录")?;
    let rows: Vec<Vec<Cell>> = STAFF
        .iter()
        .map(|s| {
            vec![
                t(s.0),
                t(s.1),
                t("2025-Q4"),
                t(if s.5 { "是" } else { "否" }),
            ]
        })
        .collect();
    xlsx::table(
        ws,
        0,
        &["工号", "姓名", "期间", "严重违章违纪(已查实)"],
        &rows,
    )?;
    wb.save(dir.join("facts.xlsx"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P7.3/P7.6: the designed tie is exact. Score × 110 = 30 × (peer sum / 3) + 40 × head +
    /// 40 × GM; times 30 with the GM in tenths g: Q = 300 × peer sum + 1200 × head + 120 × g.
    /// 车晓燕: 300×240 + 1200×70 + 120×700 = 72000 + 84000 + 84000 = 240000;
    /// 毛宇辰: 300×210 + 1200×75 + 120×725 = 63000 + 90000 + 87000 = 240000.
    /// Both score 240000 / 3300 = 72.7272…; the next, 侯明远, 249900 / 3300 = 75.7272….
    #[test]
    fn tie_at_the_line_is_exact() {
        let weighted = |s: &Staff| 300 * s.2.iter().sum::<i64>() + 1200 * s.3 + 120 * s.4;
        assert_eq!(weighted(&STAFF[2]), 240_000);
        assert_eq!(weighted(&STAFF[5]), 240_000);
        assert_eq!(weighted(&STAFF[9]), 249_900);
        // Everyone else not vetoed scores strictly more.
        for s in STAFF
            .iter()
            .filter(|s| !s.5 && s.0 != "SC03" && s.0 != "SC06")
        {
            assert!(weighted(s) > 99_600, "{}", s.1);
        }
    }
}
