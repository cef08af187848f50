//! Hand-built results (测试夹具) for the export tests: the engine is not run here, so each
//! `PeriodResult` is written out value by value, as the engine would report it.
#![allow(dead_code)]

use kaohe_engine::data::{Mark, Period, Source};
use kaohe_engine::result::*;
use kaohe_policy::model::{LegalPath, Measure, Policy};
use rust_decimal::Decimal;
use std::str::FromStr;

/// An exact decimal from text.
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A shipped policy file by name.
pub fn shipped(file: &str) -> Policy {
    let path = format!("{}/../../policies/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str(&text).unwrap()
}

/// A person with nothing but id, name, group, status and line position.
pub fn person(
    id: &str,
    name: &str,
    group: &str,
    status: Status,
    line: LinePosition,
) -> PersonResult {
    PersonResult {
        id: id.into(),
        name: name.into(),
        group: group.into(),
        status,
        score: None,
        rank: None,
        group_size: None,
        indicators: vec![],
        grade: None,
        line,
        exemptions: vec![],
        vetoes: vec![],
        gates_failed: vec![],
        history: vec![],
        mark: Mark::Clear,
        ladder: None,
        level_change: None,
        outcomes: vec![],
        suggestions: vec![],
        typed_total_mismatch: None,
    }
}

/// An indicator result.
pub fn ind(id: &str, name: &str, rule: &str, value: &str, zh: &str) -> IndicatorResult {
    IndicatorResult {
        id: id.into(),
        name: name.into(),
        rule: Some(rule.into()),
        value: Some(d(value)),
        label: None,
        explanation: Explanation {
            inputs: vec![],
            zh: zh.into(),
            en: format!("en: {zh}"),
        },
    }
}

/// A reason.
pub fn reason(id: &str, rule: &str, zh: &str, en: &str) -> Reason {
    Reason {
        id: id.into(),
        rule: Some(rule.into()),
        zh: zh.into(),
        en: en.into(),
    }
}

/// The requirements of an Art. 40(2) path and of any line outcome, as LABOUR-LAW.md states them.
pub fn line_requirements() -> Vec<Requirement> {
    vec![
        Requirement {
            code: "not_alone".into(),
            article: "最高法指导案例18号".into(),
            zh: "此结果不能单独作为解除劳动合同的理由".into(),
            en: "This result alone is no ground for termination".into(),
        },
        Requirement {
            code: "remediation_record".into(),
            article: "劳动合同法第40条第2项".into(),
            zh: "须有培训或调岗记录，且再次考核仍不能胜任".into(),
            en: "A training or transfer record and a new assessment still showing incompetence"
                .into(),
        },
    ]
}

fn outcome(
    id: &str,
    name: &str,
    rule: &str,
    because: &str,
    measure: Measure,
    path: LegalPath,
    requires: Vec<Requirement>,
) -> OutcomeResult {
    OutcomeResult {
        id: id.into(),
        name: name.into(),
        name_en: format!("{id} (en)"),
        rule: Some(rule.into()),
        because: because.into(),
        measure,
        document: None,
        legal_path: path,
        needs_confirmation: false,
        requires,
    }
}

/// P8, May 2024, one group 全部, bottom 2 (P8.3):
/// - 1001 王芳 1,200,000, target met → exempt (P8.2);
/// - 1002 李娜 900,000.585 (shown 900000.59, X2), typed total differs;
/// - 1003 张伟 800,000;
/// - 1004 欧阳明轩 and 1005 刘洋 both 500,000 and equal 回款: tie for the last place (P8.4, X5);
/// - 1006 陈静 300,000 → in the line, 2nd month in a row, 3rd in 6 months (P8.6);
/// - 1007 赵磊 vetoed (fictional veto for the test, P4.8);
/// - 1008 孙丽 new hire (P8.7); 1009 周杰 data missing (source row 11).
pub fn p8_may() -> PeriodResult {
    let g = "全部";
    let sales = |v: &str| {
        ind(
            "sales_amount",
            "销售额",
            "P8.1",
            v,
            &format!("销售额 = {v}"),
        )
    };
    let coll = |v: &str| {
        ind(
            "collected_amount",
            "回款总额",
            "P8.4",
            v,
            &format!("回款 = {v}"),
        )
    };
    let ranked =
        |id: &str, name: &str, rank: u32, s: &str, c: &str, status: Status, line: LinePosition| {
            let mut p = person(id, name, g, status, line);
            p.rank = Some(rank);
            p.group_size = Some(6);
            p.score = Some(d(s));
            p.indicators = vec![sales(s), coll(c)];
            p
        };
    let mut p1 = ranked(
        "1001",
        "王芳",
        1,
        "1200000",
        "800000",
        Status::Exempt,
        LinePosition::Above,
    );
    p1.exemptions = vec![reason(
        "target_met",
        "P8.2",
        "完成当月销售任务",
        "met the month's sales target",
    )];
    p1.mark = Mark::Exempt;
    let mut p2 = ranked(
        "1002",
        "李娜",
        2,
        "900000.585",
        "600000",
        Status::Ranked,
        LinePosition::Above,
    );
    p2.typed_total_mismatch = Some(d("900100"));
    let p3 = ranked(
        "1003",
        "张伟",
        3,
        "800000",
        "500000",
        Status::Ranked,
        LinePosition::Above,
    );
    let mut p4 = ranked(
        "1004",
        "欧阳明轩",
        4,
        "500000",
        "200000",
        Status::Ranked,
        LinePosition::TiePending,
    );
    p4.mark = Mark::Pending;
    let mut p5 = ranked(
        "1005",
        "刘洋",
        4,
        "500000",
        "200000",
        Status::Ranked,
        LinePosition::TiePending,
    );
    p5.mark = Mark::Pending;
    let mut p6 = ranked(
        "1006",
        "陈静",
        6,
        "300000",
        "100000",
        Status::Ranked,
        LinePosition::InLine,
    );
    p6.mark = Mark::Line;
    p6.history = vec![HistoryHit {
        id: "elimination_list".into(),
        rule: Some("P8.6".into()),
        fired: true,
        consecutive: 2,
        in_window: 3,
        zh: "连续第2个月进入末位线；近6个月第3次".into(),
        en: "2nd month in a row in the line; 3rd time in 6 months".into(),
    }];
    p6.outcomes = vec![
        outcome(
            "warning_observation",
            "淘汰警告函及一个月考察培训",
            "P8.5",
            "line",
            Measure::Warning,
            LegalPath::Improvement,
            vec![],
        ),
        outcome(
            "ask_to_resign",
            "列入淘汰名单：劝其主动辞职（项目组决定）",
            "P8.6",
            "history:elimination_list",
            Measure::AskToResign,
            LegalPath::MutualAgreement,
            line_requirements(),
        ),
    ];
    let mut p7 = person(
        "1007",
        "赵磊",
        g,
        Status::Vetoed,
        LinePosition::NotApplicable,
    );
    p7.vetoes = vec![reason(
        "cash_out",
        "P4.8",
        "套现套票",
        "cash-out or ticket fraud",
    )];
    p7.mark = Mark::Vetoed;
    let p8 = person(
        "1008",
        "孙丽",
        g,
        Status::NewHire,
        LinePosition::NotApplicable,
    );
    let mut p9 = person(
        "1009",
        "周杰",
        g,
        Status::NeedsData,
        LinePosition::NotApplicable,
    );
    p9.mark = Mark::Pending;
    PeriodResult {
        policy_id: "p8-amber-bay".into(),
        policy_version: "2024.1".into(),
        labour_law_checked: true,
        period: Period::month(2024, 5),
        groups: vec![GroupResult {
            key: g.into(),
            ranked: 6,
            quota: 2,
            line: LineState::TiePending,
            note: "未完成任务者中销售额末两位进入末位线（P8.3）".into(),
            note_en: "bottom two by sales among those who missed the target (P8.3)".into(),
        }],
        people: vec![p1, p2, p3, p4, p5, p6, p7, p8, p9],
        ties: vec![TieAtLine {
            group: g.into(),
            slots: 1,
            candidates: vec!["1004".into(), "1005".into()],
            score: Some(d("500000")),
            rule: Some("P8.4".into()),
        }],
        aggregates: vec![],
        data_errors: vec![DataError {
            person: "1009".into(),
            field: "sales".into(),
            source: Source {
                file: "2024-05.xlsx".into(),
                sheet: Some("5月".into()),
                row: Some(11),
            },
            zh: "销售额为空".into(),
            en: "sales is empty".into(),
        }],
    }
}

/// P2, a month: 日常工作 + 日常考勤 + 销售情况 (P2.5).
/// - 2001 黄磊: 8 + 10 + 30 = 48;
/// - 2002 吴敏: 6 + (10 − 2 × 7 = −4, no floor, P2.3) + (1 × 10 + 1 × 5 = 15, P2.4) = 17;
///   the sheet typed 21 (P2.7: reported, never trusted).
pub fn p2_month(period: Period) -> PeriodResult {
    let g = "全部";
    let mut a = person(
        "2001",
        "黄磊",
        g,
        Status::Ranked,
        LinePosition::NotApplicable,
    );
    a.rank = Some(1);
    a.group_size = Some(2);
    a.score = Some(d("48"));
    a.indicators = vec![
        ind("daily_work_score", "日常工作", "P2.2", "8", "经理评分 8"),
        ind(
            "attendance_score",
            "日常考勤",
            "P2.3",
            "10",
            "10 − 2 × 0 = 10",
        ),
        ind("sales_score", "销售情况", "P2.4", "30", "3 × 10 = 30"),
        ind(
            "total",
            "合计当月考核分数",
            "P2.5",
            "48",
            "8 + 10 + 30 = 48",
        ),
    ];
    let mut b = person(
        "2002",
        "吴敏",
        g,
        Status::Ranked,
        LinePosition::NotApplicable,
    );
    b.rank = Some(2);
    b.group_size = Some(2);
    b.score = Some(d("17"));
    b.typed_total_mismatch = Some(d("21"));
    b.indicators = vec![
        ind("daily_work_score", "日常工作", "P2.2", "6", "经理评分 6"),
        ind(
            "attendance_score",
            "日常考勤",
            "P2.3",
            "-4",
            "10 − 2 × 7 = −4（扣分无下限）",
        ),
        ind(
            "sales_score",
            "销售情况",
            "P2.4",
            "15",
            "1 × 10 + 1 × 5 = 15",
        ),
        ind(
            "total",
            "合计当月考核分数",
            "P2.5",
            "17",
            "6 + (−4) + 15 = 17",
        ),
    ];
    PeriodResult {
        policy_id: "p2-sales-consultant".into(),
        policy_version: "2016.1".into(),
        labour_law_checked: true,
        period,
        groups: vec![GroupResult {
            key: g.into(),
            ranked: 2,
            quota: 0,
            line: LineState::None,
            note: "P2 不按月划线，按季度提议（P2.7）".into(),
            note_en: "no monthly line; quarterly proposal (P2.7)".into(),
        }],
        people: vec![a, b],
        ties: vec![],
        aggregates: vec![],
        data_errors: vec![],
    }
}

/// A result with nobody in it.
pub fn empty(period: Period) -> PeriodResult {
    PeriodResult {
        policy_id: "p8-amber-bay".into(),
        policy_version: "2024.1".into(),
        labour_law_checked: true,
        period,
        groups: vec![],
        people: vec![],
        ties: vec![],
        aggregates: vec![],
        data_errors: vec![],
    }
}
