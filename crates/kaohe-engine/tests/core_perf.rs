//! A rough speed check (not a timed test; ignored by default): one month of a P4-like policy for
//! 1,000,000 people in 10,000 branches. Run with
//! `cargo test --release -p kaohe-engine --test core_perf -- --ignored --nocapture`.

mod core_support;
use core_support::*;
use kaohe_engine::data::{Facts, Value};
use kaohe_engine::{Engine, History};
use rust_decimal::Decimal;

#[test]
#[ignore]
fn one_million_people_one_month() {
    let p = policy(
        r#"
[[input]]
id = "sold"
name = "销售额"
type = "decimal"
[[input]]
id = "target"
name = "目标"
type = "decimal"
[[input]]
id = "visits"
name = "拜访"
type = "integer"
[[input]]
id = "req"
name = "应拜访"
type = "integer"
[[input]]
id = "share"
name = "占比"
type = "percent"
[[input]]
id = "fraud"
name = "套现"
type = "yes_no"
[[indicator]]
id = "sales"
name = "销售"
ratio = { actual = "sold", target = "target", weight = 70, cap = 70 }
[[indicator]]
id = "daily"
name = "日常"
ratio = { actual = "visits", target = "req", weight = 15, cap = 15, zero_below = 0.6 }
[[indicator]]
id = "cons"
name = "消费"
band = { input = "share", points = 15, full_up_to = 0.3, zero_above = 0.5 }
[[indicator]]
id = "total"
name = "总分"
sum = { parts = ["sales", "daily", "cons"] }
[ranking]
by = "total"
group_by = ["branch"]
[line]
bottom_percent = 10
rounding = "up"
[[veto]]
id = "fraud"
name = "套现"
when = { var = "fraud", op = "is_true" }
outcome = "x"
"#,
    );
    let n_people = 1_000_000u64;
    let people: Vec<_> = (0..n_people)
        .map(|i| person(&format!("E{i:07}"), &format!("B{:05}", i % 10_000)))
        .collect();
    let mut i = input(people, Vec::new());
    for k in 0..n_people {
        let f: Facts = facts(&[
            ("sold", Value::Number(Decimal::from(k * 7919 % 1000))),
            ("target", Value::Number(Decimal::from(800))),
            ("visits", Value::Number(Decimal::from(k % 25))),
            ("req", Value::Number(Decimal::from(20))),
            ("share", Value::Number(Decimal::new((k % 60) as i64, 2))),
            ("fraud", Value::Bool(k % 5000 == 0)),
        ]);
        i.facts.insert(format!("E{k:07}"), f);
    }
    let lean = std::env::var("KAOHE_LEAN").is_ok();
    let e = Engine::new(&p).unwrap().with_explanations(!lean);
    let t = std::time::Instant::now();
    let r = e.evaluate(&i, &History::default());
    eprintln!(
        "1M people evaluated in {:?} ({} people, {} groups)",
        t.elapsed(),
        r.people.len(),
        r.groups.len()
    );
}
