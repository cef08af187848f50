//! The error of this crate (文书错误): a Chinese and an English message.

use std::fmt;

/// What went wrong, for the caller to pick a response (a bad template is the admin's to fix,
/// missing data the caller's, a render failure ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocErrorKind {
    /// 模板错误 the template does not parse, uses unknown variables, or fails on sample data
    Template,
    /// 数据错误 the data misses what the document needs (e.g. a letter without an addressee)
    Data,
    /// 排版错误 layout or file writing failed
    Render,
}

/// 文书错误. `Display` prints "中文 / English".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    kind: DocErrorKind,
    zh: String,
    en: String,
}

impl DocError {
    pub(crate) fn new(kind: DocErrorKind, zh: impl Into<String>, en: impl Into<String>) -> Self {
        DocError {
            kind,
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub(crate) fn template(zh: impl Into<String>, en: impl Into<String>) -> Self {
        DocError::new(DocErrorKind::Template, zh, en)
    }

    pub(crate) fn data(zh: impl Into<String>, en: impl Into<String>) -> Self {
        DocError::new(DocErrorKind::Data, zh, en)
    }

    pub(crate) fn render(zh: impl Into<String>, en: impl Into<String>) -> Self {
        DocError::new(DocErrorKind::Render, zh, en)
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> DocErrorKind {
        self.kind
    }

    /// The Chinese message.
    pub fn zh(&self) -> &str {
        &self.zh
    }

    /// The English message.
    pub fn en(&self) -> &str {
        &self.en
    }
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for DocError {}
