//! `kaohe explain` for one person: requirements, rules, history, the GC18 note.

mod common;
use common::*;
use kaohe_engine::data::Period;
use kaohe_export::{person, Lang};

#[test]
fn line_person_shows_requirements_and_the_gc18_note() {
    // 1006 is in the line, 2nd month in a row → P8.5 warning and P8.6 elimination list; the
    // elimination-list outcome carries the labour-law requirements (LABOUR-LAW.md gates 1, 3).
    let policy = shipped("p8-amber-bay.toml");
    let text = person(&policy, &p8_may(), "1006", Lang::Zh).unwrap();
    assert!(text.contains("陈静(1006)"), "{text}");
    assert!(text.contains("▼ 末位线"));
    assert!(text.contains("排名：6/6"));
    assert!(
        text.contains("销售额：300000.00"),
        "P8 ranks by 销售额, not a 总分: {text}"
    );
    assert!(text.contains("销售额 = 300000.00 [P8.1]"), "{text}");
    assert!(
        text.contains("连续第2个月进入末位线；近6个月第3次（已触发） [P8.6]"),
        "{text}"
    );
    assert!(text.contains("1. 淘汰警告函及一个月考察培训 [P8.5]"));
    assert!(text.contains("触发：进入末位线\n"), "{text}");
    assert!(text.contains("触发：历史规则：列入淘汰名单\n"), "{text}");
    assert!(text.contains("法律路径：改进措施：警告、培训、观察，不解除劳动合同"));
    assert!(text.contains("法律路径：协商一致解除（劳动合同法第36条），员工可以拒绝"));
    assert!(
        text.contains("- 最高法指导案例18号：此结果不能单独作为解除劳动合同的理由"),
        "{text}"
    );
    assert!(text.contains("- 劳动合同法第40条第2项：须有培训或调岗记录，且再次考核仍不能胜任"));
    assert!(text.contains("此结果不能单独作为解除劳动合同的理由（最高法指导案例18号）"));
}

#[test]
fn english_explanation() {
    let policy = shipped("p8-amber-bay.toml");
    let text = person(&policy, &p8_may(), "1006", Lang::En).unwrap();
    assert!(
        text.contains("legal path: mutual agreement (Art. 36); the employee may refuse"),
        "{text}"
    );
    assert!(text.contains("This result alone is no ground for termination"));
    assert!(text.contains("SPC Guiding Case No. 18"));
    assert!(text.contains("because: entered the line\n"), "{text}");
    assert!(text.contains("Sales amount = 300000.00 [P8.1]"), "{text}");
    assert!(text.contains("en: 销售额 = 300000"));
}

#[test]
fn exemption_veto_tie_and_data_error_are_explained() {
    let policy = shipped("p8-amber-bay.toml");
    let r = p8_may();
    let exempt = person(&policy, &r, "1001", Lang::Zh).unwrap();
    assert!(
        exempt.contains("豁免：\n  完成当月销售任务 [P8.2]"),
        "{exempt}"
    );
    assert!(exempt.contains("处理结果：无"));
    assert!(
        !exempt.contains("指导案例18号"),
        "no outcome, no line: no note\n{exempt}"
    );
    let vetoed = person(&policy, &r, "1007", Lang::Zh).unwrap();
    assert!(vetoed.contains("否决：\n  套现套票 [P4.8]"), "{vetoed}");
    let tie = person(&policy, &r, "1004", Lang::Zh).unwrap();
    assert!(
        tie.contains("与 刘洋(1005) 并列（500000.00），争 1 个名额 [P8.4]"),
        "{tie}"
    );
    assert!(tie.contains("须人工裁决（X5）"));
    let missing = person(&policy, &r, "1009", Lang::Zh).unwrap();
    assert!(
        missing.contains("数据错误：sales — 销售额为空（2024-05.xlsx / 表 5月 / 第11行）"),
        "{missing}"
    );
    let typed = person(&policy, &r, "1002", Lang::Zh).unwrap();
    assert!(
        typed.contains("表内合计 900100.00 与计算值 900000.59 不符"),
        "{typed}"
    );
}

#[test]
fn p2_attendance_without_floor() {
    // P2.3: 7 violations → 10 − 2 × 7 = −4, shown as −4.00 with its arithmetic.
    let policy = shipped("p2-sales-consultant.toml");
    let text = person(&policy, &p2_month(Period::month(2016, 4)), "2002", Lang::Zh).unwrap();
    assert!(text.contains("日常考勤 = -4.00 [P2.3]"), "{text}");
    assert!(text.contains("10 − 2 × 7 = −4（扣分无下限）"));
}

#[test]
fn unknown_person_and_empty_result() {
    let policy = shipped("p8-amber-bay.toml");
    assert!(person(&policy, &p8_may(), "9999", Lang::Zh).is_none());
    assert!(person(&policy, &empty(Period::month(2024, 6)), "1001", Lang::Zh).is_none());
}

#[test]
fn law_switched_off_is_visible() {
    let policy = shipped("p8-amber-bay.toml");
    let mut r = p8_may();
    r.labour_law_checked = false;
    let text = person(&policy, &r, "1006", Lang::Zh).unwrap();
    assert!(text.contains("关闭了劳动法校验"), "{text}");
}
