//! Name lookup (名称解析): every name a condition, formula or tie-breaker may use resolves once,
//! in [`crate::Engine::new`], to a [`Slot`]; per person only slots are read, never strings.
//!
//! Names are input ids, indicator ids, roster fields ([`kaohe_policy::model::ROSTER_FIELDS`])
//! and built-ins ([`kaohe_policy::model::BUILTINS`]).

use crate::data::{Period, Person, Rating, Value};
use chrono::{Datelike, NaiveDate};
use kaohe_policy::model::Cycle;
use kaohe_policy::Policy;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A roster field (花名册字段).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RosterField {
    Id,
    Name,
    Region,
    Branch,
    Department,
    Project,
    Post,
    Level,
    Status,
    HireDate,
    LevelSince,
}

impl RosterField {
    fn parse(name: &str) -> Option<RosterField> {
        Some(match name {
            "id" => RosterField::Id,
            "name" => RosterField::Name,
            "region" => RosterField::Region,
            "branch" => RosterField::Branch,
            "department" => RosterField::Department,
            "project" => RosterField::Project,
            "post" => RosterField::Post,
            "level" => RosterField::Level,
            "status" => RosterField::Status,
            "hire_date" => RosterField::HireDate,
            "level_since" => RosterField::LevelSince,
            _ => return None,
        })
    }

    /// The text value of a text field (`None` when blank or a date field).
    pub(crate) fn text(self, p: &Person) -> Option<&str> {
        match self {
            RosterField::Id => Some(p.id.as_str()),
            RosterField::Name => Some(p.name.as_str()),
            RosterField::Region => p.region.as_deref(),
            RosterField::Branch => p.branch.as_deref(),
            RosterField::Department => p.department.as_deref(),
            RosterField::Project => p.project.as_deref(),
            RosterField::Post => p.post.as_deref(),
            RosterField::Level => p.level.as_deref(),
            RosterField::Status => p.status.as_deref(),
            RosterField::HireDate | RosterField::LevelSince => None,
        }
        .filter(|s| !s.trim().is_empty())
    }
}

/// A built-in quantity (内置量).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    /// Periods of service, the month of hire counting as one (P8.7 Decision).
    TenurePeriods,
    /// Rank in the group, after ranking.
    Rank,
    /// Ranked people in the group.
    GroupSize,
    /// rank ÷ group_size × 100.
    RankPercent,
    /// Periods since `level_since`, the month of the change counting as one.
    PeriodsAtLevel,
}

/// Where a name's value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    Input(usize),
    Indicator(usize),
    Roster(RosterField),
    Builtin(Builtin),
}

/// The name table of a policy.
#[derive(Debug)]
pub(crate) struct Names {
    map: HashMap<String, Slot>,
    /// All names, for formula compilation.
    pub(crate) all: Vec<String>,
}

impl Names {
    pub(crate) fn new(policy: &Policy) -> Names {
        let mut map = HashMap::new();
        for f in kaohe_policy::model::ROSTER_FIELDS {
            if let Some(r) = RosterField::parse(f) {
                map.insert((*f).to_string(), Slot::Roster(r));
            }
        }
        let builtins = [
            ("tenure_periods", Builtin::TenurePeriods),
            ("rank", Builtin::Rank),
            ("group_size", Builtin::GroupSize),
            ("rank_percent", Builtin::RankPercent),
            ("periods_at_level", Builtin::PeriodsAtLevel),
        ];
        for (n, b) in builtins {
            map.insert(n.to_string(), Slot::Builtin(b));
        }
        // Inputs and indicators shadow nothing: the policy validator rejects clashes; if one
        // slips through, the indicator wins over the input, both over roster and built-ins.
        for (i, inp) in policy.inputs.iter().enumerate() {
            map.insert(inp.id.clone(), Slot::Input(i));
        }
        for (i, ind) in policy.indicators.iter().enumerate() {
            map.insert(ind.id.clone(), Slot::Indicator(i));
        }
        let mut all: Vec<String> = map.keys().cloned().collect();
        all.sort();
        Names { map, all }
    }

    pub(crate) fn get(&self, name: &str) -> Option<Slot> {
        self.map.get(name).copied()
    }
}

/// A value as conditions and building blocks see it (取值).
#[derive(Clone, Copy, Debug)]
pub(crate) enum V<'a> {
    Missing,
    /// Already reported as a data error (a dependent adds no second error).
    Failed,
    Num(Decimal),
    Bool(bool),
    Text(&'a str),
    Date(NaiveDate),
    Series(&'a [Decimal]),
    Ratings(&'a [Rating]),
}

impl<'a> V<'a> {
    pub(crate) fn of_value(v: Option<&'a Value>) -> V<'a> {
        match v {
            None => V::Missing,
            Some(Value::Number(d)) => V::Num(*d),
            Some(Value::Bool(b)) => V::Bool(*b),
            Some(Value::Text(t)) if t.trim().is_empty() => V::Missing,
            Some(Value::Text(t)) => V::Text(t.as_str()),
            Some(Value::Date(d)) => V::Date(*d),
            Some(Value::Series(s)) => V::Series(s.as_slice()),
            Some(Value::Ratings(r)) => V::Ratings(r.as_slice()),
        }
    }
}

/// An indicator's computed value (指标值).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IVal<'p> {
    Missing,
    Failed,
    Num(Decimal),
    Label(&'p str),
}

/// Built-in values of one person.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Builtins {
    pub(crate) tenure: Option<i64>,
    pub(crate) at_level: Option<i64>,
    pub(crate) rank: Option<u32>,
    pub(crate) group_size: Option<u32>,
}

/// Everything a condition can read for one person.
pub(crate) struct Ctx<'a, 'p> {
    pub(crate) person: &'a Person,
    pub(crate) inputs: &'a [Option<&'a Value>],
    pub(crate) inds: &'a [IVal<'p>],
    pub(crate) builtins: Builtins,
}

impl<'a, 'p: 'a> Ctx<'a, 'p> {
    pub(crate) fn get(&self, slot: Slot) -> V<'a> {
        match slot {
            Slot::Input(i) => V::of_value(self.inputs.get(i).copied().flatten()),
            Slot::Indicator(i) => match self.inds.get(i) {
                Some(IVal::Num(d)) => V::Num(*d),
                Some(IVal::Label(l)) => V::Text(l),
                Some(IVal::Failed) => V::Failed,
                _ => V::Missing,
            },
            Slot::Roster(RosterField::HireDate) => {
                self.person.hire_date.map_or(V::Missing, V::Date)
            }
            Slot::Roster(RosterField::LevelSince) => {
                self.person.level_since.map_or(V::Missing, V::Date)
            }
            Slot::Roster(f) => f.text(self.person).map_or(V::Missing, V::Text),
            Slot::Builtin(b) => {
                let n = &self.builtins;
                let opt = match b {
                    Builtin::TenurePeriods => n.tenure.map(Decimal::from),
                    Builtin::PeriodsAtLevel => n.at_level.map(Decimal::from),
                    Builtin::Rank => n.rank.map(Decimal::from),
                    Builtin::GroupSize => n.group_size.map(Decimal::from),
                    Builtin::RankPercent => match (n.rank, n.group_size) {
                        (Some(r), Some(g)) if g > 0 => Some(crate::blocks::exact_div(
                            Decimal::from(r) * Decimal::ONE_HUNDRED,
                            Decimal::from(g),
                        )),
                        _ => None,
                    },
                };
                opt.map_or(V::Missing, V::Num)
            }
        }
    }
}

/// Periods from `since` to `period`, the period containing `since` counting as one
/// (P8.7 Decision: the month of hire is month one, whatever the day). `None` for one-off rounds.
pub(crate) fn periods_since(since: NaiveDate, period: &Period, cycle: Cycle) -> Option<i64> {
    let y = i64::from(since.year());
    let m = i64::from(since.month());
    let start = match cycle {
        Cycle::Monthly => y * 12 + m - 1,
        Cycle::Quarterly => y * 4 + (m - 1) / 3,
        Cycle::Annual => y,
        Cycle::Once => return None,
    };
    Some(period.index - start + 1)
}
