//! Escalation ladder (处理阶梯, P7.8/P7.9): consequences by consecutive line entries, with
//! recovery.
//!
//! Decision (documented choice): the count is **recomputed from the marks** every period, with
//! the same [`crate::history::timeline`] rules as history rules and the ladder's own
//! [`kaohe_policy::model::StreakEffects`] (P7.9 Decision: "in a row" = consecutive assessment
//! periods; by default any period not in the line resets). The `ladder_count` stored in
//! [`crate::data::PeriodRecord`] is written for audit and display only and never read back, so
//! an imported or corrected history cannot drift from the marks.
//!
//! - `count`: the run standing after this period (a neutral period carries it unchanged).
//! - `step`: the highest step whose `at` ≤ count (P7.8: 1 → observation, 2 → pay −50 %,
//!   3 and beyond → transfer; the top step applies to any larger count).
//! - `recovered` (P7.9): the run standing before this period was ≥ 1 and this period is a
//!   clear period (ranked, not in the line) that breaks the run. An exempt or absent period
//!   that breaks the run resets the count but is not a recovery: nothing was shown.
//!
//! People with count 0 and no recovery get no ladder state; a pending period (tie or missing
//! data) gets none either: it is decided first.

#[cfg(test)]
mod tests;

use crate::data::{History, Mark};
use crate::history::timeline::{classify, Step, Timeline};
use crate::result::{LadderState, PeriodResult, Status};
use kaohe_policy::model::Ladder;
use kaohe_policy::Policy;

/// Fill each person's `ladder` state.
pub(crate) fn apply(policy: &Policy, result: &mut PeriodResult, history: &History) {
    let Some(ladder) = &policy.ladder else {
        return;
    };
    let current = result.period.index;
    for person in &mut result.people {
        if person.status == Status::NotCovered || person.mark == Mark::Pending {
            continue;
        }
        let tl = Timeline::new(history.of(&person.id), current, person.mark);
        person.ladder = state(ladder, tl);
    }
}

/// The ladder state for one timeline, or `None` when there is nothing to show.
pub(crate) fn state(ladder: &Ladder, tl: Timeline<'_>) -> Option<LadderState> {
    let count = tl.run(&ladder.streak);
    let recovered = tl.mark() == Mark::Clear
        && classify(Mark::Clear, &ladder.streak) == Step::Break
        && tl.run_before(&ladder.streak) >= 1;
    if count == 0 && !recovered {
        return None;
    }
    Some(LadderState {
        count,
        step: step_for(ladder, count),
        recovered,
    })
}

/// The highest step with `at ≤ count` (its `at`), if any.
pub(crate) fn step_for(ladder: &Ladder, count: u32) -> Option<u32> {
    ladder
        .steps
        .iter()
        .map(|s| s.at)
        .filter(|at| *at >= 1 && *at <= count)
        .max()
}
