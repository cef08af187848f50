//! Conditions (条件): exactly one form per table, the fields its operator needs, and
//! declared names only.

use super::refs::{self, Names, Need};
use super::Report;
use crate::model::{Cond, Op};

const FORMS: &str = "var/op、all、any、not、at_least/of、expr";

/// Check a condition at `path`; indicator names it reads go to `deps`.
pub(crate) fn check(names: &Names, r: &mut Report, path: &str, c: &Cond, deps: &mut Vec<String>) {
    let comparison = c.var.is_some()
        || c.op.is_some()
        || c.value.is_some()
        || c.other.is_some()
        || c.values.is_some();
    let k_of_n = c.at_least.is_some() || c.of.is_some() || c.mandatory.is_some();
    let forms = [
        comparison,
        c.all.is_some(),
        c.any.is_some(),
        c.not.is_some(),
        k_of_n,
        c.expr.is_some(),
    ];
    let count = forms.iter().filter(|x| **x).count();
    if count != 1 {
        let (zh, en) = if count == 0 {
            ("条件为空".to_string(), "empty condition".to_string())
        } else {
            (
                format!("一个条件只能有一种形式，这里有 {count} 种"),
                format!("a condition has exactly one form, this one has {count}"),
            )
        };
        r.hint(
            path,
            zh,
            en,
            format!("可用的形式 / forms: {FORMS}；组合请用 all/any / combine with all/any"),
        );
    }
    if comparison {
        comparison_form(names, r, path, c, deps);
    }
    for (key, list) in [
        ("all", &c.all),
        ("any", &c.any),
        ("of", &c.of),
        ("mandatory", &c.mandatory),
    ] {
        if let Some(list) = list {
            if list.is_empty() && key != "mandatory" {
                r.add(
                    format!("{path}.{key}"),
                    format!("`{key}` 列表为空"),
                    format!("`{key}` is an empty list"),
                );
            }
            for (i, x) in list.iter().enumerate() {
                check(names, r, &format!("{path}.{key}[{i}]"), x, deps);
            }
        }
    }
    if let Some(n) = &c.not {
        check(names, r, &format!("{path}.not"), n, deps);
    }
    if k_of_n {
        let n = c.of.as_ref().map_or(0, Vec::len);
        match c.at_least {
            None => r.add(format!("{path}.at_least"), "k/n 条件缺少 `at_least`".into(), "k-of-n condition without `at_least`".into()),
            Some(0) => r.add(format!("{path}.at_least"), "`at_least` 须至少为 1".into(), "`at_least` must be at least 1".into()),
            Some(k) if k as usize > n => r.hint(
                format!("{path}.at_least"),
                format!("要求 {n} 个条件中的 {k} 个成立，不可能满足"),
                format!("requires {k} of {n} conditions, which can never hold"),
                "at_least 不能大于 of 中条件的个数 / at_least may not exceed the number of conditions in `of`",
            ),
            Some(_) => {}
        }
        if c.of.is_none() {
            r.add(
                format!("{path}.of"),
                "k/n 条件缺少 `of`".into(),
                "k-of-n condition without `of`".into(),
            );
        }
    }
    if let Some(e) = &c.expr {
        refs::formula(names, r, &format!("{path}.expr"), e, deps);
    }
}

fn comparison_form(names: &Names, r: &mut Report, path: &str, c: &Cond, deps: &mut Vec<String>) {
    match &c.var {
        Some(v) => refs::need(names, r, &format!("{path}.var"), v, Need::Var, deps),
        None => r.add(
            format!("{path}.var"),
            "比较条件缺少 `var`".into(),
            "comparison without `var`".into(),
        ),
    }
    let Some(op) = c.op else {
        r.hint(
            format!("{path}.op"),
            "比较条件缺少 `op`".into(),
            "comparison without `op`".into(),
            "op 可为 < <= > >= == != in not_in is_true is_false present missing",
        );
        return;
    };
    let opname = serde_name(op);
    let (needs_value, needs_values) = match op {
        Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne => (true, false),
        Op::In | Op::NotIn => (false, true),
        Op::IsTrue | Op::IsFalse | Op::Present | Op::Missing => (false, false),
    };
    let operands = usize::from(c.value.is_some()) + usize::from(c.other.is_some());
    if needs_value && operands != 1 {
        r.hint(
            path,
            format!("`{opname}` 需要 `value`（常数）或 `other`（名称）二者之一"),
            format!("`{opname}` needs exactly one of `value` (a constant) or `other` (a name)"),
            format!("例如 / e.g. {{ var = \"sales\", op = \"{opname}\", value = 10 }}"),
        );
    }
    if !needs_value && operands > 0 {
        r.add(
            path,
            format!("`{opname}` 不带 `value`/`other`"),
            format!("`{opname}` takes no `value`/`other`"),
        );
    }
    if needs_values && c.values.as_ref().is_none_or(Vec::is_empty) {
        r.hint(
            format!("{path}.values"),
            format!("`{opname}` 需要非空的 `values` 列表"),
            format!("`{opname}` needs a non-empty `values` list"),
            format!("例如 / e.g. {{ var = \"status\", op = \"{opname}\", values = [\"转正\"] }}"),
        );
    }
    if !needs_values && c.values.is_some() {
        r.add(
            format!("{path}.values"),
            format!("`{opname}` 不带 `values`（只有 in/not_in 使用）"),
            format!("`{opname}` takes no `values` (only in/not_in do)"),
        );
    }
    if let Some(o) = &c.other {
        refs::need(names, r, &format!("{path}.other"), o, Need::Var, deps);
    }
}

/// The operator as written in the file.
pub(crate) fn serde_name(op: Op) -> &'static str {
    match op {
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Eq => "==",
        Op::Ne => "!=",
        Op::In => "in",
        Op::NotIn => "not_in",
        Op::IsTrue => "is_true",
        Op::IsFalse => "is_false",
        Op::Present => "present",
        Op::Missing => "missing",
    }
}
