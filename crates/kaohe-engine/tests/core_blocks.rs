//! Building blocks with hand-worked values: P2.2–P2.5, P4.2, P4.4, P4.5, P4.7, P7.3, X2.

mod core_support;
use core_support::*;
use kaohe_engine::data::{Rating, Value};
use kaohe_engine::display::show;
use kaohe_engine::result::Status;

const P2: &str = r#"
[[input]]
id = "daily"
name = "日常工作"
type = "decimal"
[[input]]
id = "violations"
name = "违规次数"
type = "integer"
[[input]]
id = "units"
name = "销售套数"
type = "decimal"
[[input]]
id = "coop"
name = "合作套数"
type = "decimal"

[[indicator]]
id = "work"
name = "日常工作"
rule = "P2.2"
rated = { input = "daily", min = 0, max = 10 }
[[indicator]]
id = "attendance"
name = "日常考勤"
rule = "P2.3"
deduct = { input = "violations", start = 10, per = 2 }
[[indicator]]
id = "sales"
name = "销售情况"
rule = "P2.4"
per_unit = { input = "units", points = 10, shared_input = "coop", shared_points = 5 }
[[indicator]]
id = "total"
name = "合计"
rule = "P2.5"
sum = { parts = ["work", "attendance", "sales"] }

[ranking]
by = "total"
"#;

fn p2_facts(daily: &str, violations: &str, units: &str, coop: &str) -> kaohe_engine::Facts {
    facts(&[
        ("daily", n(daily)),
        ("violations", n(violations)),
        ("units", n(units)),
        ("coop", n(coop)),
    ])
}

#[test]
fn p2_3_seven_violations_score_minus_four() {
    // P2.3: 10 − 2 × 7 = −4, no lower bound.
    let p = policy(P2);
    let r = run(
        &p,
        &input(
            vec![person("1", "A")],
            vec![("1", p2_facts("8", "7", "0", "0"))],
        ),
    );
    assert_eq!(ind(&r, "1", "attendance"), Some(d("-4")));
    let ex = &find(&r, "1")
        .indicators
        .iter()
        .find(|i| i.id == "attendance")
        .unwrap()
        .explanation;
    assert!(ex.zh.contains("10 − 2 × 7 = -4"), "{}", ex.zh);
    assert!(ex.zh.contains("扣分无下限"));
}

#[test]
fn p2_2_rating_out_of_range_is_a_data_error_not_clamped() {
    // P2.2: the manager's score is 0–10; 11 is an input error, never clamped to 10.
    let p = policy(P2);
    let r = run(
        &p,
        &input(
            vec![person("1", "A")],
            vec![("1", p2_facts("11", "0", "0", "0"))],
        ),
    );
    assert_eq!(ind(&r, "1", "work"), None);
    assert_eq!(find(&r, "1").status, Status::NeedsData);
    assert!(r
        .data_errors
        .iter()
        .any(|e| e.person == "1" && e.field == "daily"));
}

#[test]
fn p2_4_and_p2_5_sales_and_total_with_typed_total_check() {
    // P2.4: 2 units alone = 20, one co-operative deal = 5 to each participant → 25.
    // P2.5: total = 8 + (10 − 2×1 = 8) + 25 = 41. The sheet says 40: reported, never trusted (P2.7).
    let p = policy(P2);
    let mut f1 = p2_facts("8", "1", "2", "1");
    f1.typed_total = Some(d("40"));
    let f2 = p2_facts("9", "0", "0", "1"); // partner in the same deal: 5 points
    let r = run(
        &p,
        &input(
            vec![person("1", "A"), person("2", "A")],
            vec![("1", f1), ("2", f2)],
        ),
    );
    assert_eq!(ind(&r, "1", "sales"), Some(d("25")));
    assert_eq!(ind(&r, "2", "sales"), Some(d("5")));
    assert_eq!(find(&r, "1").score, Some(d("41")));
    assert_eq!(find(&r, "1").typed_total_mismatch, Some(d("40")));
    // 2: 9 + 10 + 5 = 24
    assert_eq!(find(&r, "2").score, Some(d("24")));
    assert_eq!(find(&r, "2").typed_total_mismatch, None);
    assert_eq!(find(&r, "1").rank, Some(1));
}

const P4: &str = r#"
[[input]]
id = "sold"
name = "销售额"
type = "decimal"
[[input]]
id = "target"
name = "销售目标"
type = "decimal"
[[input]]
id = "visits"
name = "拜访次数"
type = "integer"
[[input]]
id = "visits_req"
name = "应拜访次数"
type = "integer"
[[input]]
id = "share"
name = "大额消费占比"
type = "percent"

[[indicator]]
id = "sales"
name = "销售完成"
rule = "P4.4"
ratio = { actual = "sold", target = "target", weight = 70, cap = 70 }
[[indicator]]
id = "daily"
name = "日常工作"
rule = "P4.5"
ratio = { actual = "visits", target = "visits_req", weight = 15, cap = 15, zero_below = 0.6 }
[[indicator]]
id = "consumption"
name = "大额消费"
rule = "P4.7"
band = { input = "share", points = 15, full_up_to = 0.3, zero_above = 0.5 }
[[indicator]]
id = "total"
name = "总分"
rule = "P4.2"
sum = { parts = ["sales", "daily", "consumption"] }

[ranking]
by = "total"
group_by = ["branch"]
"#;

fn p4(sold: &str, target: &str, visits: &str, req: &str, share: &str) -> kaohe_engine::Facts {
    facts(&[
        ("sold", n(sold)),
        ("target", n(target)),
        ("visits", n(visits)),
        ("visits_req", n(req)),
        ("share", n(share)),
    ])
}

fn p4_run(rows: Vec<(&str, kaohe_engine::Facts)>) -> kaohe_engine::PeriodResult {
    let p = policy(P4);
    let people = rows.iter().map(|(id, _)| person(id, "北京")).collect();
    run(&p, &input(people, rows))
}

#[test]
fn p4_2_total_of_seventy_fifteen_fifteen() {
    // P4.2: 70 × 80/100 = 56; 15 × 20/20 = 15; share 0.2 ≤ 0.3 → 15; total 86 of 100.
    let r = p4_run(vec![("1", p4("80", "100", "20", "20", "0.2"))]);
    assert_eq!(find(&r, "1").score, Some(d("86")));
}

#[test]
fn p4_4_cap_at_seventy_and_zero_target_is_an_error() {
    // P4.4: 70 × 150/100 = 105 → capped at 70. Target 0 → data error, not a division by zero.
    let r = p4_run(vec![
        ("1", p4("150", "100", "20", "20", "0.2")),
        ("2", p4("50", "0", "20", "20", "0.2")),
    ]);
    assert_eq!(ind(&r, "1", "sales"), Some(d("70")));
    assert_eq!(ind(&r, "2", "sales"), None);
    assert_eq!(find(&r, "2").status, Status::NeedsData);
    assert!(r
        .data_errors
        .iter()
        .any(|e| e.person == "2" && e.field == "target"));
}

#[test]
fn p4_4_missing_required_target_is_an_error() {
    let f = facts(&[
        ("sold", n("80")),
        ("visits", n("20")),
        ("visits_req", n("20")),
        ("share", n("0.2")),
    ]);
    let r = p4_run(vec![("1", f)]);
    assert_eq!(find(&r, "1").status, Status::NeedsData);
    assert!(r.data_errors.iter().any(|e| e.field == "target"));
}

#[test]
fn p4_5_exactly_sixty_percent_is_not_below() {
    // P4.5: 12/20 = 60% exactly → 15 × 12/20 = 9; 11/20 = 55% < 60% → 0; 25/20 → 18.75 capped 15.
    let r = p4_run(vec![
        ("1", p4("100", "100", "12", "20", "0.2")),
        ("2", p4("100", "100", "11", "20", "0.2")),
        ("3", p4("100", "100", "25", "20", "0.2")),
    ]);
    assert_eq!(ind(&r, "1", "daily"), Some(d("9")));
    assert_eq!(ind(&r, "2", "daily"), Some(d("0")));
    assert_eq!(ind(&r, "3", "daily"), Some(d("15")));
}

#[test]
fn p4_7_linear_band() {
    // P4.7: full 15 up to 0.3, 0 above 0.5: share 0.4 → 15 × (0.5 − 0.4)/(0.5 − 0.3) = 7.5;
    // 0.3 → 15 (at the limit is full); 0.5 → 0 by the line; 0.51 → 0.
    let r = p4_run(vec![
        ("1", p4("100", "100", "20", "20", "0.4")),
        ("2", p4("100", "100", "20", "20", "0.3")),
        ("3", p4("100", "100", "20", "20", "0.5")),
        ("4", p4("100", "100", "20", "20", "0.51")),
    ]);
    assert_eq!(ind(&r, "1", "consumption"), Some(d("7.5")));
    assert_eq!(ind(&r, "2", "consumption"), Some(d("15")));
    assert_eq!(ind(&r, "3", "consumption"), Some(d("0")));
    assert_eq!(ind(&r, "4", "consumption"), Some(d("0")));
}

const P7: &str = r#"
[[input]]
id = "ratings"
name = "评分"
type = "ratings"
required = false

[[indicator]]
id = "score"
name = "综合评分"
rule = "P7.3"
raters = { input = "ratings", normalise = true, groups = [
  { group = "同事", weight = 30, order = 1 },
  { group = "部门负责人", weight = 40, order = 2 },
  { group = "副总", weight = 40, order = 3 },
] }

[ranking]
by = "score"
"#;

fn ratings(list: &[(&str, &str)]) -> Value {
    Value::Ratings(
        list.iter()
            .enumerate()
            .map(|(i, (g, s))| Rating {
                rater: format!("r{i}"),
                group: g.to_string(),
                score: d(s),
            })
            .collect(),
    )
}

#[test]
fn p7_3_normalised_thirds_of_elevenths_are_exactly_equal() {
    // P7.3: 30:40:40 normalised by 110.
    // A: peers 80, 80, 81 (avg 241/3), head 91, deputy GM 70:
    //    (30 × 241/3 + 40 × 91 + 40 × 70) / 110 = (2410 + 3640 + 2800) / 110 = 8850/110 = 885/11.
    // B: the same ratings in another order.
    // C: peer 85, head 90, deputy 67.5: (2550 + 3600 + 2700) / 110 = 8850/110 = 885/11.
    // All three are mathematically 80.4545…; X2 requires them to compare (and serialize) equal.
    let p = policy(P7);
    let a = ratings(&[
        ("同事", "80"),
        ("同事", "80"),
        ("同事", "81"),
        ("部门负责人", "91"),
        ("副总", "70"),
    ]);
    let b = ratings(&[
        ("副总", "70"),
        ("同事", "81"),
        ("部门负责人", "91"),
        ("同事", "80"),
        ("同事", "80"),
    ]);
    let c = ratings(&[("同事", "85"), ("部门负责人", "90"), ("副总", "67.5")]);
    let r = run(
        &p,
        &input(
            vec![person("a", "X"), person("b", "X"), person("c", "X")],
            vec![
                ("a", facts(&[("ratings", a)])),
                ("b", facts(&[("ratings", b)])),
                ("c", facts(&[("ratings", c)])),
            ],
        ),
    );
    let sa = find(&r, "a").score.unwrap();
    let sb = find(&r, "b").score.unwrap();
    let sc = find(&r, "c").score.unwrap();
    assert_eq!(sa.serialize(), sb.serialize());
    assert_eq!(sa.serialize(), sc.serialize());
    assert_eq!(show(sa, 2), "80.45");
    // Equal exactly → one shared rank.
    assert!(r.people.iter().all(|p| p.rank == Some(1)));
}

#[test]
fn p7_3_missing_required_rater_group_is_an_error() {
    let p = policy(P7);
    let a = ratings(&[("同事", "80"), ("部门负责人", "91")]);
    let r = run(
        &p,
        &input(
            vec![person("a", "X")],
            vec![("a", facts(&[("ratings", a)]))],
        ),
    );
    assert_eq!(find(&r, "a").status, Status::NeedsData);
    assert!(r.data_errors[0].zh.contains("副总"));
}

#[test]
fn x2_score_shown_half_up() {
    // X2: 90.585 is kept exactly and shows as 90.59 (banker's rounding would give 90.58).
    let p = simple("");
    let r = run(
        &p,
        &input(
            vec![person("1", "A")],
            vec![("1", facts(&[("s", n("90.585"))]))],
        ),
    );
    let s = find(&r, "1").score.unwrap();
    assert_eq!(s, d("90.585"));
    assert_eq!(show(s, 2), "90.59");
    assert!(find(&r, "1").indicators[0].explanation.zh.contains("90.59"));
}

#[test]
fn p2_4_blank_optional_shared_deals_count_as_zero_and_say_so() {
    // 3 units alone, shared-deals cell blank (optional input): 10 × 3 + 5 × 0 = 30, and the
    // explanation says the blank was counted as 0.
    let p = policy(
        r#"
[[input]]
id = "units"
name = "成交套数"
type = "integer"
[[input]]
id = "coop"
name = "合作成交"
type = "integer"
required = false
[[indicator]]
id = "sales"
name = "销售情况"
per_unit = { input = "units", points = 10, shared_input = "coop", shared_points = 5 }
[ranking]
by = "sales"
"#,
    );
    let i = input(
        vec![person("a", "x"), person("b", "x")],
        vec![
            ("a", facts(&[("units", n("3"))])),
            ("b", facts(&[("units", n("1")), ("coop", n("2"))])),
        ],
    );
    let r = run(&p, &i);
    let a = find(&r, "a");
    assert_eq!(a.score, Some(d("30")));
    assert!(
        a.indicators[0].explanation.zh.contains("按0计"),
        "{}",
        a.indicators[0].explanation.zh
    );
    // b: 10 × 1 + 5 × 2 = 20
    assert_eq!(find(&r, "b").score, Some(d("20")));
}
