//! Escalation ladder (处理阶梯, P7.8/P7.9): being written.
use crate::data::History;
use crate::result::PeriodResult;
use kaohe_policy::Policy;

/// Fill each person's `ladder` state.
pub(crate) fn apply(_policy: &Policy, _result: &mut PeriodResult, _history: &History) {}
