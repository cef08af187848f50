//! Block aggregates (周期汇总, P2.7): being written.
use crate::data::History;
use crate::result::PeriodResult;
use kaohe_policy::Policy;

/// Fill `result.aggregates` when this period closes a block.
pub(crate) fn apply(_policy: &Policy, _result: &mut PeriodResult, _history: &History) {}
