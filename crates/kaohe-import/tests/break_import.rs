//! Regression tests from breaking the importer with hostile files (helper X): a CSV row with
//! more fields than its header (an unquoted `1,234`) must be an error naming the cell, never
//! read shifted; a range message with only a lower bound must say `≥ 0`, not `0 ~ `.

mod common;

use common::{policy, roster};
use kaohe_import::{parse_facts, parse_roster, ImportError};

fn errors(bytes: &[u8], file: &str) -> Vec<ImportError> {
    match parse_facts(bytes, file, &policy(), &roster(), None) {
        Ok(_) => panic!("{file} should be refused"),
        Err(e) => e.0,
    }
}

#[test]
fn unquoted_thousands_comma_in_csv_is_an_error_not_a_shift() {
    // Header has 5 fields; row 3 writes 销售额 as 1,234 without quotes, so it has 6 fields:
    // 日常考勤=8, 销售额=1, 套数=234 (!), and "1" spills into F. Before the fix this row was
    // read as sales 1 and units 234 with no message.
    let csv = "工号,月份,日常考勤,销售额,套数\nE001,2024-05,8,10,1\nE002,2024-05,8,1,234,1\n";
    let errs = errors(csv.as_bytes(), "f.csv");
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = &errs[0];
    assert_eq!(e.row, Some(3));
    assert_eq!(e.column.as_deref(), Some("F"));
    assert_eq!(e.value.as_deref(), Some("1"));
    assert!(e.expected_en.contains("6 fields"), "{}", e.expected_en);
    assert!(e.expected_zh.contains("1,234"), "{}", e.expected_zh);
}

#[test]
fn trailing_empty_fields_in_csv_are_fine() {
    // Excel often writes trailing commas; empty extra fields are no shift.
    let csv = "工号,月份,日常考勤,销售额,套数\nE001,2024-05,8,10,1,,\n";
    let facts = parse_facts(csv.as_bytes(), "f.csv", &policy(), &roster(), None);
    assert!(facts.is_ok(), "{:?}", facts.err());
}

#[test]
fn roster_row_longer_than_header_is_an_error() {
    let csv = "工号,姓名,部门\nE001,张三,销售部\nE002,李四,销售,部\n";
    let errs = match parse_roster(csv.as_bytes(), "r.csv") {
        Ok(_) => panic!("shifted roster row accepted"),
        Err(e) => e.0,
    };
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].row, Some(3));
    assert_eq!(errs[0].column.as_deref(), Some("D"));
}

#[test]
fn lower_bound_only_range_message() {
    // 销售额 has no min in the test policy; 日常考勤 has min 0 and max 10 → "0 ~ 10".
    let csv = "工号,月份,日常考勤,销售额,套数\nE001,2024-05,11,10,1\n";
    let errs = errors(csv.as_bytes(), "f.csv");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].expected_en.contains("expected 0 ~ 10"),
        "{}",
        errs[0].expected_en
    );

    // Now give 销售额 only a lower bound: -5 must say "≥ 0" (before: "0 ~ " with a blank).
    let text = common::POLICY.replace(
        "headers = [\"销售额\", \"回款\"]",
        "headers = [\"销售额\", \"回款\"]\nmin = 0",
    );
    assert_ne!(text, common::POLICY);
    let pol = kaohe_policy::load_str(&text, "p.toml").unwrap_or_else(|e| panic!("{e:?}"));
    let csv = "工号,月份,日常考勤,销售额,套数\nE001,2024-05,1,-5,1\n";
    let errs = match parse_facts(csv.as_bytes(), "f.csv", &pol, &roster(), None) {
        Ok(_) => panic!("-5 accepted"),
        Err(e) => e.0,
    };
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].expected_en.ends_with("expected ≥ 0"),
        "{}",
        errs[0].expected_en
    );
    assert!(
        errs[0].expected_zh.ends_with("应为 ≥ 0"),
        "{}",
        errs[0].expected_zh
    );
}

#[test]
fn two_columns_for_one_input_is_an_error_not_a_choice() {
    // 日常工作 and 日常考勤 are both headers of the same input. Before the fix the first column
    // was used silently; now both are named and the sheet is refused.
    let csv = "工号,月份,日常工作,日常考勤,销售额,套数\nE001,2024-05,8,9,10,1\n";
    let errs = errors(csv.as_bytes(), "f.csv");
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = &errs[0];
    assert!(
        e.expected_zh.contains("C列「日常工作」和D列「日常考勤」"),
        "{}",
        e.expected_zh
    );
    assert!(
        e.expected_en.contains("remove or rename"),
        "{}",
        e.expected_en
    );
}
