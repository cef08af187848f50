//! Safe formula expressions (公式): `written * 0.4 + speech * 0.6`, `sales >= target`.
//!
//! A formula is compiled once with [rhai] as a single expression (no statements, no loops, no
//! functions of its own, no I/O, no print) and evaluated many times. Numbers are exact
//! [`Decimal`]s: with rhai's `no_float` + `decimal` features a literal such as `0.4` is read
//! as the decimal 0.4, never a binary float, so 80 × 0.4 + 65 × 0.6 is exactly 71 (P3.3(d)).
//! Every variable must be a declared name (strict variables): an unknown one is rejected at
//! compile time, naming it and its byte offset. Chinese identifiers are allowed. Depth and
//! operation limits keep a hostile expression from exhausting the stack or the CPU; division by
//! zero and overflow are errors, never panics. The few functions offered are `abs`, `min`, `max`.

use rhai::{Dynamic, Engine, Position, Scope, AST, INT};
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// A value a formula reads or returns.
#[derive(Clone, Debug, PartialEq)]
pub enum FValue {
    /// Exact number.
    Num(Decimal),
    /// Yes/no.
    Bool(bool),
    /// Text.
    Text(String),
}

/// A compile error with its byte offset in the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormulaError {
    /// Byte offset in the expression, if known.
    pub offset: Option<usize>,
    /// Message (Chinese / English).
    pub message: String,
}

/// A compiled formula: parsed once, evaluated many times, no I/O, bounded.
#[derive(Clone, Debug)]
pub struct Formula {
    names: Vec<String>,
    ast: AST,
}

/// Deepest nesting accepted (parentheses, operators); deeper is rejected at compile time.
const MAX_DEPTH: usize = 64;
/// Most operations one evaluation may take.
const MAX_OPERATIONS: u64 = 100_000;
/// Longest expression accepted, in bytes.
const MAX_LEN: usize = 4_000;
/// Functions a formula may call besides operators.
const FUNCTIONS: &[&str] = &["abs", "min", "max"];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        // `new_raw`: no standard packages, hence no print/debug/eval; operators are built in.
        let mut e = Engine::new_raw();
        e.set_strict_variables(true);
        e.set_max_expr_depths(MAX_DEPTH);
        e.set_max_operations(MAX_OPERATIONS);
        e.set_max_string_size(10_000);
        e.set_max_array_size(0);
        e.set_max_map_size(0);
        e.register_fn("abs", |a: Decimal| a.abs());
        e.register_fn("abs", |a: INT| Decimal::from(a).abs());
        e.register_fn("min", |a: Decimal, b: Decimal| a.min(b));
        e.register_fn("min", |a: Decimal, b: INT| a.min(Decimal::from(b)));
        e.register_fn("min", |a: INT, b: Decimal| Decimal::from(a).min(b));
        e.register_fn("min", |a: INT, b: INT| Decimal::from(a.min(b)));
        e.register_fn("max", |a: Decimal, b: Decimal| a.max(b));
        e.register_fn("max", |a: Decimal, b: INT| a.max(Decimal::from(b)));
        e.register_fn("max", |a: INT, b: Decimal| Decimal::from(a).max(b));
        e.register_fn("max", |a: INT, b: INT| Decimal::from(a.max(b)));
        e
    })
}

/// Byte offset of a rhai position (1-based line and character) in `expr`.
fn offset_of(expr: &str, pos: Position) -> Option<usize> {
    let line = pos.line()?;
    let col = pos.position().unwrap_or(1);
    let mut start = 0;
    for (i, l) in expr.split('\n').enumerate() {
        if i + 1 == line {
            let off = l
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(l.len(), |(o, _)| o);
            return Some(start + off);
        }
        start += l.len() + 1;
    }
    None
}

fn to_dynamic(v: &FValue) -> Dynamic {
    match v {
        FValue::Num(d) => Dynamic::from_decimal(*d),
        FValue::Bool(b) => Dynamic::from_bool(*b),
        FValue::Text(t) => Dynamic::from(t.clone()),
    }
}

impl Formula {
    /// Compile `expr`; every variable must be one of `known` (else an error naming it).
    pub fn compile(expr: &str, known: &[String]) -> Result<Formula, FormulaError> {
        if expr.trim().is_empty() {
            return Err(FormulaError {
                offset: Some(0),
                message: "公式为空 / the formula is empty".into(),
            });
        }
        if expr.len() > MAX_LEN {
            return Err(FormulaError {
                offset: Some(MAX_LEN),
                message: format!(
                    "公式过长（最多 {MAX_LEN} 字节）/ formula longer than {MAX_LEN} bytes"
                ),
            });
        }
        let mut scope = Scope::new();
        for k in known {
            scope.push_dynamic(k.as_str(), Dynamic::UNIT);
        }
        let ast = engine()
            .compile_expression_with_scope(&scope, expr)
            .map_err(|e| {
                let offset = offset_of(expr, e.1);
                let message = match e.0.as_ref() {
                    rhai::ParseErrorType::VariableUndefined(v) => format!(
                        "未声明的名称 `{v}`（位置 {}）/ undeclared name `{v}` at offset {}",
                        offset.unwrap_or(0),
                        offset.unwrap_or(0)
                    ),
                    rhai::ParseErrorType::ExprTooDeep => format!(
                        "公式嵌套过深（最多 {MAX_DEPTH} 层）/ formula nested too deeply (at most {MAX_DEPTH} levels)"
                    ),
                    other => format!("公式语法错误：{other} / formula syntax error: {other}"),
                };
                FormulaError { offset, message }
            })?;
        let mut names: Vec<String> = Vec::new();
        let mut bad_fn: Option<(String, Position)> = None;
        ast.walk(&mut |nodes| {
            match nodes.last() {
                Some(rhai::ASTNode::Expr(rhai::Expr::Variable(x, _, _))) => {
                    let n = x.1.to_string();
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
                // `x.len()`, `x.abs()`: method calls are not part of the language.
                Some(rhai::ASTNode::Expr(rhai::Expr::MethodCall(call, pos)))
                    if bad_fn.is_none() =>
                {
                    bad_fn = Some((format!(".{}", call.name), *pos));
                }
                Some(
                    rhai::ASTNode::Expr(rhai::Expr::FnCall(call, pos))
                    | rhai::ASTNode::Stmt(rhai::Stmt::FnCall(call, pos)),
                ) => {
                    let name = call.name.as_str();
                    let is_identifier = name
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_');
                    if is_identifier && !FUNCTIONS.contains(&name) && bad_fn.is_none() {
                        bad_fn = Some((name.to_string(), *pos));
                    }
                }
                _ => {}
            }
            true
        });
        if let Some((name, pos)) = bad_fn {
            return Err(FormulaError {
                offset: offset_of(expr, pos),
                message: format!(
                    "不支持的函数 `{name}`（只可用 abs、min、max）/ unsupported function `{name}` (only abs, min, max)"
                ),
            });
        }
        Ok(Formula { names, ast })
    }

    /// Names the formula reads.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Evaluate with the given values (each name it reads must be present).
    pub fn eval(&self, values: &[(String, FValue)]) -> Result<FValue, String> {
        let mut scope = Scope::new();
        for n in &self.names {
            let v = values
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v)
                .ok_or_else(|| format!("缺少 `{n}` 的值 / no value for `{n}`"))?;
            scope.push_dynamic(n.as_str(), to_dynamic(v));
        }
        let out = engine()
            .eval_ast_with_scope::<Dynamic>(&mut scope, &self.ast)
            .map_err(|e| match *e {
                rhai::EvalAltResult::ErrorArithmetic(ref m, _) if m.contains("zero") => {
                    format!("除以零 / division by zero ({m})")
                }
                rhai::EvalAltResult::ErrorArithmetic(ref m, _) => {
                    format!("算术错误 / arithmetic error: {m}")
                }
                rhai::EvalAltResult::ErrorTooManyOperations(_) => {
                    "公式计算步数超限 / formula exceeded its operation limit".to_string()
                }
                ref other => format!("公式计算错误 / formula evaluation error: {other}"),
            })?;
        if let Some(d) = out.clone().try_cast::<Decimal>() {
            return Ok(FValue::Num(d));
        }
        if let Some(i) = out.clone().try_cast::<INT>() {
            return Ok(FValue::Num(Decimal::from(i)));
        }
        if let Some(b) = out.clone().try_cast::<bool>() {
            return Ok(FValue::Bool(b));
        }
        if out.is_string() {
            return Ok(FValue::Text(out.to_string()));
        }
        Err(format!(
            "公式结果类型不支持：{} / unsupported result type: {}",
            out.type_name(),
            out.type_name()
        ))
    }
}
