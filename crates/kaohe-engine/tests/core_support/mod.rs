//! Shared helpers for the engine core tests: build policies from TOML and inputs in code.
#![allow(dead_code)]

use chrono::NaiveDate;
use kaohe_engine::data::{Facts, Period, PeriodInput, Person, Value};
use kaohe_engine::result::{PeriodResult, PersonResult};
use kaohe_engine::{Engine, History, Policy};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Exact decimal from text.
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A number value.
pub fn n(s: &str) -> Value {
    Value::Number(d(s))
}

/// Parse a policy from TOML (the `[policy]` header is added).
pub fn policy(body: &str) -> Policy {
    let text = format!(
        "[policy]\nid = \"t\"\nversion = \"1\"\nname = \"测试\"\ncycle = \"monthly\"\n{body}"
    );
    toml::from_str(&text).unwrap_or_else(|e| panic!("bad test policy: {e}"))
}

/// A roster person in a branch.
pub fn person(id: &str, branch: &str) -> Person {
    Person {
        id: id.into(),
        name: format!("员工{id}"),
        region: None,
        branch: Some(branch.into()),
        department: None,
        project: None,
        post: None,
        level: None,
        hire_date: NaiveDate::from_ymd_opt(2020, 1, 1),
        level_since: None,
        status: Some("转正".into()),
        extra: BTreeMap::new(),
    }
}

/// Facts from pairs.
pub fn facts(values: &[(&str, Value)]) -> Facts {
    Facts {
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        ..Facts::default()
    }
}

/// An input for 2024-06 with the given people and facts.
pub fn input(people: Vec<Person>, f: Vec<(&str, Facts)>) -> PeriodInput {
    PeriodInput {
        period: Some(Period::month(2024, 6)),
        people,
        facts: f.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        decisions: Vec::new(),
    }
}

/// Evaluate with an empty history.
pub fn run(p: &Policy, i: &PeriodInput) -> PeriodResult {
    Engine::new(p).unwrap().evaluate(i, &History::default())
}

/// One person's result.
pub fn find<'a>(r: &'a PeriodResult, id: &str) -> &'a PersonResult {
    r.people
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// One indicator's value.
pub fn ind(r: &PeriodResult, id: &str, indicator: &str) -> Option<Decimal> {
    find(r, id)
        .indicators
        .iter()
        .find(|i| i.id == indicator)
        .and_then(|i| i.value)
}

/// Simple ranking policy on one decimal input `s`, bottom `bottom` per branch.
pub fn simple(extra: &str) -> Policy {
    policy(&format!(
        r#"
[[input]]
id = "s"
name = "销售额"
type = "decimal"

[[indicator]]
id = "score"
name = "得分"
value = {{ input = "s" }}

[ranking]
by = "score"
group_by = ["branch"]
{extra}
"#
    ))
}
