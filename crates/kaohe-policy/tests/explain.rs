//! Plain-language rendering: each line tagged with its rule id, both languages.

use kaohe_policy::explain::{render, Lang};
use kaohe_policy::load_str;

const BASE: &str = include_str!("fixtures/base.toml");

fn policy(text: &str) -> kaohe_policy::Policy {
    load_str(text, "t.toml").unwrap_or_else(|e| panic!("{e:#?}"))
}

#[test]
fn p2_3_attendance_in_both_languages() {
    // P2.3: starts at 10, minus 2 per violation, no lower bound.
    let p = policy(BASE);
    let zh = render(&p, Lang::Zh);
    assert!(
        zh.contains("【P2.3】日常考勤：起始10分，违规次数每次扣2分，扣分无下限。"),
        "{zh}"
    );
    let en = render(&p, Lang::En);
    assert!(
        en.contains("[P2.3] 日常考勤: starts at 10, minus 2 per 违规次数, no lower bound."),
        "{en}"
    );
    assert!(
        zh.contains("【P2.4】销售情况：销售套数每个10分，合作套数每单每人5分，不封顶。"),
        "{zh}"
    );
    assert!(
        zh.contains("【P2.7】季度末位：自 2016-04 起每 3 期为一段"),
        "{zh}"
    );
    assert!(zh.contains("末位 1 人进入末位线"), "{zh}");
}

#[test]
fn jurisdiction_off_is_visible() {
    let p = policy(&BASE.replace(
        "cycle = \"monthly\"",
        "cycle = \"monthly\"\njurisdiction = \"none\"",
    ));
    assert!(render(&p, Lang::Zh).contains("劳动法校验已关闭"));
    assert!(render(&p, Lang::En).contains("SWITCHED OFF"));
    assert!(!render(&policy(BASE), Lang::En).contains("SWITCHED OFF"));
}

#[test]
fn conditions_exemptions_and_outcomes() {
    let extra = "\n[[input]]\nid = \"target\"\nname = \"销售任务\"\ntype = \"integer\"\nrequired = false\n\n[[line.exempt]]\nid = \"met\"\nrule = \"P8.2\"\nreason = \"完成当月销售任务\"\nwhen = { all = [{ var = \"target\", op = \"present\" }, { var = \"units\", op = \">=\", other = \"target\" }] }\n";
    let text = format!("{BASE}{extra}")
        .replace("bottom = 1\n", "bottom_percent = 10\nrounding = \"up\"\n");
    let p = policy(&text);
    let zh = render(&p, Lang::Zh);
    assert!(
        zh.contains("每组末位 10% 进入末位线，人数向上取整。"),
        "{zh}"
    );
    assert!(zh.contains("【P8.2】豁免（完成当月销售任务）：（销售任务已填写 且 销售套数 ≥ 销售任务）者不进入末位线。"), "{zh}");
    assert!(
        zh.contains("观察（observe）：观察培训；法律路径：改进措施，不解除合同。"),
        "{zh}"
    );
}
