//! Safe formula expressions (公式): being written. The API below is the contract.

use rust_decimal::Decimal;

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
}

impl Formula {
    /// Compile `expr`; every variable must be one of `known` (else an error naming it).
    pub fn compile(_expr: &str, _known: &[String]) -> Result<Formula, FormulaError> {
        Err(FormulaError { offset: None, message: "formulas not available yet".into() })
    }

    /// Names the formula reads.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Evaluate with the given values (each name it reads must be present).
    pub fn eval(&self, _values: &[(String, FValue)]) -> Result<FValue, String> {
        Err("formulas not available yet".into())
    }
}
