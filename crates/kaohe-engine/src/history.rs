//! History rules (历史规则, P8.6): being written.
use crate::data::History;
use crate::result::PeriodResult;
use kaohe_policy::Policy;

/// Fill each person's `history` hits from earlier marks plus this period's mark.
pub(crate) fn apply(_policy: &Policy, _result: &mut PeriodResult, _history: &History) {}

/// Append this period's marks, scores and ladder counts to the history.
pub fn record(_result: &PeriodResult, _history: &mut History) {}
