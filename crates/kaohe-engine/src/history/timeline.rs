//! A person's timeline of marks (个人期间标记序列), shared by history rules and the ladder.
//!
//! The timeline is a person's earlier [`PeriodRecord`]s (ascending) plus this period's mark.
//! Rules used everywhere (documented here once):
//! - A period index with no record counts as [`Mark::Absent`] (P8.6 Decision: calendar
//!   months, so a month without a record is a month the person was not assessed).
//! - Records at or after the current period are ignored: re-evaluating an earlier month after
//!   later ones were recorded gives the same answer as the first time.
//! - [`Mark::Line`] is the event. [`Mark::Clear`], [`Mark::Exempt`], [`Mark::Absent`] and
//!   [`Mark::Skipped`] break a run or are passed over as the policy's [`StreakEffects`] say.
//!   [`Mark::Vetoed`] always breaks (like an absent month that breaks). [`Mark::Pending`]
//!   (a tie or missing data awaiting a person) is never an event and always breaks: an
//!   undecided period never escalates anyone; once decided, the period is re-evaluated.
//! - Rolling windows and calendar years count periods by the calendar (their indexes); the
//!   streak effects apply to runs only.

use crate::data::{Mark, PeriodRecord};
use kaohe_policy::model::{Cycle, StreakEffect, StreakEffects};

/// What one period does to a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The event happened: the run grows.
    Event,
    /// The run is broken.
    Break,
    /// Passed over: neither counts nor breaks.
    Neutral,
}

/// Classify a mark under the given effects.
pub(crate) fn classify(mark: Mark, effects: &StreakEffects) -> Step {
    let effect = |e: StreakEffect| match e {
        StreakEffect::Break => Step::Break,
        StreakEffect::Neutral => Step::Neutral,
    };
    match mark {
        Mark::Line => Step::Event,
        Mark::Clear => effect(effects.clear),
        Mark::Exempt => effect(effects.exempt),
        Mark::Absent => effect(effects.absent),
        Mark::Skipped => effect(effects.skipped),
        Mark::Vetoed | Mark::Pending => Step::Break,
    }
}

/// One person's marks up to and including the current period.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeline<'a> {
    /// Earlier records, strictly before `current`, ascending.
    past: &'a [PeriodRecord],
    /// Current period index.
    current: i64,
    /// Current mark.
    mark: Mark,
}

impl<'a> Timeline<'a> {
    /// Build from a person's records (ascending, as [`crate::data::History::of`] returns them).
    pub(crate) fn new(records: &'a [PeriodRecord], current: i64, mark: Mark) -> Self {
        let end = records.partition_point(|r| r.period.index < current);
        Timeline {
            past: &records[..end],
            current,
            mark,
        }
    }

    /// The same timeline with a different current mark (e.g. "if the pending tie were decided
    /// as a line entry").
    pub(crate) fn with_mark(self, mark: Mark) -> Self {
        Timeline { mark, ..self }
    }

    /// The current mark.
    pub(crate) fn mark(&self) -> Mark {
        self.mark
    }

    /// Consecutive events in the run that stands after the current period, walking back from
    /// it: events count, `Neutral` periods are passed over, the first `Break` stops. A current
    /// period that breaks gives 0; a neutral one carries the count standing before it.
    pub(crate) fn run(&self, effects: &StreakEffects) -> u32 {
        let mut count = 0;
        match classify(self.mark, effects) {
            Step::Event => count += 1,
            Step::Break => return 0,
            Step::Neutral => {}
        }
        count + self.run_before(effects)
    }

    /// The run standing just before the current period (ignoring the current mark).
    pub(crate) fn run_before(&self, effects: &StreakEffects) -> u32 {
        let mut count = 0;
        let mut expected = self.current - 1;
        for r in self.past.iter().rev() {
            if r.period.index < expected && classify(Mark::Absent, effects) == Step::Break {
                // Periods between two records have no record: absent, and absent breaks.
                return count;
            }
            match classify(r.mark, effects) {
                Step::Event => count += 1,
                Step::Break => return count,
                Step::Neutral => {}
            }
            expected = r.period.index - 1;
        }
        count
    }

    /// Events with an index in `from..=current`, the current period included.
    pub(crate) fn events_since(&self, from: i64) -> u32 {
        let start = self.past.partition_point(|r| r.period.index < from);
        let past = self.past[start..]
            .iter()
            .filter(|r| r.mark == Mark::Line)
            .count() as u32;
        past + u32::from(self.mark == Mark::Line)
    }

    /// Events within a rolling window of `n` periods ending with the current one (P8.6
    /// Decision: the window includes the current month). `n = 0` counts nothing.
    pub(crate) fn events_in_window(&self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        self.events_since(self.current - i64::from(n) + 1)
    }

    /// Events in the current calendar year up to now. Monthly and quarterly cycles use the
    /// calendar year of the current period; annual and one-off cycles have one period per
    /// "year", the current one.
    pub(crate) fn events_in_year(&self, cycle: Cycle) -> u32 {
        let from = match cycle {
            Cycle::Monthly => self.current.div_euclid(12) * 12,
            Cycle::Quarterly => self.current.div_euclid(4) * 4,
            Cycle::Annual | Cycle::Once => self.current,
        };
        self.events_since(from)
    }
}
