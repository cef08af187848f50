//! Outcome attachment: sources, order, confirmation and requirements.

use super::attach;
use crate::data::{Mark, Period};
use crate::history::fixture::{person, policy, result};
use crate::result::{
    AggregateResult, HistoryHit, LadderState, LevelChangeResult, LinePosition, OutcomeResult,
    Reason,
};
use kaohe_policy::Policy;

fn full() -> Policy {
    policy(
        r#"
[line]
bottom = 2
outcome = "warning"
fallback = { share_of = { var = "missed", op = "is_true" }, at_least_percent = 50, measure = "workload", outcome = "direct" }

[[veto]]
id = "fraud"
name = "套现套票"
rule = "P4.8"
when = { var = "fraud", op = "is_true" }
outcome = "misconduct"

[[gate]]
id = "late"
name = "迟到早退"
rule = "P3.3"
fails_when = { var = "late", op = ">", value = 0 }
outcome = "onboarding_fail"

[[history]]
id = "p8_list"
name = "进入淘汰名单"
rule = "P8.6"
triggers = [{ consecutive = 2 }]
outcome = "elimination_list"

[ladder]
rule = "P7.8"
steps = [{ at = 1, outcome = "observation" }, { at = 2, outcome = "pay_cut" }]
recovery_outcome = "restore"

[[aggregate]]
id = "quarter"
name = "季度末位"
every = 3
anchor = "2016-04"
measure = "total"
outcome = "proposal"

[levels]
order = [{ id = "junior", name = "初级" }, { id = "middle", name = "中级" }]
[[levels.change]]
from = "junior"
to = "middle"
when = { var = "rank", op = "<=", value = 1 }
outcome = "promote"

[outcome.warning]
name = "淘汰警告函及一个月观察培训"
name_en = "warning letter and one month of observation"
rule = "P8.5"
measure = "observation"
document = "warning_letter"
legal_path = "improvement"

[outcome.direct]
name = "工作量末位"
measure = "proposal"
legal_path = "decision"

[outcome.misconduct]
name = "违纪解除"
measure = "misconduct"
legal_path = "misconduct"

[outcome.onboarding_fail]
name = "入职考核未通过"
measure = "onboarding_fail"
legal_path = "probation"

[outcome.elimination_list]
name = "淘汰名单（劝退）"
measure = "elimination_list"
legal_path = "mutual_agreement"

[outcome.observation]
name = "留岗察看"
measure = "observation"
legal_path = "improvement"

[outcome.pay_cut]
name = "岗位工资减半"
measure = "pay_change"
legal_path = "adjustment"
pay_change_percent = -50

[outcome.restore]
name = "恢复原岗原薪"
measure = "restore"
legal_path = "adjustment"

[outcome.proposal]
name = "提议淘汰"
measure = "proposal"
legal_path = "decision"

[outcome.promote]
name = "晋级"
measure = "level_change"
legal_path = "adjustment"
"#,
    )
}

fn reason(id: &str) -> Reason {
    Reason {
        id: id.into(),
        rule: None,
        zh: String::new(),
        en: String::new(),
    }
}

fn summary(o: &[OutcomeResult]) -> Vec<(String, String, bool)> {
    o.iter()
        .map(|o| (o.id.clone(), o.because.clone(), o.needs_confirmation))
        .collect()
}

fn s(id: &str, because: &str, confirm: bool) -> (String, String, bool) {
    (id.into(), because.into(), confirm)
}

#[test]
fn line_history_and_ladder_in_order_with_gate1_notice() {
    // 2nd month in a row in the line (P8.6 fired) and ladder step 2 (P7.8).
    let mut a = person("a", Mark::Line);
    a.history.push(HistoryHit {
        id: "p8_list".into(),
        rule: Some("P8.6".into()),
        fired: true,
        consecutive: 2,
        in_window: 2,
        zh: String::new(),
        en: String::new(),
    });
    a.ladder = Some(LadderState {
        count: 2,
        step: Some(2),
        recovered: false,
    });
    let mut r = result(Period::month(2024, 5), vec![a]);
    attach(&full(), &mut r);
    let o = &r.people[0].outcomes;
    assert_eq!(
        summary(o),
        [
            s("warning", "line", false),
            s("elimination_list", "history:p8_list", true),
            s("pay_cut", "ladder:2", false),
        ]
    );
    // Every rank-based outcome leads with the Guiding Case 18 notice.
    for x in o {
        assert_eq!(x.requires[0].code, "not_termination_ground", "{}", x.id);
    }
    assert_eq!(o[0].requires.len(), 1);
    assert_eq!(o[0].document.as_deref(), Some("warning_letter"));
    assert_eq!(o[0].name_en, "warning letter and one month of observation");
    let pay: Vec<&str> = o[2].requires.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(
        pay,
        [
            "not_termination_ground",
            "rule_basis",
            "burden_of_proof",
            "minimum_wage"
        ]
    );
    assert!(r.data_errors.is_empty());
}

#[test]
fn veto_and_gate_take_their_own_paths() {
    let mut a = person("a", Mark::Vetoed);
    a.vetoes.push(reason("fraud"));
    a.gates_failed.push(reason("late"));
    let mut r = result(Period::month(2024, 5), vec![a]);
    attach(&full(), &mut r);
    let o = &r.people[0].outcomes;
    assert_eq!(
        summary(o),
        [
            s("misconduct", "veto:fraud", true),
            s("onboarding_fail", "gate:late", true)
        ]
    );
    // Art. 39 path: no rank notice, the misconduct requirements first.
    assert_eq!(o[0].requires[0].code, "serious_conduct_defined");
}

#[test]
fn fallback_recovery_level_and_aggregate() {
    let mut f = person("f", Mark::Skipped);
    f.line = LinePosition::Fallback;
    let mut g = person("g", Mark::Clear);
    g.ladder = Some(LadderState {
        count: 0,
        step: None,
        recovered: true,
    });
    g.level_change = Some(LevelChangeResult {
        from: "junior".into(),
        to: "middle".into(),
        rule: None,
        promotion: true,
    });
    let h = person("h", Mark::Clear);
    let mut r = result(Period::month(2016, 6), vec![f, g, h]);
    r.aggregates.push(AggregateResult {
        id: "quarter".into(),
        group: "全部".into(),
        periods: Vec::new(),
        sums: Vec::new(),
        proposed: vec!["h".into()],
        tied: Vec::new(),
        incomplete: Vec::new(),
    });
    attach(&full(), &mut r);
    assert_eq!(
        summary(&r.people[0].outcomes),
        [s("direct", "fallback", true)]
    );
    assert_eq!(
        summary(&r.people[1].outcomes),
        [
            s("restore", "ladder:recovery", false),
            s("promote", "level:junior->middle", false)
        ]
    );
    // The proposal always needs a person (P2.7), with the gate-1 notice.
    let o = &r.people[2].outcomes;
    assert_eq!(summary(o), [s("proposal", "aggregate:quarter", true)]);
    let codes: Vec<&str> = o[0].requires.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["not_termination_ground", "person_decides"]);
}

#[test]
fn carried_ladder_count_gives_no_new_step_outcome() {
    // A neutral exempt month carries the count (2, step 2) but is not an entry: no outcome.
    let mut a = person("a", Mark::Exempt);
    a.ladder = Some(LadderState {
        count: 2,
        step: Some(2),
        recovered: false,
    });
    let mut r = result(Period::month(2024, 5), vec![a]);
    attach(&full(), &mut r);
    assert!(r.people[0].outcomes.is_empty());
}

#[test]
fn undefined_outcome_is_reported_not_skipped() {
    let mut p = full();
    p.outcomes.remove("warning");
    let mut r = result(Period::month(2024, 5), vec![person("a", Mark::Line)]);
    attach(&p, &mut r);
    assert!(r.people[0].outcomes.is_empty());
    assert_eq!(r.data_errors.len(), 1);
    assert_eq!(r.data_errors[0].field, "warning");
    assert_eq!(r.data_errors[0].person, "a");
}

#[test]
fn jurisdiction_none_shows_the_switch_on_every_outcome() {
    let mut p = full();
    p.policy.jurisdiction = kaohe_policy::model::Jurisdiction::None;
    let mut r = result(Period::month(2024, 5), vec![person("a", Mark::Line)]);
    attach(&p, &mut r);
    let codes: Vec<&str> = r.people[0].outcomes[0]
        .requires
        .iter()
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(codes, ["labour_law_off"]);
}
