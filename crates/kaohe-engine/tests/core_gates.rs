//! P3.3 gates: every gate fails independently and all failures are listed (P3 Decision);
//! exactly at a threshold (10 calls, 70 points) is not "below".

mod core_support;
use core_support::*;
use kaohe_engine::data::Value;
use kaohe_engine::result::Status;

const P3: &str = r#"
[[input]]
id = "attitude"
name = "培训期间态度散漫或违反公司制度"
type = "yes_no"
[[input]]
id = "late"
name = "迟到早退次数"
type = "integer"
[[input]]
id = "form_ok"
name = "反馈表按时完整上交"
type = "yes_no"
[[input]]
id = "written"
name = "笔试"
type = "decimal"
[[input]]
id = "speech"
name = "演讲"
type = "decimal"
[[input]]
id = "calls"
name = "每日电话量"
type = "series"
length = 5

[[indicator]]
id = "exam"
name = "考核成绩"
rule = "P3.3"
weighted = { parts = [{ indicator = "written_i", weight = 40 }, { indicator = "speech_i", weight = 60 }] }
[[indicator]]
id = "written_i"
name = "笔试"
value = { input = "written" }
[[indicator]]
id = "speech_i"
name = "演讲"
value = { input = "speech" }
[[indicator]]
id = "low_days"
name = "电话量不足天数"
count_below = { input = "calls", below = 10 }

[[gate]]
id = "a"
name = "态度散漫或违反公司制度"
rule = "P3.3(a)"
fails_when = { var = "attitude", op = "is_true" }
outcome = "fail"
[[gate]]
id = "b"
name = "迟到早退"
rule = "P3.3(b)"
fails_when = { var = "late", op = ">", value = 0 }
outcome = "fail"
[[gate]]
id = "c"
name = "反馈表未按时上交或不完整"
rule = "P3.3(c)"
fails_when = { var = "form_ok", op = "is_false" }
outcome = "fail"
[[gate]]
id = "d"
name = "考核成绩低于70分"
rule = "P3.3(d)"
fails_when = { var = "exam", op = "<", value = 70 }
outcome = "fail"
[[gate]]
id = "e"
name = "3天电话量不足10个"
rule = "P3.3(e)"
fails_when = { var = "low_days", op = ">=", value = 3 }
outcome = "fail"
"#;

fn series(v: &[&str]) -> Value {
    Value::Series(v.iter().map(|s| d(s)).collect())
}

fn row(att: bool, late: &str, form: bool, w: &str, s: &str, calls: &[&str]) -> kaohe_engine::Facts {
    facts(&[
        ("attitude", Value::Bool(att)),
        ("late", n(late)),
        ("form_ok", Value::Bool(form)),
        ("written", n(w)),
        ("speech", n(s)),
        ("calls", series(calls)),
    ])
}

#[test]
fn p3_3_every_failed_gate_is_listed() {
    // (a) attitude yes; (b) 1 late; (c) form no; (d) 50×0.4 + 60×0.6 = 56 < 70;
    // (e) calls 9, 9, 9, 10, 12 → 3 days below 10 → fails. All five listed.
    let p = policy(P3);
    let r = run(
        &p,
        &input(
            vec![person("1", "培训")],
            vec![(
                "1",
                row(true, "1", false, "50", "60", &["9", "9", "9", "10", "12"]),
            )],
        ),
    );
    let me = find(&r, "1");
    assert_eq!(me.status, Status::Failed);
    let ids: Vec<&str> = me.gates_failed.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(me.gates_failed[3].rule.as_deref(), Some("P3.3(d)"));
}

#[test]
fn p3_3_exactly_at_threshold_passes() {
    // (d) 70×0.4 + 70×0.6 = 70, not below 70; (e) 10, 10, 10, 9, 9 → only 2 days below 10.
    let p = policy(P3);
    let r = run(
        &p,
        &input(
            vec![person("1", "培训")],
            vec![(
                "1",
                row(false, "0", true, "70", "70", &["10", "10", "10", "9", "9"]),
            )],
        ),
    );
    let me = find(&r, "1");
    assert_eq!(ind(&r, "1", "exam"), Some(d("70")));
    assert_eq!(ind(&r, "1", "low_days"), Some(d("2")));
    assert!(me.gates_failed.is_empty());
    assert_eq!(me.status, Status::Passed);
}

#[test]
fn p3_3_single_gate_failure_and_missing_value_is_never_a_pass() {
    // (e) only: 9, 9, 9, 12, 12 → 3 days. Person 2 has no `late` value: not decided, NeedsData.
    let p = policy(P3);
    let mut f2 = row(
        false,
        "0",
        true,
        "80",
        "80",
        &["10", "10", "10", "10", "10"],
    );
    f2.values.remove("late");
    let r = run(
        &p,
        &input(
            vec![person("1", "培训"), person("2", "培训")],
            vec![
                (
                    "1",
                    row(false, "0", true, "80", "80", &["9", "9", "9", "12", "12"]),
                ),
                ("2", f2),
            ],
        ),
    );
    let ids: Vec<&str> = find(&r, "1")
        .gates_failed
        .iter()
        .map(|g| g.id.as_str())
        .collect();
    assert_eq!(ids, ["e"]);
    assert_eq!(find(&r, "2").status, Status::NeedsData);
    assert!(r
        .data_errors
        .iter()
        .any(|e| e.person == "2" && e.field == "late"));
}

#[test]
fn p3_2_first_warning_is_recorded_not_failed() {
    // P3.2 Decision: one recorded warning = under observation (a flag, still passing);
    // a second warning = no improvement → failed.
    let p = policy(
        r#"
[[input]]
id = "warnings"
name = "口头警告次数"
type = "integer"
[[gate]]
id = "second"
name = "第二次警告"
rule = "P3.2"
fails_when = { var = "warnings", op = ">=", value = 2 }
outcome = "fail"
[[gate]]
id = "first"
name = "首次警告并观察"
rule = "P3.2"
fails_when = { var = "warnings", op = "==", value = 1 }
outcome = "watch"
eliminates = false
"#,
    );
    let i = input(
        vec![person("a", "x"), person("b", "x"), person("c", "x")],
        vec![
            ("a", facts(&[("warnings", n("0"))])),
            ("b", facts(&[("warnings", n("1"))])),
            ("c", facts(&[("warnings", n("2"))])),
        ],
    );
    let r = run(&p, &i);
    assert_eq!(find(&r, "a").status, Status::Passed);
    let b = find(&r, "b");
    assert_eq!(b.status, Status::Passed);
    assert_eq!(b.gates_failed.len(), 1);
    assert!(b.gates_failed[0].zh.starts_with("记录"));
    assert_eq!(find(&r, "c").status, Status::Failed);
}
