//! Property tests: ranks form a competition ranking; the line never exceeds the quota (vetoes
//! aside); exempt people never enter the line; input row order does not change the result.

mod core_support;
use core_support::*;
use kaohe_engine::data::{Facts, Value};
use kaohe_engine::result::{LinePosition, Status};
use proptest::prelude::*;

fn pol() -> kaohe_engine::Policy {
    policy(
        r#"
[[input]]
id = "s"
name = "销售额"
type = "decimal"
[[input]]
id = "c"
name = "回款"
type = "decimal"
[[input]]
id = "fraud"
name = "套现"
type = "yes_no"
[[input]]
id = "target"
name = "任务"
type = "decimal"

[[indicator]]
id = "score"
name = "得分"
value = { input = "s" }

[ranking]
by = "score"
group_by = ["branch"]
tie_breakers = [{ by = "c", order = "desc" }]

[line]
bottom_percent = 30
rounding = "up"
exempt = [{ id = "met", reason = "完成任务", when = { var = "s", op = ">=", other = "target" } }]

[[veto]]
id = "fraud"
name = "套现"
when = { var = "fraud", op = "is_true" }
outcome = "x"
"#,
    )
}

type Row = (u8, u8, u8, bool, u8);

fn build(rows: &[Row], rev_people: bool) -> kaohe_engine::PeriodInput {
    let mut people: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| person(&format!("p{i:03}"), &format!("B{}", r.0 % 3)))
        .collect();
    let mut f: Vec<(String, Facts)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                format!("p{i:03}"),
                facts(&[
                    ("s", n(&(r.1 % 8).to_string())),
                    ("c", n(&(r.2 % 3).to_string())),
                    ("fraud", Value::Bool(r.3 && r.4 % 7 == 0)),
                    ("target", n(&(r.4 % 12).to_string())),
                ]),
            )
        })
        .collect();
    if rev_people {
        people.reverse();
        f.reverse();
    }
    let mut i = input(people, Vec::new());
    // BTreeMap insertion order is irrelevant by construction; insert in the shuffled order anyway.
    for (k, v) in f {
        i.facts.insert(k, v);
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn properties(rows in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<bool>(), any::<u8>()), 0..40), rotate in 0usize..40) {
        let p = pol();
        let r = run(&p, &build(&rows, false));
        for g in &r.groups {
            let members: Vec<_> = r.people.iter().filter(|x| x.group == g.key && x.rank.is_some()).collect();
            // competition ranking: rank = 1 + number strictly better (people are sorted by rank)
            let mut ranks: Vec<u32> = members.iter().filter_map(|x| x.rank).collect();
            ranks.sort();
            for (i, rk) in ranks.iter().enumerate() {
                let better = ranks.iter().filter(|x| *x < rk).count() as u32;
                prop_assert_eq!(*rk, better + 1);
                prop_assert!(*rk as usize <= i + 1);
            }
            prop_assert_eq!(g.ranked as usize, members.len());
            let inl = r.people.iter().filter(|x| x.group == g.key && x.line == LinePosition::InLine).count();
            prop_assert!(inl as u32 <= g.quota);
        }
        for x in &r.people {
            if x.status == Status::Exempt || x.status == Status::NewHire || x.status == Status::Vetoed {
                prop_assert!(x.line != LinePosition::InLine);
            }
            if x.status == Status::Vetoed { prop_assert!(x.rank.is_none()); }
        }
        // Row order does not matter: reversed and rotated rosters give the same JSON.
        let a = serde_json::to_string(&r).unwrap();
        let b = serde_json::to_string(&run(&p, &build(&rows, true))).unwrap();
        prop_assert_eq!(&a, &b);
        let mut rot = build(&rows, false);
        if !rot.people.is_empty() { let k = rotate % rot.people.len(); rot.people.rotate_left(k); }
        prop_assert_eq!(&a, &serde_json::to_string(&run(&p, &rot)).unwrap());
    }
}
