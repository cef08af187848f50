//! Labour-law requirements per legal path (劳动法要件, LABOUR-LAW.md): being written.
use crate::result::Requirement;
use kaohe_policy::model::Outcome;
use kaohe_policy::Policy;

/// What an outcome still needs before it may take effect.
pub fn requirements(_policy: &Policy, _outcome: &Outcome) -> Vec<Requirement> {
    Vec::new()
}
