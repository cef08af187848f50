//! Regression tests from breaking the policy loader (helper X): a blank `""` for a whole-number
//! key such as `line.bottom` is "required parameter left blank" at its position (not a serde
//! type error), and a method call in a formula (`units.len()`) is rejected at load instead of
//! leaving every person without a value at run time.

use kaohe_policy::formula::Formula;
use kaohe_policy::load_str;

const BASE: &str = include_str!("fixtures/base.toml");

#[test]
fn blank_bottom_is_a_required_parameter_left_blank() {
    let text = BASE.replacen("bottom = 1", "bottom = \"\"", 1);
    assert_ne!(text, BASE);
    let errs = match load_str(&text, "t.toml") {
        Ok(_) => panic!("blank bottom accepted"),
        Err(e) => e,
    };
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = &errs[0];
    // Line 61 of base.toml is `bottom = 1`; the value starts at column 10.
    assert_eq!((e.line, e.column), (61, 10));
    assert_eq!(e.zh, "必填参数为空");
    assert_eq!(e.en, "required parameter left blank");
    assert!(e.hint.is_some());
}

#[test]
fn method_calls_in_formulas_are_rejected() {
    let known = vec!["units".to_string()];
    for expr in ["units.len()", "units.abs()", "abs(units).len()"] {
        let err = match Formula::compile(expr, &known) {
            Ok(_) => panic!("`{expr}` compiled"),
            Err(e) => e,
        };
        assert!(
            err.message.contains("unsupported function"),
            "{expr}: {}",
            err.message
        );
        assert!(err.offset.is_some(), "{expr}");
    }
    // The allowed functions still compile.
    assert!(Formula::compile("abs(units) + max(units, 1)", &known).is_ok());
}
