//! Sample data (示例数据) for previewing a template and for the trial render of
//! [`crate::check_template`]. Fictitious people.

use chrono::NaiveDate;

use crate::{DocData, DocKind, DocPerson, DocRow};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn row(rank: u32, id: &str, name: &str, score: &str, status: &str) -> DocRow {
    DocRow {
        id: id.into(),
        name: name.into(),
        unit: "琥珀湾项目部".into(),
        score: score.into(),
        rank: Some(rank),
        status: status.into(),
    }
}

/// Fictitious data that fills every field the kind shows: a P8 line entry for the warning
/// letter, a P7 elimination list place for the notice, a P6 procedure for the written notice,
/// a P2 month for the summary.
pub fn sample_data(kind: DocKind) -> DocData {
    let (policy_name, reason, measures, rules): (&str, &str, &[&str], &[&str]) = match kind {
        DocKind::WarningLetter => (
            "琥珀湾客户经理淘汰制度",
            "当月未完成销售任务，按销售额在未完成者中排名后两位（P8.3）",
            &["书面警告", "一个月观察期", "销售技能培训"],
            &["P8.3", "P8.5", "P8.9"],
        ),
        DocKind::EliminationNotice => (
            "部门末位淘汰机制",
            "三方评分加权平均后排名末位，在淘汰名额内（P7.4）",
            &["留岗察看一个月", "书面检讨及改进计划", "岗位培训"],
            &["P7.4", "P7.5", "P7.8"],
        ),
        DocKind::WrittenNotice => (
            "营销部淘汰管理办法",
            "本期考核结果在末位，进入淘汰评估程序（P6.2）",
            &["业绩辅导", "技能培训"],
            &["P6.1", "P6.2"],
        ),
        DocKind::MonthlySummary => ("销售部末位淘汰制度", "", &[], &["P2.6"]),
    };
    DocData {
        company: "示例置业有限公司".into(),
        unit: "琥珀湾项目部".into(),
        period_label: "2025-03".into(),
        policy_name: policy_name.into(),
        policy_version: "2025.1".into(),
        date: date(2025, 4, 2),
        person: kind.is_letter().then(|| DocPerson {
            id: "E1024".into(),
            name: "李喆".into(),
            post: Some("置业顾问".into()),
            score: Some("58.50".into()),
            rank: Some(12),
            group_size: Some(12),
            reason: reason.into(),
            measures: measures.iter().map(|s| s.to_string()).collect(),
            rules: rules.iter().map(|s| s.to_string()).collect(),
            appeal_until: Some(date(2025, 4, 5)),
        }),
        rows: vec![
            row(1, "E1001", "王堃", "92.00", "正常"),
            row(2, "E1002", "张赟", "85.50", "豁免"),
            row(3, "E1003", "赵珺", "71.25", "正常"),
            row(4, "E1024", "李喆", "58.50", "末位"),
        ],
        notes: Vec::new(),
        report_to: (kind == DocKind::MonthlySummary).then(|| "总经办".to_string()),
        approvers: Vec::new(),
    }
}
