//! Templates (文书模板): the defaults, the variables a template may use, rendering a template
//! to the markup of [`crate::markup`], and checking an admin's template before it is stored.
//!
//! Templates are [minijinja](https://docs.rs/minijinja) (Jinja2 syntax) with strict undefined
//! values: a misspelt variable or field is an error, never an empty string. Block tags may
//! stand on their own line: the blank lines they leave are ignored by the markup.

use std::collections::BTreeSet;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value, ValueKind};
use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use crate::markup::{sanitize_value, VALUE_END, VALUE_START};
use crate::zh::{zh_date, zh_period};
use crate::{DocData, DocError, DocKind, DocPerson, DocRow};

/// Largest template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024;

/// Work a template may do in one render (minijinja fuel): enough for a loop over tens of
/// thousands of rows, not for a runaway loop.
const FUEL: u64 = 5_000_000;

/// The default template of a kind. An admin's override uses the same syntax.
pub fn default_template(kind: DocKind) -> &'static str {
    match kind {
        DocKind::WarningLetter => include_str!("../templates/warning_letter.txt"),
        DocKind::EliminationNotice => include_str!("../templates/elimination_notice.txt"),
        DocKind::WrittenNotice => include_str!("../templates/written_notice.txt"),
        DocKind::MonthlySummary => include_str!("../templates/monthly_summary.txt"),
    }
}

/// Top-level variables (name, Chinese description).
const TOP: &[(&str, &str)] = &[
    ("company", "公司名称"),
    ("unit", "分公司/部门"),
    ("period", "考核期间，如 2025年3月"),
    ("period_label", "考核期间原文，如 2025-03"),
    ("policy_name", "考核制度名称"),
    ("policy_version", "制度版本"),
    ("date", "文书日期，如 2025年4月2日"),
    ("date_iso", "文书日期，如 2025-04-02"),
    ("kind", "文书类型代码，如 warning_letter"),
    ("kind_zh", "文书类型中文名"),
    ("rule", "文书依据的制度条款，如 P8.9"),
    ("person", "收件人（信函）"),
    ("rows", "汇总行列表"),
    ("notes", "附注段落列表"),
    ("report_to", "汇总报送对象，如 总经办（制度未写则为空）"),
    (
        "approvers",
        "制度的审批顺序列表，如 分公司负责人、区总、总部人事部",
    ),
];

/// Fields of `person`.
const PERSON: &[(&str, &str)] = &[
    ("id", "工号"),
    ("name", "姓名"),
    ("post", "岗位（可为空）"),
    ("score", "考核结果（可为空）"),
    ("rank", "名次（可为空）"),
    ("group_size", "参与排名人数（可为空）"),
    ("reason", "原因（含条款编号）"),
    ("measures", "改进措施列表"),
    ("rules", "依据条款列表"),
    ("appeal_until", "申诉截止日期，如 2025年4月5日"),
    ("appeal_until_iso", "申诉截止日期，如 2025-04-05"),
];

/// Fields of each item of `rows`.
const ROW: &[(&str, &str)] = &[
    ("id", "工号"),
    ("name", "姓名"),
    ("unit", "单位"),
    ("score", "考核结果"),
    ("rank", "名次（可为空）"),
    ("status", "状态：正常/末位/否决/豁免…"),
];

/// Functions of minijinja a template may call.
const BUILTIN_FUNCTIONS: &[&str] = &["range", "dict", "namespace"];

/// Every variable a template may use, as `(name, 中文说明)`: top-level names, `person.*` and
/// `rows[].*` (for an admin's template editor).
pub fn template_variables() -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> =
        TOP.iter().map(|(n, d)| (n.to_string(), *d)).collect();
    out.extend(PERSON.iter().map(|(n, d)| (format!("person.{n}"), *d)));
    out.extend(ROW.iter().map(|(n, d)| (format!("rows[].{n}"), *d)));
    out
}

#[derive(Serialize)]
struct Ctx<'a> {
    company: &'a str,
    unit: &'a str,
    period: String,
    period_label: &'a str,
    policy_name: &'a str,
    policy_version: &'a str,
    date: String,
    date_iso: String,
    kind: &'static str,
    kind_zh: &'static str,
    rule: &'static str,
    person: Option<PersonCtx<'a>>,
    rows: &'a [DocRow],
    notes: &'a [String],
    report_to: Option<&'a str>,
    approvers: &'a [String],
}

#[derive(Serialize)]
struct PersonCtx<'a> {
    id: &'a str,
    name: &'a str,
    post: Option<&'a str>,
    score: Option<&'a str>,
    rank: Option<u32>,
    group_size: Option<u32>,
    reason: &'a str,
    measures: &'a [String],
    rules: &'a [String],
    appeal_until: Option<String>,
    appeal_until_iso: Option<String>,
}

fn context(kind: DocKind, data: &DocData) -> Value {
    let person = data.person.as_ref().map(|p: &DocPerson| PersonCtx {
        id: &p.id,
        name: &p.name,
        post: p.post.as_deref(),
        score: p.score.as_deref(),
        rank: p.rank,
        group_size: p.group_size,
        reason: &p.reason,
        measures: &p.measures,
        rules: &p.rules,
        appeal_until: p.appeal_until.map(zh_date),
        appeal_until_iso: p.appeal_until.map(|d| d.to_string()),
    });
    Value::from(Serde(Ctx {
        company: &data.company,
        unit: &data.unit,
        period: zh_period(&data.period_label),
        period_label: &data.period_label,
        policy_name: &data.policy_name,
        policy_version: &data.policy_version,
        date: zh_date(data.date),
        date_iso: data.date.to_string(),
        kind: kind.code(),
        kind_zh: kind.zh(),
        rule: kind.rule(),
        person,
        rows: &data.rows,
        notes: &data.notes,
        report_to: data.report_to.as_deref(),
        approvers: &data.approvers,
    }))
}

/// How a value is written into the markup: `none` as nothing, a list joined with 、, always
/// one line, wrapped in the value markers.
fn display(value: &Value) -> String {
    if value.is_none() || value.is_undefined() {
        return String::new();
    }
    match value.kind() {
        ValueKind::Seq => match value.try_iter() {
            Ok(items) => items.map(|v| display(&v)).collect::<Vec<_>>().join("、"),
            Err(_) => value.to_string(),
        },
        _ => value.to_string(),
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    // No trim_blocks: a line that ends in a block tag ("…{% endif %}") keeps its line break;
    // the blank lines left by block tags on their own line are ignored by the markup.
    if let Ok(syntax) = SyntaxConfig::builder().lstrip_blocks(true).build() {
        env.set_syntax(syntax);
    }
    env.set_formatter(|out, _state, value| {
        let text = sanitize_value(&display(value));
        out.write_str(&format!("{VALUE_START}{text}{VALUE_END}"))?;
        Ok(())
    });
    env
}

fn template_error(kind: DocKind, e: &minijinja::Error) -> DocError {
    let (zh, en) = match e.kind() {
        ErrorKind::SyntaxError => ("模板语法错误", "template syntax error"),
        ErrorKind::UndefinedError => (
            "模板使用了不存在的变量或字段",
            "the template uses an unknown variable or field",
        ),
        ErrorKind::UnknownFilter => ("模板使用了未知的过滤器", "unknown filter"),
        ErrorKind::UnknownFunction => ("模板使用了未知的函数", "unknown function"),
        ErrorKind::UnknownMethod => ("模板使用了未知的方法", "unknown method"),
        ErrorKind::UnknownTest => ("模板使用了未知的测试", "unknown test"),
        ErrorKind::OutOfFuel => (
            "模板运算量超出限制（可能有过大的循环）",
            "the template does too much work (a runaway loop?)",
        ),
        _ => ("模板执行出错", "template error"),
    };
    let at_zh = e.line().map(|l| format!("第{l}行：")).unwrap_or_default();
    let at_en = e
        .line()
        .map(|l| format!(" at line {l}"))
        .unwrap_or_default();
    let detail = e.detail().map(|d| format!(" ({d})")).unwrap_or_default();
    DocError::template(
        format!("{}模板{at_zh}{zh}{detail}", kind.zh()),
        format!("{} template: {en}{at_en}{detail}", kind.en()),
    )
}

/// Renders the template to markup text.
pub(crate) fn render_text(kind: DocKind, data: &DocData, source: &str) -> Result<String, DocError> {
    if source.len() > MAX_TEMPLATE_BYTES {
        return Err(DocError::template(
            format!("模板过大（超过 {} KB）", MAX_TEMPLATE_BYTES / 1024),
            format!("template too large (over {} KB)", MAX_TEMPLATE_BYTES / 1024),
        ));
    }
    let env = environment();
    let tmpl = env
        .template_from_str(source)
        .map_err(|e| template_error(kind, &e))?;
    let mut out = Bounded {
        buf: Vec::new(),
        over: false,
    };
    let rendered = tmpl.render_captured_to(context(kind, data), &mut out);
    if out.over {
        return Err(DocError::template(
            format!(
                "{}模板输出过长（超过 {} MB）",
                kind.zh(),
                MAX_OUTPUT_BYTES / (1024 * 1024)
            ),
            format!(
                "the {} template's output is too long (over {} MB)",
                kind.en(),
                MAX_OUTPUT_BYTES / (1024 * 1024)
            ),
        ));
    }
    rendered.map_err(|e| template_error(kind, &e))?;
    String::from_utf8(out.buf).map_err(|_| {
        DocError::render(
            "模板输出不是有效的 UTF-8",
            "the template's output is not valid UTF-8",
        )
    })
}

/// Largest markup a template may produce, in bytes.
const MAX_OUTPUT_BYTES: usize = 2 * 1024 * 1024;

/// Collects a template's output up to [`MAX_OUTPUT_BYTES`].
struct Bounded {
    buf: Vec<u8>,
    over: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + bytes.len() > MAX_OUTPUT_BYTES {
            self.over = true;
            return Err(std::io::Error::other("output too long"));
        }
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Checks that the data has what the kind needs: a letter has an addressee with a name, a
/// reason and an appeal deadline (LABOUR-LAW.md: every letter names the appeal route and
/// deadline); the elimination notice cites its rules (P7.5).
pub(crate) fn validate_data(kind: DocKind, data: &DocData) -> Result<(), DocError> {
    if !kind.is_letter() {
        return Ok(());
    }
    let Some(p) = &data.person else {
        return Err(DocError::data(
            format!("{}需要收件人（person）", kind.zh()),
            format!("a {} needs an addressee (person)", kind.en()),
        ));
    };
    if p.name.trim().is_empty() {
        return Err(DocError::data(
            format!("{}的收件人姓名为空", kind.zh()),
            format!("the addressee of the {} has no name", kind.en()),
        ));
    }
    if p.reason.trim().is_empty() {
        return Err(DocError::data(
            format!("{}需要写明原因（reason）", kind.zh()),
            format!("a {} needs a reason", kind.en()),
        ));
    }
    if p.appeal_until.is_none() {
        return Err(DocError::data(
            format!("{}需要申诉截止日期（appeal_until）", kind.zh()),
            format!("a {} needs the appeal deadline (appeal_until)", kind.en()),
        ));
    }
    if kind == DocKind::EliminationNotice && p.rules.iter().all(|r| r.trim().is_empty()) {
        return Err(DocError::data(
            "末位淘汰通知书需要引用依据条款（rules）",
            "an elimination-list notice must cite its rules (rules)",
        ));
    }
    Ok(())
}

/// Names a template uses that are not variables of the documents: unknown top-level names and
/// unknown `person.*` fields.
fn unknown_variables(kind: DocKind, source: &str) -> Result<Vec<String>, DocError> {
    let env = environment();
    let tmpl = env
        .template_from_str(source)
        .map_err(|e| template_error(kind, &e))?;
    let top: BTreeSet<&str> = TOP
        .iter()
        .map(|(n, _)| *n)
        .chain(BUILTIN_FUNCTIONS.iter().copied())
        .collect();
    let person: BTreeSet<&str> = PERSON.iter().map(|(n, _)| *n).collect();
    let mut unknown: Vec<String> = tmpl
        .undeclared_variables(true)
        .into_iter()
        .filter(|name| {
            let mut parts = name.split('.');
            let head = parts.next().unwrap_or_default();
            if !top.contains(head) {
                return true;
            }
            head == "person" && parts.next().is_some_and(|f| !person.contains(f))
        })
        .collect();
    unknown.sort();
    Ok(unknown)
}

/// Data for the trial render of [`check`]: the kind's sample with every optional field set,
/// then with every optional field empty.
fn samples(kind: DocKind) -> [DocData; 2] {
    let full = crate::sample::sample_data(kind);
    let mut sparse = full.clone();
    if let Some(p) = sparse.person.as_mut() {
        p.post = None;
        p.score = None;
        p.rank = None;
        p.group_size = None;
        p.measures.clear();
    }
    for r in &mut sparse.rows {
        r.rank = None;
    }
    sparse.rows.truncate(1);
    sparse.notes.clear();
    let mut full = full;
    full.notes.push("附注".into());
    [full, sparse]
}

/// See [`crate::check_template`].
pub(crate) fn check(kind: DocKind, source: &str) -> Result<(), DocError> {
    if source.len() > MAX_TEMPLATE_BYTES {
        return Err(DocError::template(
            format!("模板过大（超过 {} KB）", MAX_TEMPLATE_BYTES / 1024),
            format!("template too large (over {} KB)", MAX_TEMPLATE_BYTES / 1024),
        ));
    }
    let unknown = unknown_variables(kind, source)?;
    if !unknown.is_empty() {
        let list = unknown.join(", ");
        return Err(DocError::template(
            format!("{}模板使用了不存在的变量：{list}", kind.zh()),
            format!("the {} template uses unknown variables: {list}", kind.en()),
        ));
    }
    crate::guard::check_template_text(kind, source)?;
    for data in samples(kind) {
        let text = render_text(kind, &data, source)?;
        let doc = crate::markup::parse(&text);
        crate::guard::check_document(kind, &data, &doc)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_use_known_variables_only() {
        for kind in DocKind::all() {
            assert_eq!(
                unknown_variables(kind, default_template(kind)).unwrap(),
                Vec::<String>::new(),
                "{kind:?}"
            );
            check(kind, default_template(kind)).unwrap();
        }
    }

    #[test]
    fn runaway_templates_stop() {
        let data = crate::sample::sample_data(DocKind::MonthlySummary);
        let e = render_text(
            DocKind::MonthlySummary,
            &data,
            "{% for i in range(100000) %}{{ 'x' * 100 }}\n{% endfor %}",
        )
        .unwrap_err();
        assert!(e.zh().contains("输出过长"), "{e}");
        let e = render_text(
            DocKind::MonthlySummary,
            &data,
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        )
        .unwrap_err();
        assert!(e.zh().contains("运算量超出限制"), "{e}");
    }

    #[test]
    fn unknown_variables_are_listed() {
        let t = "{{ persn.name }} {{ person.nmae }} {{ person.name }} {% for r in rows %}{{ r.id }}{% endfor %}";
        assert_eq!(
            unknown_variables(DocKind::WarningLetter, t).unwrap(),
            vec!["persn.name".to_string(), "person.nmae".to_string()]
        );
    }
}
