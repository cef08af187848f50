//! Outcomes with legal paths (处理结果): being written.
use crate::result::PeriodResult;
use kaohe_policy::Policy;

/// Attach outcomes (line, fallback, vetoes, gates, history, ladder, levels) to each person.
pub(crate) fn attach(_policy: &Policy, _result: &mut PeriodResult) {}
