//! Deadlines of a cycle (流程期限) from the policy's process parameters, and the overdue list.
//!
//! - compile by: `compile_within_working_days` working days after the cycle end (P4.9: 10);
//! - publish by: `publish_within_working_days` working days after the cycle end (P4.9: 15);
//! - appeals until: `appeal_window_working_days` working days after publication (P4.10: 3);
//! - approvals by: `approval_within_days` calendar days after publication (P4.11 "within one
//!   week": 7 — the text says a week, not working days).
//!
//! A deadline is met all through its own day; a step is overdue from the next day on, as long
//! as the cycle has not passed that step.

use super::text::state_name;
use super::CycleState;
use crate::calendar::{add_calendar_days, is_past, Calendar, CalendarError};
use chrono::{NaiveDate, NaiveDateTime};
use kaohe_policy::model::Process;

/// The deadlines of one cycle; `None` where the policy sets none or publication is pending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deadlines {
    /// Figures compiled by (P4.9).
    pub compile_by: Option<NaiveDate>,
    /// Scores computed, signed and published by (P4.9).
    pub publish_by: Option<NaiveDate>,
    /// Last day to file an appeal (P4.10).
    pub appeal_until: Option<NaiveDate>,
    /// Approvals done by (P4.11).
    pub approvals_by: Option<NaiveDate>,
}

impl Deadlines {
    /// Deadlines for a cycle ending on `cycle_end` and published on `published_on`.
    pub fn compute(
        cal: &Calendar,
        process: &Process,
        cycle_end: NaiveDate,
        published_on: Option<NaiveDate>,
    ) -> Result<Deadlines, CalendarError> {
        let wd = |n: Option<u32>, from: Option<NaiveDate>| -> Result<_, CalendarError> {
            match (n, from) {
                (Some(n), Some(d)) => cal.add_working_days(d, n).map(Some),
                _ => Ok(None),
            }
        };
        Ok(Deadlines {
            compile_by: wd(process.compile_within_working_days, Some(cycle_end))?,
            publish_by: wd(process.publish_within_working_days, Some(cycle_end))?,
            appeal_until: wd(process.appeal_window_working_days, published_on)?,
            approvals_by: match (process.approval_within_days, published_on) {
                (Some(n), Some(p)) => Some(add_calendar_days(p, n)?),
                _ => None,
            },
        })
    }
}

/// A step of the cycle with a deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// 数据汇总 compile the figures.
    Compile,
    /// 计算公示 compute and publish.
    Publish,
    /// 逐级审批 approvals.
    Approvals,
}

/// An overdue step (逾期事项).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    /// The step.
    pub step: Step,
    /// Its deadline.
    pub due: NaiveDate,
    /// Calendar days late on `now`.
    pub days_late: i64,
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// Steps overdue at `now` for a cycle in `state`.
pub fn overdue(state: CycleState, d: &Deadlines, now: NaiveDateTime) -> Vec<Overdue> {
    use CycleState as S;
    let today = now.date();
    let (sz, se) = state_name(state);
    let before_publish = matches!(state, S::Open | S::Collecting | S::Computed);
    let checks = [
        (
            Step::Compile,
            d.compile_by,
            matches!(state, S::Open | S::Collecting),
            ("数据汇总", "compiling the figures", "P4.9"),
        ),
        (
            Step::Publish,
            d.publish_by,
            before_publish,
            (
                "计算、签字并公示",
                "computing, signing and publishing",
                "P4.9",
            ),
        ),
        (
            Step::Approvals,
            d.approvals_by,
            matches!(
                state,
                S::Published | S::Final | S::Measures | S::Approvals { .. }
            ),
            ("逐级审批", "the approvals", "P4.11"),
        ),
    ];
    checks
        .into_iter()
        .filter_map(|(step, due, pending, (zh, en, rule))| {
            let due = due?;
            (pending && is_past(due, today)).then(|| {
                let late = (today - due).num_days();
                Overdue {
                    step,
                    due,
                    days_late: late,
                    zh: format!(
                        "{zh}应于{}前完成（{rule}），已逾期{late}天；当前状态“{sz}”",
                        super::text::zh_date(due)
                    ),
                    en: format!(
                        "{en} was due by {due} ({rule}), {late} day(s) late; current state {se}"
                    ),
                }
            })
        })
        .collect()
}
