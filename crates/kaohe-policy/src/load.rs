//! Loading a policy file (读取制度文件). Minimal version; validation positions to come.

use crate::model::Policy;

/// A problem found while loading or validating a policy.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {zh} / {en}")]
pub struct PolicyError {
    /// File name as given.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
    /// Hint.
    pub hint: Option<String>,
}

/// Parse policy text. `file` is used in messages only.
pub fn load_str(text: &str, file: &str) -> Result<Policy, Vec<PolicyError>> {
    toml::from_str::<Policy>(text).map_err(|e| {
        vec![PolicyError {
            file: file.to_string(),
            line: 0,
            column: 0,
            zh: e.message().to_string(),
            en: e.message().to_string(),
            hint: None,
        }]
    })
}
