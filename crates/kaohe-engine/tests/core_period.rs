//! Period labels as people write them, and what is refused.

use kaohe_engine::data::Period;
use kaohe_policy::model::Cycle;

#[test]
fn months_in_the_usual_spellings() {
    for t in [
        "2025-05",
        "2025-5",
        "2025/05",
        "2025年5月",
        "202505",
        "２０２５-０５",
        "2025.5",
        "2025-05-01",
    ] {
        assert_eq!(
            Period::parse(t, Cycle::Monthly).map(|p| p.label),
            Some("2025-05".to_string()),
            "{t}"
        );
    }
}

#[test]
fn a_quarter_or_half_year_is_not_a_month() {
    // "2025-Q4" once parsed as April (the 4 of Q4): never guess a month.
    for t in [
        "2025-Q4",
        "2025-H2",
        "2025年第4季度",
        "May 2025",
        "2025-13",
        "12月",
    ] {
        assert_eq!(Period::parse(t, Cycle::Monthly), None, "{t}");
    }
    assert_eq!(
        Period::parse("2025-Q4", Cycle::Quarterly).map(|p| p.label),
        Some("2025-Q4".to_string())
    );
    assert_eq!(
        Period::parse("2025年第4季度", Cycle::Quarterly).map(|p| p.index),
        Some(2025 * 4 + 3)
    );
}
