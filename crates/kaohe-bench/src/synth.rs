//! The generator proper: roster, facts and history from a policy's declarations.

use crate::rng::Rng;
use chrono::NaiveDate;
use kaohe_engine::data::{
    Facts, History, Mark, Period, PeriodInput, PeriodRecord, Person, Rating, Value,
};
use kaohe_policy::model::{Cond, InputType, Op, Policy};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Number of people.
    pub people: usize,
    /// Number of branches (ranking groups); people are spread evenly.
    pub branches: usize,
    /// Months of history before the evaluated month.
    pub history_months: u32,
    /// The evaluated month.
    pub month: Period,
    /// Seed.
    pub seed: u64,
}

/// A generated company: the month to evaluate and the history before it.
pub struct Company {
    /// The evaluated month's input.
    pub input: PeriodInput,
    /// History before it.
    pub history: History,
    /// History records generated.
    pub history_records: usize,
}

/// First value of an `in` condition on a roster field anywhere in `cond`, e.g. the post a
/// population covers, so that generated people are covered.
fn wanted(cond: &Cond, field: &str) -> Option<String> {
    if cond.var.as_deref() == Some(field) && cond.op == Some(Op::In) {
        return cond.values.as_ref().and_then(|v| v.first().cloned());
    }
    let lists = [&cond.all, &cond.any, &cond.of, &cond.mandatory];
    lists
        .into_iter()
        .flatten()
        .flatten()
        .find_map(|c| wanted(c, field))
}

fn dec(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// Build a synthetic company for `policy`.
pub fn generate(policy: &Policy, spec: &Spec) -> Company {
    let mut rng = Rng::new(spec.seed);
    let include = policy.population.include.clone().unwrap_or_default();
    let post = wanted(&include, "post").unwrap_or_else(|| "客户经理".into());
    let status = wanted(&include, "status").unwrap_or_else(|| "转正".into());
    let level = policy
        .levels
        .as_ref()
        .and_then(|l| l.order.first().map(|d| d.id.clone()))
        .or_else(|| wanted(&include, "level"))
        .unwrap_or_else(|| "初级".into());
    let (year, month) = spec.month.year_month();
    let month_start = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let branches = spec.branches.max(1);

    // Inputs used as ratio targets must not be zero (that is an input error by P4.4).
    let targets: BTreeSet<&str> = policy
        .indicators
        .iter()
        .filter_map(|i| i.ratio.as_ref().map(|r| r.target.as_str()))
        .collect();
    let rater_groups: Vec<String> = policy
        .indicators
        .iter()
        .filter_map(|i| i.raters.as_ref())
        .flat_map(|r| r.groups.iter().map(|g| g.group.clone()))
        .collect();

    let mut people = Vec::with_capacity(spec.people);
    let mut facts = BTreeMap::new();
    for i in 0..spec.people {
        let b = i % branches;
        let id = format!("E{i:07}");
        // 2 % new hires in the last two months; the rest hired years ago.
        let hire = if rng.chance(20) {
            month_start - chrono::Days::new(rng.range(0, 40) as u64)
        } else {
            month_start - chrono::Days::new(rng.range(90, 3000) as u64)
        };
        let unit = format!("分公司{b:05}");
        people.push(Person {
            id: id.clone(),
            name: format!("员工{i}"),
            region: Some(format!("区域{:03}", b / 100)),
            branch: Some(unit.clone()),
            department: Some(unit.clone()),
            project: Some(unit),
            post: Some(post.clone()),
            level: Some(level.clone()),
            hire_date: Some(hire),
            level_since: Some(hire),
            status: Some(status.clone()),
            extra: BTreeMap::new(),
        });
        let mut values = BTreeMap::new();
        for input in &policy.inputs {
            let lo = input.min.map(|n| n.0).unwrap_or(Decimal::ZERO);
            let cents = |d: Decimal| {
                (d * Decimal::ONE_HUNDRED)
                    .trunc()
                    .try_into()
                    .unwrap_or(0i64)
            };
            let value = match input.kind {
                InputType::Decimal | InputType::Integer | InputType::Percent => {
                    let default_hi = if input.kind == InputType::Percent {
                        Decimal::ONE
                    } else {
                        lo + Decimal::from(200)
                    };
                    let hi = input.max.map(|n| n.0).unwrap_or(default_hi);
                    let mut lo_c = cents(lo);
                    if targets.contains(input.id.as_str()) {
                        lo_c = lo_c.max(cents(hi) / 2).max(100);
                    }
                    let v = rng.range(lo_c, cents(hi));
                    if input.kind == InputType::Integer {
                        Value::Number(Decimal::from(v / 100))
                    } else {
                        Value::Number(dec(v))
                    }
                }
                InputType::YesNo => Value::Bool(rng.chance(2)),
                InputType::Date => Value::Date(month_start),
                InputType::Text => Value::Text("—".into()),
                InputType::Series => {
                    let n = input.length.unwrap_or(5) as usize;
                    Value::Series((0..n).map(|_| Decimal::from(rng.range(5, 15))).collect())
                }
                InputType::Ratings => Value::Ratings(
                    rater_groups
                        .iter()
                        .map(|g| Rating {
                            rater: format!("R{}", rng.range(1, 99)),
                            group: g.clone(),
                            score: Decimal::from(rng.range(60, 100)),
                        })
                        .collect(),
                ),
            };
            values.insert(input.id.clone(), value);
        }
        facts.insert(
            id,
            Facts {
                values,
                ..Facts::default()
            },
        );
    }

    // History: the policy's rules look back at most a few periods; generate them all anyway.
    let mut history = History::default();
    let mut records = 0;
    for p in &people {
        let mut list = Vec::with_capacity(spec.history_months as usize);
        let mut ladder = 0;
        for back in (1..=i64::from(spec.history_months)).rev() {
            let period = spec.month.offset(policy.policy.cycle, -back);
            let roll = rng.range(0, 99);
            let mark = match roll {
                0..=5 => Mark::Line,
                6..=30 => Mark::Exempt,
                31..=32 => Mark::Absent,
                _ => Mark::Clear,
            };
            ladder = if mark == Mark::Line { ladder + 1 } else { 0 };
            list.push(PeriodRecord {
                period,
                mark,
                score: Some(dec(rng.range(0, 10_000))),
                ladder_count: ladder,
            });
        }
        records += list.len();
        history.records.insert(p.id.clone(), list);
    }

    Company {
        input: PeriodInput {
            period: Some(spec.month.clone()),
            people,
            facts,
            decisions: Vec::new(),
        },
        history,
        history_records: records,
    }
}
