//! Formulas (公式): exact decimals, declared names only, bounded, no panics.

use kaohe_policy::formula::{FValue, Formula};
use rust_decimal::Decimal;
use std::str::FromStr;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn num(s: &str) -> FValue {
    FValue::Num(Decimal::from_str(s).unwrap_or_default())
}

#[test]
fn p3_3d_written_and_speech_is_exactly_71() {
    // P3.3(d): written test 40 % + speech 60 %: 80 × 0.4 + 65 × 0.6 = 32 + 39 = 71, exactly.
    let f = Formula::compile(
        "written * 0.4 + speech * 0.6",
        &names(&["written", "speech", "other"]),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(f.names(), ["written", "speech"]);
    let v = f
        .eval(&[("written".into(), num("80")), ("speech".into(), num("65"))])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, FValue::Num(Decimal::from(71)));
    // 69.99… must not pass as 70: 0.1 + 0.2 is exactly 0.3 here, unlike in binary floats.
    let g = Formula::compile("a + 0.2 == 0.3", &names(&["a"])).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(g.eval(&[("a".into(), num("0.1"))]), Ok(FValue::Bool(true)));
}

#[test]
fn boolean_expression_with_chinese_names() {
    // P3.3(d) as a gate: below 70 fails; exactly 70 is not below.
    let f = Formula::compile("笔试 * 0.4 + 演讲 * 0.6 < 70", &names(&["笔试", "演讲"]))
        .unwrap_or_else(|e| panic!("{e:?}"));
    // 70 × 0.4 + 70 × 0.6 = 70 → not below.
    assert_eq!(
        f.eval(&[("笔试".into(), num("70")), ("演讲".into(), num("70"))]),
        Ok(FValue::Bool(false))
    );
    // 60 × 0.4 + 75 × 0.6 = 24 + 45 = 69 → below.
    assert_eq!(
        f.eval(&[("笔试".into(), num("60")), ("演讲".into(), num("75"))]),
        Ok(FValue::Bool(true))
    );
}

#[test]
fn unknown_variable_is_named_with_offset() {
    let e = Formula::compile(
        "written * 0.4 + speach * 0.6",
        &names(&["written", "speech"]),
    )
    .err()
    .unwrap_or_else(|| panic!("must fail"));
    assert!(e.message.contains("speach"), "{e:?}");
    assert_eq!(e.offset, Some(16), "`speach` starts at byte 16");
}

#[test]
fn division_by_zero_is_an_error() {
    let f = Formula::compile("sales / target", &names(&["sales", "target"]))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let r = f.eval(&[("sales".into(), num("5")), ("target".into(), num("0"))]);
    assert!(r.is_err_and(|m| m.contains("division by zero")));
}

#[test]
fn overflow_is_an_error() {
    let f = Formula::compile("a * a * a", &names(&["a"])).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(f
        .eval(&[("a".into(), num("79228162514264337593543950335"))])
        .is_err());
}

#[test]
fn deep_nesting_is_rejected() {
    let deep = format!("{}1{}", "(".repeat(1500), ")".repeat(1500));
    assert!(Formula::compile(&deep, &[]).is_err());
    let deep = "-".repeat(3000) + "1";
    assert!(Formula::compile(&deep, &[]).is_err());
}

#[test]
fn no_print_no_statements_no_unknown_functions() {
    for bad in [
        "print(1)",
        "let x = 1; x",
        "a = 3",
        "eval(\"1\")",
        "",
        "1 +",
    ] {
        assert!(
            Formula::compile(bad, &names(&["a"])).is_err(),
            "{bad} must be rejected"
        );
    }
}

#[test]
fn functions_and_missing_values() {
    let f = Formula::compile("min(a, 70) + abs(b)", &names(&["a", "b"]))
        .unwrap_or_else(|e| panic!("{e:?}"));
    // min(85, 70) + |−4| = 70 + 4 = 74.
    assert_eq!(
        f.eval(&[("a".into(), num("85")), ("b".into(), num("-4"))]),
        Ok(num("74"))
    );
    assert!(f.eval(&[("a".into(), num("85"))]).is_err(), "b missing");
}
