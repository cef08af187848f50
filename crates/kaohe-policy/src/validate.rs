//! Validation of a loaded policy (制度校验): every semantic problem, not only the first.
//!
//! Checks, each reported at a key path (e.g. `indicator[3].ratio.target`) that
//! [`crate::load`] turns into a line and column:
//! - shape: an indicator has exactly one building block; a condition has exactly one form with
//!   the fields its operator needs; history triggers have exactly one form;
//! - names: no duplicate ids; input/indicator ids may not shadow roster fields or built-ins;
//!   every reference names a declared input, indicator, outcome or level of the right kind;
//!   formulas compile against the declared names; no cycles between indicators;
//! - numbers: weights add up to 100 unless `normalise = true` (P7.3); quotas, windows (k ≤ n),
//!   ladder steps, grade bands without gaps or overlaps, min ≤ max, `zero_below` in [0, 1];
//! - periods: `policy.start` and `aggregate.anchor` parse for the cycle;
//! - labour law (LABOUR-LAW.md gates 1 and 7, only when `jurisdiction = "CN"`): an outcome
//!   reached by a bottom placement is never a misconduct or probation termination, and an
//!   incompetence path is only reachable through history or the ladder; vetoes take the
//!   Art. 39 misconduct path; gates of a probation population use probation/improvement/misconduct.

mod conds;
mod labour;
mod refs;
mod shape;

use crate::model::Policy;

/// One problem, at a key path of the policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Key path, e.g. `indicator[3].ratio.target`.
    pub path: String,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
    /// A hint on how to fix it.
    pub hint: Option<String>,
}

/// Collects problems while walking the policy.
#[derive(Default)]
pub(crate) struct Report {
    pub(crate) problems: Vec<Problem>,
}

impl Report {
    pub(crate) fn add(&mut self, path: impl Into<String>, zh: String, en: String) {
        self.problems.push(Problem {
            path: path.into(),
            zh,
            en,
            hint: None,
        });
    }

    pub(crate) fn hint(
        &mut self,
        path: impl Into<String>,
        zh: String,
        en: String,
        hint: impl Into<String>,
    ) {
        self.problems.push(Problem {
            path: path.into(),
            zh,
            en,
            hint: Some(hint.into()),
        });
    }
}

/// Every problem of `policy`; empty when it is valid.
pub fn validate(policy: &Policy) -> Vec<Problem> {
    let mut r = Report::default();
    shape::check(policy, &mut r);
    let names = refs::Names::of(policy);
    refs::check(policy, &names, &mut r);
    labour::check(policy, &mut r);
    r.problems
}
