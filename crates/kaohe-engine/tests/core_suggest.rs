//! P1.5 feedback suggestions: the indicators furthest below the group average, with their text,
//! and the same result with explanations on and off (the bulk mode only drops explanations).

mod core_support;
use core_support::*;
use kaohe_engine::{Engine, History};

const POLICY: &str = r#"
[[input]]
id = "a"
name = "甲"
type = "decimal"
[[input]]
id = "b"
name = "乙"
type = "decimal"
[[indicator]]
id = "ia"
name = "甲分"
name_en = "A points"
value = { input = "a" }
[[indicator]]
id = "ib"
name = "乙分"
value = { input = "b" }
[[indicator]]
id = "total"
name = "总分"
sum = { parts = ["ia", "ib"] }
[ranking]
by = "total"
order = "desc"
group_by = ["branch"]
"#;

fn month() -> kaohe_engine::data::PeriodInput {
    input(
        vec![person("x", "B1"), person("y", "B1"), person("z", "B1")],
        vec![
            ("x", facts(&[("a", n("10")), ("b", n("1"))])),
            ("y", facts(&[("a", n("20")), ("b", n("2"))])),
            ("z", facts(&[("a", n("30.5")), ("b", n("3"))])),
        ],
    )
}

/// P1.5: averages are ia (10 + 20 + 30.5) / 3 = 20.1666…, ib (1 + 2 + 3) / 3 = 2.
/// x: ia gap 10 − 20.1666… = −10.1666… (shown 10.17), ib gap 1 − 2 = −1; both below, the
/// furthest first. z is above on both and gets none.
#[test]
fn p1_5_suggestions_name_the_furthest_below_average_with_text() {
    let p = policy(POLICY);
    let r = run(&p, &month());
    let x = find(&r, "x");
    assert_eq!(x.suggestions.len(), 2);
    assert_eq!(x.suggestions[0].indicator, "ia");
    assert_eq!(x.suggestions[0].zh, "“甲分”比组内平均低10.17，建议重点改进");
    assert_eq!(
        x.suggestions[0].en,
        "“A points” is 10.17 below the group average; focus here"
    );
    assert_eq!(x.suggestions[1].indicator, "ib");
    assert_eq!(x.suggestions[1].zh, "“乙分”比组内平均低1，建议重点改进");
    // No English name: the Chinese name is shown, never the internal id.
    assert_eq!(
        x.suggestions[1].en,
        "“乙分” is 1 below the group average; focus here"
    );
    assert!(find(&r, "z").suggestions.is_empty());
}

/// Turning explanations off changes only the explanations: same values, ranks, lines,
/// suggestions; explanation texts are empty.
#[test]
fn lean_mode_drops_only_explanations() {
    let p = policy(POLICY);
    let full = run(&p, &month());
    let lean = Engine::new(&p)
        .unwrap()
        .with_explanations(false)
        .evaluate(&month(), &History::default());
    assert_eq!(full.people.len(), lean.people.len());
    for (a, b) in full.people.iter().zip(&lean.people) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.score, b.score);
        assert_eq!(a.rank, b.rank);
        assert_eq!(a.line, b.line);
        assert_eq!(a.suggestions.len(), b.suggestions.len());
        for (s, t) in a.suggestions.iter().zip(&b.suggestions) {
            assert_eq!((&s.indicator, &s.zh, &s.en), (&t.indicator, &t.zh, &t.en));
        }
        for (i, j) in a.indicators.iter().zip(&b.indicators) {
            assert_eq!((&i.id, i.value), (&j.id, j.value));
            assert!(j.explanation.zh.is_empty() && j.explanation.inputs.is_empty());
        }
    }
    // With explanations on, the sum shows its arithmetic: 10 + 1 = 11.
    let x = find(&full, "x");
    let total = x.indicators.iter().find(|i| i.id == "total").unwrap();
    assert_eq!(total.explanation.zh, "10 + 1 = 11");
}
