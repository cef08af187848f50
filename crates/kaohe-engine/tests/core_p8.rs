//! P8 (琥珀湾): exemption by target (P8.2), the line among those who missed (P8.3), collected
//! breaks a sales tie (P8.4), new hires (P8.7), the fallback measure (P8.8).

mod core_support;
use chrono::NaiveDate;
use core_support::*;
use kaohe_engine::data::{Mark, Period};
use kaohe_engine::result::{LinePosition, LineState, Status};

const P8: &str = r#"
[[input]]
id = "sold"
name = "销售额"
type = "decimal"
[[input]]
id = "target"
name = "销售任务"
type = "decimal"
required = false
[[input]]
id = "collected"
name = "回款"
type = "decimal"
[[input]]
id = "workload"
name = "工作量完成"
type = "decimal"
required = false

[[indicator]]
id = "sales"
name = "销售额"
value = { input = "sold" }
[[indicator]]
id = "work"
name = "工作量"
value = { input = "workload" }

[population.tenure]
rule = "P8.7"
exempt_first_periods = 2

[ranking]
by = "sales"
group_by = ["project"]
tie_breakers = [{ by = "collected", order = "desc", rule = "P8.4" }]

[line]
rule = "P8.3"
bottom = 2
candidates = { any = [{ var = "target", op = "missing" }, { var = "sold", op = "<", other = "target" }] }
skip_when_everyone = { all = [{ var = "target", op = "present" }, { var = "sold", op = ">=", other = "target" }] }
exempt = [{ id = "met", rule = "P8.2", reason = "完成当月销售任务", when = { all = [{ var = "target", op = "present" }, { var = "sold", op = ">=", other = "target" }] } }]

[line.fallback]
rule = "P8.8"
share_of = { all = [{ var = "target", op = "present" }, { var = "sold", op = "<", other = "target" }] }
at_least_percent = 50
measure = "work"
bottom = 1
outcome = "direct"
"#;

/// (id, sold, target, collected, workload)
fn month(rows: &[(&'static str, &str, Option<&str>, &str, &str)]) -> kaohe_engine::PeriodInput {
    let people = rows
        .iter()
        .map(|(id, ..)| {
            let mut p = person(id, "x");
            p.project = Some("琥珀湾".into());
            p
        })
        .collect();
    let f = rows
        .iter()
        .map(|(id, s, t, c, w)| {
            let mut v = vec![("sold", n(s)), ("collected", n(c)), ("workload", n(w))];
            if let Some(t) = t {
                v.push(("target", n(t)));
            }
            (*id, facts(&v))
        })
        .collect();
    input(people, f)
}

fn in_line(r: &kaohe_engine::PeriodResult) -> Vec<&str> {
    let mut v: Vec<&str> = r
        .people
        .iter()
        .filter(|p| p.line == LinePosition::InLine)
        .map(|p| p.id.as_str())
        .collect();
    v.sort();
    v
}

#[test]
fn p8_2_and_p8_3_with_targets_bottom_two_of_those_who_missed() {
    // Target 100. a 150, b 120, c 110, d 100 (exactly met) met; e 90, f 50 missed (2 of 6 = 33% < 50%).
    // Line: bottom two by sales among those who missed → e and f. Those who met are exempt.
    let p = policy(P8);
    let r = run(
        &p,
        &month(&[
            ("a", "150", Some("100"), "1", "1"),
            ("b", "120", Some("100"), "1", "1"),
            ("c", "110", Some("100"), "1", "1"),
            ("d", "100", Some("100"), "1", "1"),
            ("e", "90", Some("100"), "1", "1"),
            ("f", "50", Some("100"), "1", "1"),
        ]),
    );
    assert_eq!(in_line(&r), ["e", "f"]);
    let d_ = find(&r, "d");
    assert_eq!(d_.status, Status::Exempt);
    assert_eq!(d_.mark, Mark::Exempt);
    assert_eq!(d_.exemptions[0].rule.as_deref(), Some("P8.2"));
    // The reason carries its numbers: exactly met (100 ≥ 100) is met.
    assert_eq!(
        d_.exemptions[0].zh,
        "完成当月销售任务（销售额 100 ≥ 销售任务 100）"
    );
}

#[test]
fn p8_3_fewer_than_two_missed_only_those() {
    // Only f missed (1 of 5 = 20%): only f enters, though the quota is 2.
    let p = policy(P8);
    let r = run(
        &p,
        &month(&[
            ("a", "150", Some("100"), "1", "1"),
            ("b", "120", Some("100"), "1", "1"),
            ("c", "110", Some("100"), "1", "1"),
            ("d", "100", Some("100"), "1", "1"),
            ("f", "50", Some("100"), "1", "1"),
        ]),
    );
    assert_eq!(in_line(&r), ["f"]);
}

#[test]
fn p8_3_without_targets_bottom_two_of_the_ranking() {
    // No targets: 90, 80, 70, 60 → bottom two are c (70) and d (60).
    let p = policy(P8);
    let r = run(
        &p,
        &month(&[
            ("a", "90", None, "1", "1"),
            ("b", "80", None, "1", "1"),
            ("c", "70", None, "1", "1"),
            ("d", "60", None, "1", "1"),
        ]),
    );
    assert_eq!(in_line(&r), ["c", "d"]);
}

#[test]
fn p8_4_less_collected_enters_and_a_double_tie_goes_to_a_person() {
    // No targets; b 70 with 30 collected, c 70 with 20 collected, d 60: bottom two = d and the one
    // of b/c with less collected (c).
    let p = policy(P8);
    let r = run(
        &p,
        &month(&[
            ("a", "90", None, "50", "1"),
            ("b", "70", None, "30", "1"),
            ("c", "70", None, "20", "1"),
            ("d", "60", None, "9", "1"),
        ]),
    );
    assert_eq!(in_line(&r), ["c", "d"]);
    assert_eq!(find(&r, "b").rank, Some(2));
    assert_eq!(find(&r, "c").rank, Some(3));
    // b and c equal in sales AND collected: only d is sure, one place left → a person decides.
    let r = run(
        &p,
        &month(&[
            ("a", "90", None, "50", "1"),
            ("b", "70", None, "20", "1"),
            ("c", "70", None, "20", "1"),
            ("d", "60", None, "9", "1"),
        ]),
    );
    assert_eq!(in_line(&r), ["d"]);
    assert_eq!(r.ties.len(), 1);
    assert_eq!(r.ties[0].candidates, ["b", "c"]);
    assert_eq!(r.ties[0].rule.as_deref(), Some("P8.4"));
    assert_eq!(find(&r, "b").rank, Some(2));
    assert_eq!(find(&r, "c").rank, Some(2));
}

#[test]
fn p8_7_month_of_hire_is_month_one() {
    // Hired 2024-05-20: 2024-05 is month 1, 2024-06 month 2 → not counted; 2024-07 month 3 → counted.
    let p = policy(P8);
    let rows: &[(&'static str, &str, Option<&str>, &str, &str)] = &[
        ("a", "90", None, "1", "1"),
        ("b", "80", None, "1", "1"),
        ("c", "70", None, "1", "1"),
        ("n", "10", None, "1", "1"),
    ];
    for (m, counted) in [(5, false), (6, false), (7, true)] {
        let mut i = month(rows);
        i.period = Some(Period::month(2024, m));
        for p in i.people.iter_mut().filter(|p| p.id == "n") {
            p.hire_date = NaiveDate::from_ymd_opt(2024, 5, 20);
        }
        let r = run(&p, &i);
        let me = find(&r, "n");
        if counted {
            assert_eq!(me.status, Status::Ranked, "month {m}");
            assert_eq!(me.line, LinePosition::InLine);
            assert_eq!(me.group_size, Some(4));
        } else {
            assert_eq!(me.status, Status::NewHire, "month {m}");
            assert_eq!(me.mark, Mark::Exempt);
            assert_eq!(me.rank, None);
            assert_eq!(find(&r, "a").group_size, Some(3)); // not counted in the ranking
            assert_eq!(in_line(&r), ["b", "c"]);
        }
    }
}

#[test]
fn p8_8_half_missed_triggers_the_fallback_not_a_line_entry() {
    // 4 people, 2 missed (exactly 50%, inclusive) → the workload measure decides: among the
    // non-exempt (c, d), the lowest workload (d: 3) is chosen; nobody enters the line by sales.
    let p = policy(P8);
    let r = run(
        &p,
        &month(&[
            ("a", "150", Some("100"), "1", "1"),
            ("b", "120", Some("100"), "1", "0"),
            ("c", "90", Some("100"), "1", "5"),
            ("d", "95", Some("100"), "1", "3"),
        ]),
    );
    assert_eq!(r.groups[0].line, LineState::Fallback);
    assert!(in_line(&r).is_empty());
    assert_eq!(find(&r, "d").line, LinePosition::Fallback);
    assert_eq!(find(&r, "b").line, LinePosition::NotApplicable); // exempt, though its workload is 0
    assert!(r.people.iter().all(|p| p.mark == Mark::Skipped));
    // 1 of 4 missed (25%): the normal line applies.
    let r = run(
        &p,
        &month(&[
            ("a", "150", Some("100"), "1", "1"),
            ("b", "120", Some("100"), "1", "0"),
            ("c", "100", Some("100"), "1", "5"),
            ("d", "95", Some("100"), "1", "3"),
        ]),
    );
    assert_eq!(r.groups[0].line, LineState::Drawn);
    assert_eq!(in_line(&r), ["d"]);
}

#[test]
fn p8_2_everyone_met_target_skips_the_line() {
    let p = policy(P8);
    let r = run(
        &p,
        &month(&[
            ("a", "150", Some("100"), "1", "1"),
            ("b", "120", Some("100"), "1", "1"),
            ("c", "100", Some("100"), "1", "1"),
        ]),
    );
    assert_eq!(r.groups[0].line, LineState::Skipped);
    assert!(r
        .people
        .iter()
        .all(|p| p.mark == Mark::Skipped && p.line != LinePosition::InLine));
}

#[test]
fn p8_7_not_yet_hired_is_not_assessed() {
    // Hired 2024-08-01; evaluating 2024-06 (two months before): the person is not employed yet.
    // Without facts → omitted from the result; with facts → a data error naming the hire date,
    // never "exempt, period −1 of service".
    let p = policy(P8);
    let rows: &[(&'static str, &str, Option<&str>, &str, &str)] = &[
        ("a", "90", None, "1", "1"),
        ("b", "80", None, "1", "1"),
        ("c", "70", None, "1", "1"),
        ("n", "10", None, "1", "1"),
    ];
    let mut i = month(rows);
    for p in i.people.iter_mut().filter(|p| p.id == "n") {
        p.hire_date = NaiveDate::from_ymd_opt(2024, 8, 1);
    }
    let with_facts = run(&p, &i);
    let me = find(&with_facts, "n");
    assert_eq!(me.status, Status::NeedsData);
    assert!(with_facts
        .data_errors
        .iter()
        .any(|e| e.person == "n" && e.field == "hire_date" && e.zh.contains("2024-08-01")));

    i.facts.remove("n");
    let without = run(&p, &i);
    assert!(without.people.iter().all(|p| p.id != "n"));
    assert_eq!(in_line(&without), ["b", "c"]);
}

#[test]
fn p8_8_a_tie_on_the_workload_is_reported_with_the_workload() {
    // 2 of 4 missed (50%) → fallback; c and d missed with the same workload 3: a tie for one
    // place, reported with the tied workload (3), not with either one's sales (90 / 95).
    let p = policy(P8);
    let r = run(
        &p,
        &month(&[
            ("a", "150", Some("100"), "1", "1"),
            ("b", "120", Some("100"), "1", "0"),
            ("c", "90", Some("100"), "1", "3"),
            ("d", "95", Some("100"), "1", "3"),
        ]),
    );
    assert_eq!(r.ties.len(), 1);
    assert_eq!(r.ties[0].candidates, ["c", "d"]);
    assert_eq!(r.ties[0].score, Some(d("3")));
}
