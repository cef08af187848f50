//! Plain-language rendering (制度说明): being written.

use crate::model::Policy;

/// Output language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Chinese.
    Zh,
    /// English.
    En,
}

/// The policy in plain words.
pub fn render(policy: &Policy, _lang: Lang) -> String {
    policy.policy.name.clone()
}
