//! Loading a policy file (读取制度文件): TOML text → [`Policy`], or every problem found.
//!
//! Three passes: (1) the TOML syntax, with recovery so that every syntax error is reported;
//! (2) serde into the model, which rejects unknown keys, wrong types and blank numbers (one
//! error: serde stops at the first); (3) [`crate::validate`], which reports every semantic
//! problem. Each problem carries file, 1-based line and column (in characters), a Chinese and
//! an English message and, where one helps, a hint. Semantic problems name a key path such as
//! `indicator[3].ratio.target`; [`Spans`] maps it to the position in the text, falling back to
//! the nearest enclosing table that exists.

use crate::model::Policy;
use crate::validate::{self, Problem};
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

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

/// Parse and validate policy text. `file` is used in messages only.
pub fn load_str(text: &str, file: &str) -> Result<Policy, Vec<PolicyError>> {
    let (doc, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return Err(syntax
            .iter()
            .map(|e| {
                let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
                let msg = e.message().trim().to_string();
                PolicyError {
                    file: file.to_string(),
                    line,
                    column,
                    zh: format!("TOML 语法错误：{msg}"),
                    en: format!("TOML syntax error: {msg}"),
                    hint: Some(
                        "检查引号、括号和等号 / check quotes, brackets and `=` signs".to_string(),
                    ),
                }
            })
            .collect());
    }
    let policy = match toml::from_str::<Policy>(text) {
        Ok(p) => p,
        Err(e) => return Err(vec![serde_error(text, file, &e)]),
    };
    let problems = validate::validate(&policy);
    if problems.is_empty() {
        return Ok(policy);
    }
    let spans = Spans { doc: Some(doc) };
    Err(problems
        .into_iter()
        .map(|p| problem_error(text, file, &spans, p))
        .collect())
}

fn problem_error(text: &str, file: &str, spans: &Spans<'_>, p: Problem) -> PolicyError {
    let (line, column) = spans
        .find(&p.path)
        .map_or((0, 0), |s| line_col(text, s.start));
    PolicyError {
        file: file.to_string(),
        line,
        column,
        zh: format!("{}：{}", p.path, p.zh),
        en: format!("{}: {}", p.path, p.en),
        hint: p.hint,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Text between the first pair of backticks after `prefix` in `msg`.
fn quoted_after<'m>(msg: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = msg.split_once(prefix)?.1;
    let rest = rest.trim_start().strip_prefix('`')?;
    Some(rest.split_once('`')?.0)
}

/// Turn a serde/TOML error into a bilingual [`PolicyError`].
fn serde_error(text: &str, file: &str, e: &toml::de::Error) -> PolicyError {
    let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
    let msg = e.message().trim().to_string();
    let expected = msg
        .split_once("expected")
        .map(|(_, rest)| format!("expected{rest}"));
    let (zh, en, hint) = if let Some(k) = quoted_after(&msg, "unknown field") {
        (
            format!("未知的键 `{k}`"),
            format!("unknown key `{k}`"),
            Some(format!(
                "检查拼写；此处允许的键 / check the spelling; allowed here: {}",
                expected.unwrap_or_default()
            )),
        )
    } else if let Some(k) = quoted_after(&msg, "missing field") {
        (
            format!("缺少必填键 `{k}`"),
            format!("missing required key `{k}`"),
            Some(format!(
                "在此表中加上 `{k} = ...` / add `{k} = ...` to this table"
            )),
        )
    } else if let Some(k) = quoted_after(&msg, "unknown variant") {
        (
            format!("不认识的取值 `{k}`"),
            format!("unknown value `{k}`"),
            expected.map(|x| format!("允许的取值 / allowed: {x}")),
        )
    } else if msg.contains("必填参数为空") || msg.contains("invalid type: string \"\"") {
        (
            "必填参数为空".to_string(),
            "required parameter left blank".to_string(),
            Some(
                "填入书面制度中留空的数值（例如“超过 %”中缺的百分比）/ fill in the number the written policy leaves blank"
                    .to_string(),
            ),
        )
    } else if msg.contains("不是数字") || msg.contains("数值") {
        (
            format!("不是有效数值：{msg}"),
            format!("not a valid number: {msg}"),
            Some("写作 70、0.6 或 \"60%\" / write 70, 0.6 or \"60%\"".to_string()),
        )
    } else {
        (
            format!("内容不符合制度格式：{msg}"),
            format!("does not match the policy format: {msg}"),
            Some("参见 docs/policy-language.md / see docs/policy-language.md".to_string()),
        )
    };
    PolicyError {
        file: file.to_string(),
        line,
        column,
        zh,
        en,
        hint,
    }
}

/// Positions of key paths in a parsed document (键路径定位).
pub struct Spans<'i> {
    doc: Option<Spanned<DeTable<'i>>>,
}

impl<'i> Spans<'i> {
    /// Parse `text` for positions (an unparsable text gives no positions).
    pub fn new(text: &'i str) -> Self {
        Spans {
            doc: DeTable::parse(text).ok(),
        }
    }

    /// Byte span of the value at `path` (`indicator[3].ratio.target`, `outcome.warn.legal_path`),
    /// or of the deepest enclosing part that exists.
    pub fn find(&self, path: &str) -> Option<Range<usize>> {
        let doc = self.doc.as_ref()?;
        let mut best = doc.span();
        let mut table: Option<&DeTable<'i>> = Some(doc.get_ref());
        let mut value: Option<&Spanned<DeValue<'i>>> = None;
        for seg in path_segments(path) {
            let (key, index) = seg;
            let t = match (table, value) {
                (Some(t), _) => t,
                (None, Some(v)) => match v.get_ref() {
                    DeValue::Table(t) => t,
                    _ => break,
                },
                _ => break,
            };
            let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == key) else {
                break;
            };
            // A table's own span may be empty for dotted/implicit tables: prefer the key.
            best = if v.span().is_empty() {
                k.span()
            } else {
                v.span()
            };
            let mut cur = v;
            if let Some(i) = index {
                match cur.get_ref() {
                    DeValue::Array(a) => match a.get(i) {
                        Some(item) => {
                            cur = item;
                            if !cur.span().is_empty() {
                                best = cur.span();
                            }
                        }
                        None => break,
                    },
                    _ => break,
                }
            }
            table = None;
            value = Some(cur);
        }
        Some(best)
    }
}

/// Split `a[1].b.c[0]` into `[("a", Some(1)), ("b", None), ("c", Some(0))]`.
fn path_segments(path: &str) -> Vec<(&str, Option<usize>)> {
    path.split('.')
        .map(|seg| match seg.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        })
        .collect()
}
