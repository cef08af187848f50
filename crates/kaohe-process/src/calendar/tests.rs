//! Hand-worked working-day tests around Spring Festival and National Day make-up days.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> Calendar {
    Calendar::builtin().unwrap()
}

#[test]
fn builtin_years_parse() {
    assert_eq!(cal().years(), vec![2023, 2024, 2025, 2026]);
}

#[test]
fn spring_festival_2026_days() {
    let c = cal();
    // Feb 13 Fri normal; Feb 14 Sat make-up workday; Feb 15 Sun – Feb 23 Mon holiday;
    // Feb 24 Tue back; Feb 28 Sat make-up; Mar 1 Sun weekend.
    for (day, working) in [
        ("2026-02-13", true),
        ("2026-02-14", true),
        ("2026-02-15", false),
        ("2026-02-16", false),
        ("2026-02-23", false),
        ("2026-02-24", true),
        ("2026-02-28", true),
        ("2026-03-01", false),
        ("2026-01-04", true),  // Sunday make-up for 元旦
        ("2026-01-02", false), // Friday in the 元旦 break
    ] {
        assert_eq!(c.is_working_day(d(day)), Ok(working), "{day}");
    }
}

#[test]
fn p4_9_deadlines_for_january_2026() {
    let c = cal();
    // Cycle ends Sat 2026-01-31. Working days after it: Feb 2–6 (1–5), Feb 9–13 (6–10),
    // Sat Feb 14 make-up (11), Feb 15–23 off, Feb 24 (12), 25 (13), 26 (14), 27 (15).
    assert_eq!(c.add_working_days(d("2026-01-31"), 10), Ok(d("2026-02-13")));
    assert_eq!(c.add_working_days(d("2026-01-31"), 15), Ok(d("2026-02-27")));
    assert_eq!(
        c.working_days_between(d("2026-01-31"), d("2026-02-27")),
        Ok(15)
    );
    // From Fri Feb 13: Sat 14 (1), Tue 24 (2), Wed 25 (3).
    assert_eq!(c.add_working_days(d("2026-02-13"), 3), Ok(d("2026-02-25")));
    assert_eq!(c.add_working_days(d("2026-02-14"), 1), Ok(d("2026-02-24")));
    assert_eq!(c.add_working_days(d("2026-02-14"), 0), Ok(d("2026-02-14")));
}

#[test]
fn p4_10_appeal_window_over_national_day_2026() {
    let c = cal();
    // Published Wed 2026-09-30; Oct 1–7 off; Thu Oct 8 (1), Fri Oct 9 (2), Sat Oct 10
    // make-up (3): the 3-working-day window ends on Saturday 2026-10-10.
    assert_eq!(c.add_working_days(d("2026-09-30"), 3), Ok(d("2026-10-10")));
    // September 2026: 22 weekdays (Tue 1 … Wed 30), minus Fri 25 (中秋) plus Sun 20 (make-up).
    assert_eq!(
        c.working_days_between(d("2026-08-31"), d("2026-09-30")),
        Ok(22)
    );
    assert_eq!(c.is_working_day(d("2026-09-20")), Ok(true));
    assert_eq!(c.is_working_day(d("2026-09-25")), Ok(false));
}

#[test]
fn spring_festival_2025_and_national_day_2024() {
    let c = cal();
    // 2025: Sun Jan 26 make-up; Jan 28 – Feb 4 off; Sat Feb 8 make-up.
    assert_eq!(c.add_working_days(d("2025-01-24"), 1), Ok(d("2025-01-26")));
    assert_eq!(c.add_working_days(d("2025-01-26"), 1), Ok(d("2025-01-27")));
    assert_eq!(c.add_working_days(d("2025-01-27"), 1), Ok(d("2025-02-05")));
    // 2024: Sun Sep 29 make-up, Oct 1–7 off, Sat Oct 12 make-up. From Fri Sep 27:
    // Sep 29 (1), Sep 30 (2), Oct 8 (3), 9 (4), 10 (5), 11 (6), Sat 12 (7).
    assert_eq!(c.add_working_days(d("2024-09-27"), 7), Ok(d("2024-10-12")));
    assert_eq!(
        c.working_days_between(d("2024-09-27"), d("2024-10-12")),
        Ok(7)
    );
}

#[test]
fn unloaded_year_is_an_error_not_a_guess() {
    let c = cal();
    assert_eq!(
        c.is_working_day(d("2022-06-01")),
        Err(CalendarError::YearNotLoaded(2022))
    );
    // Thu 2026-12-31 is day 1; the next step needs 2027.
    assert_eq!(
        c.add_working_days(d("2026-12-30"), 2),
        Err(CalendarError::YearNotLoaded(2027))
    );
    assert!(Calendar::empty().is_working_day(d("2026-03-02")).is_err());
    let msg = CalendarError::YearNotLoaded(2027).to_string();
    assert!(msg.contains("2027年") && msg.contains("no holiday data loaded for 2027"));
}

#[test]
fn admin_adds_a_year() {
    let text = r#"
year = 2027
source = "test"
[[holiday]]
name = "元旦"
from = 2027-01-01
to = "2027-01-01"
"#;
    let c = cal().with_year(YearData::parse("cn-2027.toml", text).unwrap());
    // Fri 2027-01-01 off; Mon Jan 4 working.
    assert_eq!(c.is_working_day(d("2027-01-01")), Ok(false));
    assert_eq!(c.add_working_days(d("2026-12-30"), 2), Ok(d("2027-01-04")));
}

#[test]
fn invalid_year_files_are_rejected_with_reasons() {
    let cases = [
        // make-up workday on a weekday (Wed 2026-01-07)
        (
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\nfrom = \"2026-01-01\"\nto = \"2026-01-01\"\nworkdays = [\"2026-01-07\"]\n",
            "not a Saturday or Sunday",
        ),
        (
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\nfrom = \"2025-12-31\"\nto = \"2026-01-01\"\n",
            "is not in 2026",
        ),
        (
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\nfrom = \"2026-13-01\"\nto = \"2026-01-01\"\n",
            "is not a YYYY-MM-DD date",
        ),
        (
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\nfrom = \"2026-01-05\"\nto = \"2026-01-01\"\n",
            "before it starts",
        ),
        (
            "year = 2026\nsource = \"x\"\n[[holiday]]\nname = \"a\"\nfrom = \"2026-01-03\"\nto = \"2026-01-04\"\nworkdays = [\"2026-01-04\"]\n",
            "both a holiday and a make-up workday",
        ),
        ("year = 2026\n", "not valid TOML"),
    ];
    for (text, want) in cases {
        let err = YearData::parse("t.toml", text).unwrap_err().to_string();
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn calendar_days_and_past() {
    assert_eq!(add_calendar_days(d("2026-02-27"), 7), Ok(d("2026-03-06")));
    assert!(!is_past(d("2026-02-27"), d("2026-02-27")));
    assert!(is_past(d("2026-02-27"), d("2026-02-28")));
}
