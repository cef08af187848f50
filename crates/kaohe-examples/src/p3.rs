//! Example P3 入职培训 (examples/p3-onboarding): a one-week cohort of 9 trainees.
//!
//! Each P3.3 gate fails for someone, one trainee fails several, and one sits exactly on every
//! threshold (70 points, 10 calls a day) and passes, with one recorded warning (P3.2).

use crate::roster::{self, Row};
use crate::xlsx::{self, n, t};
use crate::Manifest;
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// (工号, 姓名, 违纪, 迟到早退, 反馈表, 笔试, 演讲, 每日电话量, 口头警告)
type Trainee = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    i64,
    i64,
    &'static str,
    i64,
);

/// The cohort; expected results in the comments (exam = 0.4 × written + 0.6 × speech).
const TRAINEES: [Trainee; 9] = [
    // passes: exam 0.4×80 + 0.6×78 = 78.8; no day below 10
    ("XY01", "邵文博", "否", 0, "是", 80, 78, "12/11/10/13/10", 0),
    // (a) conduct breach
    ("XY02", "韩雪莉", "是", 0, "是", 85, 82, "11/12/10/10/14", 0),
    // (b) one late arrival
    ("XY03", "曹一帆", "否", 1, "是", 76, 80, "10/11/12/10/11", 0),
    // (c) feedback form late or incomplete
    ("XY04", "彭诗雨", "否", 0, "否", 90, 75, "13/12/11/10/12", 0),
    // (d) 0.4×60 + 0.6×72 = 67.2 < 70
    ("XY05", "曾子豪", "否", 0, "是", 60, 72, "10/10/12/11/13", 0),
    // passes on every threshold: 0.4×70 + 0.6×70 = 70 (not below), 10 calls daily; 1 warning → observation
    ("XY06", "谢婉清", "否", 0, "是", 70, 70, "10/10/10/10/10", 1),
    // (e) below 10 on three days (9, 8, 7)
    (
        "XY07",
        "田俊逸",
        "否",
        0,
        "是",
        82,
        80,
        "9 / 12 / 8 / 10 / 7",
        0,
    ),
    // (b) late twice, (d) 0.4×65 + 0.6×68 = 66.8, (e) 8, 9, 7 below, second warning (P3.2)
    ("XY08", "袁梦琪", "否", 2, "是", 65, 68, "8/9/11/7/12", 2),
    // passes: only two days below 10 (9, 8)
    ("XY09", "邹宇", "否", 0, "是", 74, 77, "9/8/10/12/11", 0),
];

/// Write the example folder.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = root.join("p3-onboarding");
    std::fs::create_dir_all(&dir)?;
    let people: Vec<Row> = TRAINEES
        .iter()
        .map(|x| Row {
            id: x.0.into(),
            name: x.1.into(),
            region: "华东区域".into(),
            branch: "南京分公司".into(),
            department: "销售部".into(),
            post: "客户经理".into(),
            hired: Some((2025, 3, 3)),
            status: "试用".into(),
            ..Row::default()
        })
        .collect();
    roster::write(&dir, &people)?;
    write_facts(&dir)?;
    Manifest {
        policy: "../../policies/p3-onboarding.toml",
        roster: "roster.xlsx",
        facts: &["facts.xlsx"],
        ratings: None,
        decisions: None,
        period: None,
        description:
            "2025年3月第一期岗前培训9名新员工：纪律、出勤、反馈表、笔试演讲、每日电话量逐项把关。",
    }
    .write(&dir)?;
    Ok(())
}

fn write_facts(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("培训考核")?;
    xlsx::row(ws, 0, &[t("新员工岗前培训考核记录（2025年3月3日—3月7日）")])?;
    let rows: Vec<_> = TRAINEES
        .iter()
        .map(|x| {
            vec![
                t(x.0),
                t(x.1),
                t("2025-03 第1期"),
                t(x.2),
                n(x.3),
                t(x.4),
                n(x.5),
                n(x.6),
                t(x.7),
                n(x.8),
            ]
        })
        .collect();
    xlsx::table(
        ws,
        1,
        &[
            "工号",
            "姓名",
            "月份",
            "态度松散或违反制度",
            "迟到早退次数",
            "反馈表按时完整上交",
            "笔试",
            "演讲",
            "每日电话量",
            "口头警告次数",
        ],
        &rows,
    )?;
    wb.save(dir.join("facts.xlsx"))
}
