//! Conditions (条件): compiled once from [`kaohe_policy::model::Cond`], evaluated per person.
//!
//! Semantics:
//! - comparisons compare exact decimals (or dates with dates); `in`/`not_in` compare text;
//!   `is_true`/`is_false` read yes/no values; `present`/`missing` test presence;
//! - `all` and `any` are evaluated left to right and stop at the first false (`all`) or true
//!   (`any`) — so `{ all = [{ var = "target", op = "present" }, …] }` guards a comparison;
//! - `at_least = k, of = [...], mandatory = [...]`: every mandatory condition must hold and at
//!   least k of `of`; an unknown member only matters when it could change the answer;
//! - reading a missing value with anything but `present`/`missing` is an error for that person
//!   (数据待补), never a silent false.

use crate::lookup::{Ctx, Names, Slot, V};
use kaohe_policy::formula::{FValue, Formula};
use kaohe_policy::model::{Cond, Op};
use rust_decimal::Decimal;

/// Why a condition could not be decided for a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CondError {
    /// The name whose value was missing or unusable.
    pub(crate) field: String,
    pub(crate) zh: String,
    pub(crate) en: String,
    /// The value was already reported (a failed indicator): do not report it twice.
    pub(crate) reported: bool,
}

impl CondError {
    pub(crate) fn missing(field: &str) -> CondError {
        CondError {
            field: field.to_string(),
            zh: format!("缺少“{field}”的值，无法判断条件（缺失不视为不满足）"),
            en: format!("`{field}` is missing, so the condition cannot be decided (a missing value is never taken as false)"),
            reported: false,
        }
    }

    fn failed(field: &str) -> CondError {
        CondError {
            reported: true,
            ..CondError::missing(field)
        }
    }

    fn kind(field: &str, want_zh: &str, want_en: &str) -> CondError {
        CondError {
            field: field.to_string(),
            zh: format!("“{field}”的值不是{want_zh}，无法判断条件"),
            en: format!("`{field}` is not {want_en}, so the condition cannot be decided"),
            reported: false,
        }
    }
}

/// A compiled formula with its names resolved (公式).
#[derive(Debug)]
pub(crate) struct CFormula {
    formula: Formula,
    slots: Vec<(String, Slot)>,
}

impl CFormula {
    pub(crate) fn compile(expr: &str, names: &Names) -> Result<CFormula, String> {
        let formula = Formula::compile(expr, &names.all).map_err(|e| e.message)?;
        let mut slots = Vec::new();
        for n in formula.names() {
            let slot = names
                .get(n)
                .ok_or_else(|| format!("未知名称 unknown name `{n}`"))?;
            slots.push((n.clone(), slot));
        }
        Ok(CFormula { formula, slots })
    }

    /// Slots read, for dependency ordering.
    pub(crate) fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        self.slots.iter().map(|(_, s)| *s)
    }

    /// Evaluate; a missing name is an error naming it.
    pub(crate) fn eval(&self, ctx: &Ctx) -> Result<FValue, CondError> {
        let mut vals = Vec::with_capacity(self.slots.len());
        for (name, slot) in &self.slots {
            let v = match ctx.get(*slot) {
                V::Missing => return Err(CondError::missing(name)),
                V::Failed => return Err(CondError::failed(name)),
                V::Num(d) => FValue::Num(d),
                V::Bool(b) => FValue::Bool(b),
                V::Text(t) => FValue::Text(t.to_string()),
                V::Date(d) => FValue::Text(d.to_string()),
                V::Series(_) | V::Ratings(_) => {
                    return Err(CondError::kind(name, "单个数值", "a single value"))
                }
            };
            vals.push((name.clone(), v));
        }
        self.formula.eval(&vals).map_err(|e| CondError {
            field: self
                .slots
                .first()
                .map(|(n, _)| n.clone())
                .unwrap_or_default(),
            zh: format!("公式计算失败：{e}"),
            en: format!("formula failed: {e}"),
            reported: false,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug)]
pub(crate) enum Rhs {
    Const(Decimal),
    Var(String, Slot),
}

/// A compiled condition.
#[derive(Debug)]
pub(crate) enum CCond {
    Cmp {
        name: String,
        var: Slot,
        op: Cmp,
        rhs: Rhs,
    },
    In {
        name: String,
        var: Slot,
        values: Vec<String>,
        negate: bool,
    },
    Truth {
        name: String,
        var: Slot,
        want: bool,
    },
    Presence {
        var: Slot,
        want: bool,
    },
    All(Vec<CCond>),
    Any(Vec<CCond>),
    Not(Box<CCond>),
    AtLeast {
        k: u32,
        of: Vec<CCond>,
        mandatory: Vec<CCond>,
    },
    Expr(Box<CFormula>),
}

fn resolve(names: &Names, n: &str) -> Result<Slot, String> {
    names.get(n).ok_or_else(|| {
        format!("条件引用了未声明的名称“{n}” / the condition names `{n}`, which is not declared")
    })
}

impl CCond {
    /// Compile a policy condition; exactly one form must be present.
    pub(crate) fn compile(c: &Cond, names: &Names) -> Result<CCond, String> {
        let list = |v: &Vec<Cond>| -> Result<Vec<CCond>, String> {
            v.iter().map(|c| CCond::compile(c, names)).collect()
        };
        let forms = [
            c.var.is_some(),
            c.all.is_some(),
            c.any.is_some(),
            c.not.is_some(),
            c.at_least.is_some(),
            c.expr.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if forms != 1 {
            return Err("条件须恰好使用一种形式 / a condition must use exactly one form".into());
        }
        if let Some(v) = &c.all {
            return Ok(CCond::All(list(v)?));
        }
        if let Some(v) = &c.any {
            return Ok(CCond::Any(list(v)?));
        }
        if let Some(n) = &c.not {
            return Ok(CCond::Not(Box::new(CCond::compile(n, names)?)));
        }
        if let Some(k) = c.at_least {
            let of = c.of.as_ref().map(list).transpose()?.unwrap_or_default();
            let mandatory = c
                .mandatory
                .as_ref()
                .map(list)
                .transpose()?
                .unwrap_or_default();
            return Ok(CCond::AtLeast { k, of, mandatory });
        }
        if let Some(e) = &c.expr {
            return Ok(CCond::Expr(Box::new(CFormula::compile(e, names)?)));
        }
        let name = c.var.clone().unwrap_or_default();
        let var = resolve(names, &name)?;
        let op =
            c.op.ok_or_else(|| format!("条件“{name}”缺少 op / condition on `{name}` has no op"))?;
        let cmp = |op: Cmp| -> Result<CCond, String> {
            let rhs = match (&c.value, &c.other) {
                (Some(v), None) => Rhs::Const(v.value()),
                (None, Some(o)) => Rhs::Var(o.clone(), resolve(names, o)?),
                _ => {
                    return Err(format!(
                        "比较“{name}”须给出 value 或 other 之一 / comparison on `{name}` needs exactly one of value, other"
                    ))
                }
            };
            Ok(CCond::Cmp {
                name: name.clone(),
                var,
                op,
                rhs,
            })
        };
        match op {
            Op::Lt => cmp(Cmp::Lt),
            Op::Le => cmp(Cmp::Le),
            Op::Gt => cmp(Cmp::Gt),
            Op::Ge => cmp(Cmp::Ge),
            Op::Eq => cmp(Cmp::Eq),
            Op::Ne => cmp(Cmp::Ne),
            Op::In | Op::NotIn => Ok(CCond::In {
                name: name.clone(),
                var,
                values: c.values.clone().unwrap_or_default(),
                negate: op == Op::NotIn,
            }),
            Op::IsTrue | Op::IsFalse => Ok(CCond::Truth {
                name: name.clone(),
                var,
                want: op == Op::IsTrue,
            }),
            Op::Present | Op::Missing => Ok(CCond::Presence {
                var,
                want: op == Op::Present,
            }),
        }
    }

    /// Every slot this condition reads (for dependency ordering).
    pub(crate) fn slots(&self, out: &mut Vec<Slot>) {
        match self {
            CCond::Cmp { var, rhs, .. } => {
                out.push(*var);
                if let Rhs::Var(_, s) = rhs {
                    out.push(*s);
                }
            }
            CCond::In { var, .. } | CCond::Truth { var, .. } | CCond::Presence { var, .. } => {
                out.push(*var)
            }
            CCond::All(v) | CCond::Any(v) => v.iter().for_each(|c| c.slots(out)),
            CCond::Not(c) => c.slots(out),
            CCond::AtLeast { of, mandatory, .. } => {
                of.iter().chain(mandatory).for_each(|c| c.slots(out))
            }
            CCond::Expr(f) => out.extend(f.slots()),
        }
    }

    /// Evaluate for one person.
    pub(crate) fn eval(&self, ctx: &Ctx) -> Result<bool, CondError> {
        match self {
            CCond::Presence { var, want } => {
                let present = !matches!(ctx.get(*var), V::Missing | V::Failed);
                Ok(present == *want)
            }
            CCond::Truth { name, var, want } => match ctx.get(*var) {
                V::Bool(b) => Ok(b == *want),
                V::Missing => Err(CondError::missing(name)),
                V::Failed => Err(CondError::failed(name)),
                _ => Err(CondError::kind(name, "是/否", "yes/no")),
            },
            CCond::In {
                name,
                var,
                values,
                negate,
            } => match ctx.get(*var) {
                V::Text(t) => {
                    let t = t.trim();
                    Ok(values.iter().any(|v| v.trim() == t) != *negate)
                }
                V::Missing => Err(CondError::missing(name)),
                V::Failed => Err(CondError::failed(name)),
                _ => Err(CondError::kind(name, "文本", "text")),
            },
            CCond::Cmp { name, var, op, rhs } => {
                let left = ctx.get(*var);
                let (rname, right) = match rhs {
                    Rhs::Const(d) => (name.as_str(), V::Num(*d)),
                    Rhs::Var(n, s) => (n.as_str(), ctx.get(*s)),
                };
                let ord = match (left, right) {
                    (V::Num(a), V::Num(b)) => a.cmp(&b),
                    (V::Date(a), V::Date(b)) => a.cmp(&b),
                    (V::Missing, _) => return Err(CondError::missing(name)),
                    (V::Failed, _) => return Err(CondError::failed(name)),
                    (_, V::Missing) => return Err(CondError::missing(rname)),
                    (_, V::Failed) => return Err(CondError::failed(rname)),
                    _ => return Err(CondError::kind(name, "可比较的数值", "a comparable number")),
                };
                use std::cmp::Ordering::*;
                Ok(match op {
                    Cmp::Lt => ord == Less,
                    Cmp::Le => ord != Greater,
                    Cmp::Gt => ord == Greater,
                    Cmp::Ge => ord != Less,
                    Cmp::Eq => ord == Equal,
                    Cmp::Ne => ord != Equal,
                })
            }
            CCond::All(v) => {
                for c in v {
                    if !c.eval(ctx)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            CCond::Any(v) => {
                for c in v {
                    if c.eval(ctx)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            CCond::Not(c) => Ok(!c.eval(ctx)?),
            CCond::AtLeast { k, of, mandatory } => {
                for c in mandatory {
                    if !c.eval(ctx)? {
                        return Ok(false);
                    }
                }
                let (mut yes, mut unknown, mut first_err) = (0u32, 0u32, None);
                for c in of {
                    match c.eval(ctx) {
                        Ok(true) => yes += 1,
                        Ok(false) => {}
                        Err(e) => {
                            unknown += 1;
                            first_err.get_or_insert(e);
                        }
                    }
                }
                if yes >= *k {
                    Ok(true)
                } else if yes + unknown >= *k {
                    Err(first_err.unwrap_or_else(|| CondError::missing("at_least")))
                } else {
                    Ok(false)
                }
            }
            CCond::Expr(f) => match f.eval(ctx)? {
                FValue::Bool(b) => Ok(b),
                _ => Err(CondError {
                    field: "expr".into(),
                    zh: "条件公式须返回是/否".into(),
                    en: "a condition formula must return yes/no".into(),
                    reported: false,
                }),
            },
        }
    }
}

impl CCond {
    /// The comparisons that hold for this person, as "名称 值 ≥ 名称 值" texts, for explaining
    /// an exemption with its numbers (e.g. 销售额 329 ≥ 销售任务 300). `label` turns an id into
    /// its display name; presence tests and failed comparisons are left out.
    pub(crate) fn holding(
        &self,
        ctx: &Ctx,
        label: &dyn Fn(&str) -> String,
        show: &dyn Fn(Decimal) -> String,
    ) -> Vec<String> {
        match self {
            CCond::Cmp { name, var, op, rhs } => {
                let V::Num(a) = ctx.get(*var) else {
                    return Vec::new();
                };
                let (b, b_text) = match rhs {
                    Rhs::Const(c) => (*c, show(*c)),
                    Rhs::Var(n, slot) => match ctx.get(*slot) {
                        V::Num(b) => (b, format!("{} {}", label(n), show(b))),
                        _ => return Vec::new(),
                    },
                };
                let (holds, sign) = match op {
                    Cmp::Lt => (a < b, "<"),
                    Cmp::Le => (a <= b, "≤"),
                    Cmp::Gt => (a > b, ">"),
                    Cmp::Ge => (a >= b, "≥"),
                    Cmp::Eq => (a == b, "="),
                    Cmp::Ne => (a != b, "≠"),
                };
                if holds {
                    vec![format!("{} {} {sign} {b_text}", label(name), show(a))]
                } else {
                    Vec::new()
                }
            }
            CCond::All(list) | CCond::Any(list) => list
                .iter()
                .flat_map(|c| c.holding(ctx, label, show))
                .collect(),
            _ => Vec::new(),
        }
    }
}
