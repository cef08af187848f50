//! Hand-worked tests of P2.7 block aggregates.

use super::apply;
use crate::data::{History, Period};
use crate::history::fixture::{policy, result, scored, scores};
use crate::result::AggregateResult;
use kaohe_policy::Policy;

/// P2.7: quarters counted from 2016-04, bottom 1 by the sum of the three monthly totals.
fn p27(bottom: u32) -> Policy {
    policy(&format!(
        r#"
[ranking]
by = "total"

[[aggregate]]
id = "quarter"
name = "季度末位"
rule = "P2.7"
every = 3
anchor = "2016-04"
measure = "total"
bottom = {bottom}
outcome = "proposal"
"#
    ))
}

fn run(
    policy: &Policy,
    h: &History,
    period: Period,
    people: &[(&str, &str)],
) -> Vec<AggregateResult> {
    let people = people.iter().map(|(id, s)| scored(id, "全部", s)).collect();
    let mut r = result(period, people);
    apply(policy, &mut r, h);
    assert!(r.data_errors.is_empty(), "{:?}", r.data_errors);
    r.aggregates
}

fn quarter_history() -> History {
    // April and May totals of four consultants.
    let mut h = History::default();
    scores(&mut h, "a", &[(2016, 4, "20"), (2016, 5, "25")]);
    scores(&mut h, "b", &[(2016, 4, "18"), (2016, 5, "12")]);
    scores(&mut h, "c", &[(2016, 4, "30"), (2016, 5, "-4")]);
    scores(&mut h, "d", &[(2016, 4, "22"), (2016, 5, "21")]);
    h
}

#[test]
fn p2_7_block_closes_in_june_not_may() {
    // Blocks from 2016-04: Apr–Jun closes in June. May closes nothing; March precedes the anchor.
    let h = quarter_history();
    assert!(run(&p27(1), &h, Period::month(2016, 5), &[("a", "1")]).is_empty());
    assert!(run(&p27(1), &h, Period::month(2016, 3), &[("a", "1")]).is_empty());
    let out = run(&p27(1), &h, Period::month(2016, 6), &[("a", "10")]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].periods, ["2016-04", "2016-05", "2016-06"]);
    // Next blocks close in September and December 2016 and March 2017.
    for (y, m) in [(2016, 9), (2016, 12), (2017, 3)] {
        assert_eq!(
            run(&p27(1), &h, Period::month(y, m), &[("a", "1")]).len(),
            1
        );
    }
}

#[test]
fn p2_7_lowest_sum_is_proposed() {
    // June totals a 15, b 30, c 10, d 12. Sums: a 20+25+15 = 60, b 18+12+30 = 60,
    // c 30−4+10 = 36, d 22+21+12 = 55 → c (36) is the lowest → proposed.
    let h = quarter_history();
    let out = run(
        &p27(1),
        &h,
        Period::month(2016, 6),
        &[("a", "15"), ("b", "30"), ("c", "10"), ("d", "12")],
    );
    let g = &out[0];
    assert_eq!(g.proposed, ["c"]);
    assert!(g.tied.is_empty() && g.incomplete.is_empty());
    let sums: Vec<(&str, String)> = g
        .sums
        .iter()
        .map(|(i, s)| (i.as_str(), s.to_string()))
        .collect();
    assert_eq!(
        sums,
        [
            ("c", "36".into()),
            ("d", "55".into()),
            ("a", "60".into()),
            ("b", "60".into())
        ]
    );
}

#[test]
fn p2_7_exact_tie_at_the_boundary_goes_to_a_person() {
    // June: a 15, b 30, c 29, d 12. Sums: a 60, b 60, c 55, d 55 → bottom 1 falls inside the
    // tie c = d = 55 → nobody proposed, c and d tied (X5).
    let h = quarter_history();
    let out = run(
        &p27(1),
        &h,
        Period::month(2016, 6),
        &[("a", "15"), ("b", "30"), ("c", "29"), ("d", "12")],
    );
    assert!(out[0].proposed.is_empty());
    assert_eq!(out[0].tied, ["c", "d"]);
    // Bottom 3 with sums c 55, d 55, a 60, b 60: c and d proposed, a and b tied for the last place.
    let out = run(
        &p27(3),
        &h,
        Period::month(2016, 6),
        &[("a", "15"), ("b", "30"), ("c", "29"), ("d", "12")],
    );
    assert_eq!(out[0].proposed, ["c", "d"]);
    assert_eq!(out[0].tied, ["a", "b"]);
}

#[test]
fn p2_7_missing_month_is_incomplete_not_proposed() {
    // e joined in May (no April score) and has the lowest sum 1 + 1 = 2, but is incomplete;
    // of the complete ones c (36) is proposed.
    let mut h = quarter_history();
    scores(&mut h, "e", &[(2016, 5, "1")]);
    let out = run(
        &p27(1),
        &h,
        Period::month(2016, 6),
        &[
            ("a", "15"),
            ("b", "30"),
            ("c", "10"),
            ("d", "12"),
            ("e", "1"),
        ],
    );
    assert_eq!(out[0].incomplete, ["e"]);
    assert_eq!(out[0].proposed, ["c"]);
    assert!(out[0].sums.iter().all(|(id, _)| id != "e"));
}

#[test]
fn groups_are_separate_and_bad_anchor_is_reported() {
    // Two groups: each gets its own result and its own proposal.
    let h = quarter_history();
    let people = vec![
        scored("a", "一部", "15"),
        scored("b", "一部", "30"),
        scored("c", "二部", "10"),
        scored("d", "二部", "12"),
    ];
    let mut r = result(Period::month(2016, 6), people);
    apply(&p27(1), &mut r, &h);
    let got: Vec<(&str, Vec<String>)> = r
        .aggregates
        .iter()
        .map(|g| (g.group.as_str(), g.proposed.clone()))
        .collect();
    // 一部: a 60, b 60 → tie, nobody proposed; 二部: c 36, d 55 → c.
    assert_eq!(got, [("一部", vec![]), ("二部", vec!["c".to_string()])]);
    assert_eq!(r.aggregates[0].tied, ["a", "b"]);
    let bad = policy(
        r#"
[[aggregate]]
id = "q"
name = "季度"
every = 3
anchor = "April"
measure = "total"
outcome = "proposal"
"#,
    );
    let mut r = result(Period::month(2016, 6), vec![scored("a", "全部", "1")]);
    apply(&bad, &mut r, &h);
    assert_eq!(r.data_errors.len(), 1);
    assert!(r.aggregates.is_empty());
}
