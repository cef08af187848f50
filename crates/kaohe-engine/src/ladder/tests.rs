//! Hand-worked tests of the escalation ladder (P7.8) and recovery (P7.9).

use super::apply;
use crate::data::{History, Mark, Period};
use crate::history::fixture::{marks, person, policy, result};
use crate::history::record;
use crate::result::LadderState;
use kaohe_policy::Policy;
use Mark::{Clear, Exempt, Line, Pending};

/// P7.8: 1st → observation, 2nd in a row → pay −50 %, 3rd in a row → transfer; P7.9 recovery.
fn p78(streak: &str) -> Policy {
    policy(&format!(
        r#"
[ladder]
rule = "P7.8"
steps = [
  {{ at = 1, outcome = "observation" }},
  {{ at = 2, outcome = "pay_cut" }},
  {{ at = 3, outcome = "transfer" }},
]
recovery_outcome = "restore"
{streak}
"#
    ))
}

/// Run the months of `plan` one by one for person a, recording each; return the states.
fn months(policy: &Policy, plan: &[Mark]) -> Vec<Option<LadderState>> {
    let mut h = History::default();
    let mut out = Vec::new();
    for (i, mark) in plan.iter().enumerate() {
        let mut r = result(Period::month(2024, i as u32 + 1), vec![person("a", *mark)]);
        apply(policy, &mut r, &h);
        record(&r, &mut h);
        out.push(r.people[0].ladder.clone());
    }
    out
}

fn summary(states: &[Option<LadderState>]) -> Vec<(u32, Option<u32>, bool)> {
    states
        .iter()
        .map(|s| {
            s.as_ref()
                .map_or((0, None, false), |s| (s.count, s.step, s.recovered))
        })
        .collect()
}

#[test]
fn p7_8_steps_one_two_three_and_cap() {
    // Four months in the line in a row: counts 1,2,3,4 → steps 1,2,3,3 (the top step applies
    // to any larger count).
    let s = months(&p78(""), &[Line, Line, Line, Line]);
    assert_eq!(
        summary(&s),
        [
            (1, Some(1), false),
            (2, Some(2), false),
            (3, Some(3), false),
            (4, Some(3), false)
        ]
    );
}

#[test]
fn p7_9_clear_period_resets_and_recovers() {
    // Line, Line (step 2), Clear → count 0, recovered (previous run 2 ≥ 1), then Line → 1 again.
    let s = months(&p78(""), &[Line, Line, Clear, Line]);
    assert_eq!(
        summary(&s),
        [
            (1, Some(1), false),
            (2, Some(2), false),
            (0, None, true),
            (1, Some(1), false)
        ]
    );
    // A second clear month in a row is no new recovery (nothing stood before it).
    let s = months(&p78(""), &[Line, Clear, Clear]);
    assert_eq!(summary(&s)[2], (0, None, false));
}

#[test]
fn exempt_break_resets_without_recovery_and_neutral_carries() {
    // Default: exempt breaks → count 0 but not a recovery (P7.9 recovery needs a clear period).
    let s = months(&p78(""), &[Line, Line, Exempt, Line]);
    assert_eq!(summary(&s)[2], (0, None, false));
    assert_eq!(summary(&s)[3], (1, Some(1), false));
    // exempt = neutral: the count of 2 is carried through the exempt month, the next entry
    // is the 3rd in a row → step 3.
    let s = months(
        &p78("[ladder.streak]\nexempt = \"neutral\""),
        &[Line, Line, Exempt, Line],
    );
    assert_eq!(summary(&s)[2], (2, Some(2), false));
    assert_eq!(summary(&s)[3], (3, Some(3), false));
}

#[test]
fn ladder_count_is_recomputed_from_marks_not_stored_counts() {
    // A history whose stored ladder_count is wrong (99) gives the count from the marks.
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 1, Line)]);
    if let Some(list) = h.records.get_mut("a") {
        list[0].ladder_count = 99;
    }
    let mut r = result(Period::month(2024, 2), vec![person("a", Line)]);
    apply(&p78(""), &mut r, &h);
    assert_eq!(
        summary(&[r.people[0].ladder.clone()]),
        [(2, Some(2), false)]
    );
}

#[test]
fn pending_period_gets_no_ladder_state() {
    let mut h = History::default();
    marks(&mut h, "a", &[(2024, 1, Line)]);
    let mut r = result(Period::month(2024, 2), vec![person("a", Pending)]);
    apply(&p78(""), &mut r, &h);
    assert!(r.people[0].ladder.is_none());
}
