//! The line: vetoes (P4.6, P4.8, P4.12, P7.7), ties (P7.6, X5), quota rounding, blocking on
//! missing data, competition ranks.

mod core_support;
use core_support::*;
use kaohe_engine::data::{Mark, TieDecision, Value};
use kaohe_engine::result::{LinePosition, LineState, Status};

fn veto_policy(take: bool, bottom: u32) -> kaohe_engine::Policy {
    policy(&format!(
        r#"
[[input]]
id = "s"
name = "得分"
type = "decimal"
[[input]]
id = "fraud"
name = "套现套票（已查实）"
type = "yes_no"

[[indicator]]
id = "score"
name = "得分"
value = {{ input = "s" }}

[ranking]
by = "score"

[line]
bottom = {bottom}
vetoes_take_quota = {take}

[[veto]]
id = "fraud"
name = "套现或套票"
rule = "P4.8"
when = {{ var = "fraud", op = "is_true" }}
outcome = "terminate"
"#
    ))
}

fn rows(list: &[(&'static str, &str, bool)]) -> kaohe_engine::PeriodInput {
    input(
        list.iter().map(|(id, _, _)| person(id, "A")).collect(),
        list.iter()
            .map(|(id, s, f)| (*id, facts(&[("s", n(s)), ("fraud", Value::Bool(*f))])))
            .collect(),
    )
}

#[test]
fn p4_12_vetoed_leave_the_ranking_and_use_no_quota() {
    // P4.6/P4.8/P4.12: v (lowest score, 10) is vetoed: out of the ranking, no quota place.
    // Others 90, 80, 70: ranks 1, 2, 3; bottom 1 → c (70) enters the line.
    let r = run(
        &veto_policy(false, 1),
        &rows(&[
            ("a", "90", false),
            ("b", "80", false),
            ("c", "70", false),
            ("v", "10", true),
        ]),
    );
    let v = find(&r, "v");
    assert_eq!(v.status, Status::Vetoed);
    assert_eq!(v.rank, None);
    assert_eq!(v.mark, Mark::Vetoed);
    assert_eq!(v.vetoes[0].rule.as_deref(), Some("P4.8"));
    assert_eq!(v.line, LinePosition::NotApplicable);
    assert_eq!(find(&r, "c").line, LinePosition::InLine);
    assert_eq!(find(&r, "c").rank, Some(3));
    assert_eq!(find(&r, "c").group_size, Some(3));
    assert_eq!(find(&r, "b").line, LinePosition::Above);
    assert_eq!(find(&r, "b").mark, Mark::Clear);
}

#[test]
fn p7_7_veto_takes_a_quota_place() {
    // P7.7: bottom 2, one violator takes a place → only one more from the bottom: c (70).
    let r = run(
        &veto_policy(true, 2),
        &rows(&[
            ("a", "90", false),
            ("b", "80", false),
            ("c", "70", false),
            ("v", "95", true),
        ]),
    );
    assert_eq!(find(&r, "v").line, LinePosition::VetoPlace);
    assert_eq!(find(&r, "c").line, LinePosition::InLine);
    assert_eq!(find(&r, "b").line, LinePosition::Above);
    assert_eq!(r.groups[0].quota, 2);
}

#[test]
fn p7_6_tie_at_the_line_is_left_to_a_person() {
    // P7.6/X5: 90, 80, 70, 70 with bottom 1: c and d tie exactly on every key for 1 place.
    let r = run(
        &veto_policy(false, 1),
        &rows(&[
            ("a", "90", false),
            ("b", "80", false),
            ("d", "70", false),
            ("c", "70", false),
        ]),
    );
    assert_eq!(r.ties.len(), 1);
    assert_eq!(r.ties[0].slots, 1);
    assert_eq!(r.ties[0].candidates, ["c", "d"]);
    assert_eq!(r.groups[0].line, LineState::TiePending);
    for id in ["c", "d"] {
        assert_eq!(find(&r, id).line, LinePosition::TiePending);
        assert_eq!(find(&r, id).mark, Mark::Pending);
        assert_eq!(find(&r, id).rank, Some(3)); // competition ranking 1, 2, 3, 3
    }
    assert!(r.people.iter().all(|p| p.line != LinePosition::InLine));
}

#[test]
fn x5_recorded_decision_settles_the_tie() {
    // X5: a person chose d; d enters, c stays above, the note names the decider.
    let mut i = rows(&[
        ("a", "90", false),
        ("b", "80", false),
        ("d", "70", false),
        ("c", "70", false),
    ]);
    i.decisions.push(TieDecision {
        group: "全部".into(),
        chosen: vec!["d".into()],
        decided_by: "考核小组".into(),
        reason: "会议决定".into(),
    });
    let r = run(&veto_policy(false, 1), &i);
    assert!(r.ties.is_empty());
    assert_eq!(find(&r, "d").line, LinePosition::InLine);
    assert_eq!(find(&r, "c").line, LinePosition::Above);
    assert!(r.groups[0].note.contains("考核小组"));
    // A decision that does not fit the slots is not applied.
    let mut bad = rows(&[
        ("a", "90", false),
        ("b", "80", false),
        ("d", "70", false),
        ("c", "70", false),
    ]);
    bad.decisions.push(TieDecision {
        group: "全部".into(),
        chosen: vec!["c".into(), "d".into()],
        decided_by: "x".into(),
        reason: "y".into(),
    });
    let r = run(&veto_policy(false, 1), &bad);
    assert_eq!(r.ties.len(), 1);
    // …and it is reported as a data error naming the tie, never dropped in silence (X5).
    assert!(r
        .data_errors
        .iter()
        .any(|e| e.field == "decision" && e.zh.contains("候选 c、d") && e.zh.contains("未采用")));
    assert!(r.groups[0].note.contains("程序不代为决定"));
    assert!(!r.groups[0].note.contains("P7.6"), "no foreign rule cited");
    // A decision for a group that does not exist this period is reported too.
    let mut wrong_group = rows(&[("a", "90", false), ("d", "70", false), ("c", "70", false)]);
    wrong_group.decisions.push(TieDecision {
        group: "琥珀湾项目".into(),
        chosen: vec!["c".into()],
        decided_by: "x".into(),
        reason: "y".into(),
    });
    let r = run(&veto_policy(false, 1), &wrong_group);
    assert_eq!(r.ties.len(), 1);
    assert!(r
        .data_errors
        .iter()
        .any(|e| e.field == "decision" && e.zh.contains("“琥珀湾项目”本期不存在")));
    // An applied decision is not an error.
    let r = run(&veto_policy(false, 1), &i);
    assert!(r.data_errors.iter().all(|e| e.field != "decision"));
}

fn percent(rounding: &str, n_people: usize) -> kaohe_engine::PeriodResult {
    let p = simple(&format!(
        "\n[line]\nbottom_percent = 10\nrounding = \"{rounding}\"\n"
    ));
    let ids: Vec<String> = (0..n_people).map(|i| format!("{i:02}")).collect();
    let people = ids.iter().map(|id| person(id, "A")).collect();
    let f = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), facts(&[("s", n(&(100 + i).to_string()))])))
        .collect();
    run(&p, &input(people, f))
}

#[test]
fn p4_12_percent_quota_rounding() {
    // 10% × 23 = 2.3: up → 3, down → 2, nearest → 2; 10% × 25 = 2.5 nearest (half up) → 3.
    let r = percent("up", 23);
    assert_eq!(r.groups[0].quota, 3);
    assert!(
        r.groups[0]
            .note
            .contains("末位比例10%×23人=2.3，向上取整为3人"),
        "{}",
        r.groups[0].note
    );
    assert_eq!(
        r.people
            .iter()
            .filter(|p| p.line == LinePosition::InLine)
            .count(),
        3
    );
    assert_eq!(percent("down", 23).groups[0].quota, 2);
    assert_eq!(percent("nearest", 23).groups[0].quota, 2);
    assert_eq!(percent("nearest", 25).groups[0].quota, 3);
    // The lowest scores enter: 100, 101, 102 → ids 00, 01, 02.
    let inl: Vec<&str> = r
        .people
        .iter()
        .filter(|p| p.line == LinePosition::InLine)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(inl, ["02", "01", "00"]);
}

#[test]
fn missing_value_blocks_the_group_line() {
    // b has no score: the line of group A is not drawn; nobody enters; group B is unaffected.
    let p = simple("\n[line]\nbottom = 1\n");
    let people = vec![
        person("a", "A"),
        person("b", "A"),
        person("c", "B"),
        person("d", "B"),
    ];
    let r = run(
        &p,
        &input(
            people,
            vec![
                ("a", facts(&[("s", n("5"))])),
                ("b", facts(&[])),
                ("c", facts(&[("s", n("5"))])),
                ("d", facts(&[("s", n("6"))])),
            ],
        ),
    );
    assert_eq!(r.groups[0].key, "A");
    assert_eq!(
        r.groups[0].line,
        LineState::Blocked {
            people: vec!["b".into()]
        }
    );
    assert_eq!(find(&r, "a").line, LinePosition::NotApplicable);
    assert_eq!(find(&r, "a").mark, Mark::Pending);
    assert_eq!(find(&r, "b").status, Status::NeedsData);
    assert_eq!(find(&r, "c").line, LinePosition::InLine);
}

#[test]
fn absent_and_not_covered() {
    // Covered without facts → Absent; not covered with facts → NotCovered; without → omitted.
    let p = simple(
        "\n[population]\ninclude = { var = \"status\", op = \"in\", values = [\"转正\"] }\n",
    );
    let mut probation = person("p", "A");
    probation.status = Some("试用".into());
    let mut gone = person("q", "A");
    gone.status = Some("试用".into());
    let r = run(
        &p,
        &input(
            vec![person("a", "A"), person("b", "A"), probation, gone],
            vec![
                ("a", facts(&[("s", n("5"))])),
                ("p", facts(&[("s", n("5"))])),
            ],
        ),
    );
    assert_eq!(find(&r, "b").status, Status::Absent);
    assert_eq!(find(&r, "b").mark, Mark::Absent);
    assert_eq!(find(&r, "p").status, Status::NotCovered);
    assert!(r.people.iter().all(|x| x.id != "q"));
}
