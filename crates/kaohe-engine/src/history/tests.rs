//! Hand-worked tests of the history rules (P8.6, in-year counts, streak effects).

use super::fixture::{marks, person, policy, result};
use super::{apply, record};
use crate::data::{History, Mark, Period};
use crate::result::HistoryHit;
use kaohe_policy::Policy;
use Mark::{Absent, Clear, Exempt, Line, Pending, Vetoed};

/// P8.6: 2 months in a row, or 3 times within 6 months (window includes the current month).
fn p86(streak: &str) -> Policy {
    policy(&format!(
        r#"
[[history]]
id = "p8_list"
name = "进入淘汰名单"
name_en = "onto the elimination list"
rule = "P8.6"
triggers = [{{ consecutive = 2 }}, {{ times = 3, within = 6 }}]
outcome = "elimination_list"
{streak}
"#
    ))
}

/// Evaluate one person in `period` with the given current mark and history.
fn run(policy: &Policy, history: &History, period: Period, mark: Mark) -> Vec<HistoryHit> {
    let mut r = result(period, vec![person("a", mark)]);
    apply(policy, &mut r, history);
    r.people.remove(0).history
}

fn one(hits: Vec<HistoryHit>) -> HistoryHit {
    assert_eq!(hits.len(), 1, "{hits:?}");
    hits.into_iter().next().unwrap_or_else(|| unreachable!())
}

#[test]
fn p8_6_two_in_a_row_fires() {
    // 2024-04 in the line, 2024-05 in the line again → 2nd month in a row → list.
    // Window 2023-12..2024-05 holds 2 entries.
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 4, Line)]);
    let hit = one(run(&p86(""), &h, Period::month(2024, 5), Line));
    assert!(hit.fired);
    assert_eq!(hit.consecutive, 2);
    assert_eq!(hit.in_window, 2);
    assert_eq!(
        hit.zh,
        "连续第2个月进入末位线；近6个月内第2次；触发「进入淘汰名单」（P8.6）"
    );
    assert_eq!(
        hit.en,
        "2nd month in a row in the line; 2nd time in 6 months; triggers “onto the elimination list” (P8.6)"
    );
}

#[test]
fn p8_6_three_within_six_including_current() {
    // Entries 2024-01, 2024-04, now 2024-06. Window of 6 ending June = Jan..Jun → 3 entries.
    // May was clear, so the run is 1 — the window trigger alone fires.
    let mut h = History::default();
    marks(
        &mut h,
        "a",
        &[
            (2024, 1, Line),
            (2024, 2, Clear),
            (2024, 3, Clear),
            (2024, 4, Line),
            (2024, 5, Clear),
        ],
    );
    let hit = one(run(&p86(""), &h, Period::month(2024, 6), Line));
    assert!(hit.fired);
    assert_eq!((hit.consecutive, hit.in_window), (1, 3));
    assert_eq!(
        hit.zh,
        "本月进入末位线；近6个月内第3次；触发「进入淘汰名单」（P8.6）"
    );
}

#[test]
fn p8_6_seven_month_old_entry_falls_out() {
    // Entries 2023-12, 2024-02, now 2024-06. Window Jan..Jun: December is the 7th month back,
    // outside → 2 entries, run 1 → does not fire (but the hit is shown).
    let mut h = History::default();
    marks(
        &mut h,
        "a",
        &[
            (2023, 12, Line),
            (2024, 1, Clear),
            (2024, 2, Line),
            (2024, 3, Clear),
            (2024, 4, Clear),
            (2024, 5, Clear),
        ],
    );
    let hit = one(run(&p86(""), &h, Period::month(2024, 6), Line));
    assert!(!hit.fired);
    assert_eq!((hit.consecutive, hit.in_window), (1, 2));
    assert_eq!(hit.zh, "本月进入末位线；近6个月内第2次");
    // The same history one month earlier (now 2024-05 in the line): Dec..May → 3 → fires.
    let mut h2 = History::default();
    marks(
        &mut h2,
        "a",
        &[(2023, 12, Line), (2024, 1, Clear), (2024, 2, Line)],
    );
    assert!(one(run(&p86(""), &h2, Period::month(2024, 5), Line)).fired);
}

#[test]
fn p8_6_exempt_month_breaks_the_run_by_default() {
    // 04 line, 05 exempt (target met), 06 line: exempt breaks (P8.6 Decision) → run 1,
    // window 2 → no fire.
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 4, Line), (2024, 5, Exempt)]);
    let hit = one(run(&p86(""), &h, Period::month(2024, 6), Line));
    assert!(!hit.fired);
    assert_eq!(hit.consecutive, 1);
}

#[test]
fn neutral_exempt_passes_over_the_month() {
    // Same marks, but the policy says an exempt month is neutral → 04 and 06 make a run of 2.
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 4, Line), (2024, 5, Exempt)]);
    let p = p86("[history.streak]\nexempt = \"neutral\"");
    let hit = one(run(&p, &h, Period::month(2024, 6), Line));
    assert!(hit.fired);
    assert_eq!(hit.consecutive, 2);
}

#[test]
fn missing_month_is_absent_and_breaks_unless_neutral() {
    // 04 line, no record for 05, 06 line: 05 is absent → breaks (default) → run 1.
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 4, Line)]);
    let hit = one(run(&p86(""), &h, Period::month(2024, 6), Line));
    assert_eq!((hit.fired, hit.consecutive), (false, 1));
    // absent = neutral → 05 passed over → run 2 → fires.
    let p = p86("[history.streak]\nabsent = \"neutral\"");
    let hit = one(run(&p, &h, Period::month(2024, 6), Line));
    assert_eq!((hit.fired, hit.consecutive), (true, 2));
    // An explicit Absent record behaves exactly like the missing one.
    marks(&mut h, "a", &[(2024, 5, Absent)]);
    let hit = one(run(&p86(""), &h, Period::month(2024, 6), Line));
    assert_eq!((hit.fired, hit.consecutive), (false, 1));
}

#[test]
fn vetoed_month_always_breaks() {
    // Even with every effect neutral, a vetoed month breaks: 04 line, 05 vetoed, 06 line → 1.
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 4, Line), (2024, 5, Vetoed)]);
    let p = p86(
        "[history.streak]\nclear = \"neutral\"\nexempt = \"neutral\"\nabsent = \"neutral\"\nskipped = \"neutral\"",
    );
    let hit = one(run(&p, &h, Period::month(2024, 6), Line));
    assert_eq!(hit.consecutive, 1);
}

#[test]
fn current_month_must_be_an_event() {
    // 3 entries in the window but this month clear: never fires; the count is still shown.
    let mut h = History::default();
    marks(
        &mut h,
        "a",
        &[(2024, 2, Line), (2024, 3, Line), (2024, 4, Line)],
    );
    let hit = one(run(&p86(""), &h, Period::month(2024, 5), Clear));
    assert!(!hit.fired);
    assert_eq!((hit.consecutive, hit.in_window), (0, 3));
    assert_eq!(hit.zh, "本月未进入末位线；近6个月内共3次");
    assert_eq!(
        hit.en,
        "not in the line this month; 3 times in the last 6 months"
    );
}

#[test]
fn pending_month_is_not_counted_and_says_what_a_decision_would_do() {
    // 04 in the line, 05 a tie at the line awaiting a person: not counted, and the hit says
    // that deciding it as a line entry makes the 2nd in a row.
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 4, Line)]);
    let hit = one(run(&p86(""), &h, Period::month(2024, 5), Pending));
    assert!(!hit.fired);
    assert_eq!(
        hit.zh,
        "本月待定（末位并列或数据待补），暂不计入；近6个月内共1次；若裁定本月进入末位线，将触发「进入淘汰名单」（P8.6）"
    );
}

#[test]
fn no_hit_when_nothing_counts() {
    let h = History::default();
    assert!(run(&p86(""), &h, Period::month(2024, 5), Clear).is_empty());
}

#[test]
fn in_year_counts_the_calendar_year_only() {
    // times = 3 in_year: 2023-11 and 2023-12 are last year → now 2024-01 is the 1st this year.
    let p = policy(
        r#"
[[history]]
id = "year3"
name = "年内三次"
triggers = [{ times = 3, in_year = true }]
outcome = "x"
"#,
    );
    let mut h = History::default();
    marks(&mut h, "a", &[(2023, 11, Line), (2023, 12, Line)]);
    let hit = one(run(&p, &h, Period::month(2024, 1), Line));
    assert!(!hit.fired);
    assert_eq!(hit.in_window, 1);
    // The run crosses the new year (Nov, Dec, Jan = 3 in a row) but the year count restarts.
    assert_eq!(hit.consecutive, 3);
    assert_eq!(hit.zh, "连续第3个月进入末位线；本年度第1次");
    // 2024-02, 2024-05 and now 2024-09: 3rd this year → fires (not consecutive at all).
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 2, Line), (2024, 5, Line)]);
    let hit = one(run(&p, &h, Period::month(2024, 9), Line));
    assert!(hit.fired);
    assert_eq!(hit.in_window, 3);
    assert_eq!(
        hit.en,
        "in the line this month; 3rd time this calendar year; triggers “年内三次”"
    );
}

#[test]
fn later_records_are_ignored_when_re_evaluating_an_earlier_month() {
    // Records for 04 and 06 exist; re-evaluating 05 (in the line) must see only 04 → run 2.
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 4, Line), (2024, 6, Line)]);
    let hit = one(run(&p86(""), &h, Period::month(2024, 5), Line));
    assert_eq!((hit.consecutive, hit.in_window), (2, 2));
}

#[test]
fn record_then_evaluate_month_by_month() {
    // Marks for person a: Jan line, Feb clear, Mar line, Apr exempt, May line, Jun line.
    // Hand-worked P8.6 (exempt breaks): Jan 1st (no fire); Mar window 2 (no); May: window
    // Dec..May = Jan, Mar, May = 3 → fires; Jun: run May+Jun = 2 and window Jan..Jun = 4 → fires.
    let p = p86("");
    let plan = [Line, Clear, Line, Exempt, Line, Line];
    let expect_fired = [false, false, false, false, true, true];
    let mut h = History::default();
    for (i, mark) in plan.iter().enumerate() {
        let mut r = result(Period::month(2024, i as u32 + 1), vec![person("a", *mark)]);
        apply(&p, &mut r, &h);
        let fired = r.people[0].history.iter().any(|x| x.fired);
        assert_eq!(fired, expect_fired[i], "month {}", i + 1);
        record(&r, &mut h);
    }
    assert_eq!(h.of("a").len(), 6);
    // Recording the same period again replaces it.
    let r = result(Period::month(2024, 6), vec![person("a", Clear)]);
    record(&r, &mut h);
    assert_eq!(h.of("a").len(), 6);
    assert_eq!(h.of("a")[5].mark, Clear);
}
