//! Shared look-ups for data sheets (人员与期间识别): who a row is about (by 工号, or by a name
//! unique in the roster) and which period it belongs to (a period column, the sheet name, or the
//! caller's period).

use crate::grid::Cell;
use crate::header::{norm, Column};
use kaohe_engine::data::{Period, Person};
use kaohe_policy::model::Cycle;
use std::collections::BTreeMap;

/// Period column names (期间列).
pub const PERIOD_HEADERS: &[&str] = &["月份", "期间", "考核期间", "考核月份", "考核月", "考核周期"];

/// The roster indexed by id and by name.
pub struct People<'a> {
    by_id: BTreeMap<&'a str, &'a Person>,
    by_name: BTreeMap<String, Vec<&'a Person>>,
}

impl<'a> People<'a> {
    pub fn new(roster: &'a [Person]) -> Self {
        let mut by_id = BTreeMap::new();
        let mut by_name: BTreeMap<String, Vec<&Person>> = BTreeMap::new();
        for p in roster {
            by_id.insert(p.id.as_str(), p);
            by_name.entry(norm(&p.name)).or_default().push(p);
        }
        People { by_id, by_name }
    }

    /// Resolve a cell to a person id; Err carries (zh, en).
    pub fn resolve(&self, text: &str, by_name: bool) -> Result<String, (String, String)> {
        if !by_name {
            return match self.by_id.get(text) {
                Some(p) => Ok(p.id.clone()),
                None => Err((
                    "工号不在花名册中".into(),
                    "employee id is not on the roster".into(),
                )),
            };
        }
        match self.by_name.get(&norm(text)).map(Vec::as_slice) {
            Some([p]) => Ok(p.id.clone()),
            Some(many) if !many.is_empty() => {
                let ids: Vec<&str> = many.iter().map(|p| p.id.as_str()).collect();
                Err((
                    format!("花名册中有重名（工号 {}），请改用工号列", ids.join("、")),
                    format!(
                        "name is not unique on the roster (ids {}); add an 工号 column",
                        ids.join(", ")
                    ),
                ))
            }
            _ => Err((
                "姓名不在花名册中".into(),
                "name is not on the roster".into(),
            )),
        }
    }
}

/// A period from a cell: a date cell gives its month (quarter, year), text or numbers are parsed
/// as written (`2024-05`, `2024年5月`, `202405`).
pub fn period_of_cell(cell: &Cell, cycle: Cycle) -> Option<Period> {
    match cell {
        Cell::Date(d) => {
            use chrono::Datelike;
            let text = match cycle {
                Cycle::Monthly => format!("{}-{}", d.year(), d.month()),
                Cycle::Quarterly => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
                Cycle::Annual => format!("{}", d.year()),
                Cycle::Once => d.format("%Y-%m-%d").to_string(),
            };
            Period::parse(&text, cycle)
        }
        Cell::Empty | Cell::Error(_) | Cell::Bool(_) => None,
        other => Period::parse(&other.text(), cycle),
    }
}

/// A period from a sheet name; never for one-off rounds (any name would parse).
pub fn period_of_sheet(name: Option<&str>, cycle: Cycle) -> Option<Period> {
    match (name, cycle) {
        (_, Cycle::Once) | (None, _) => None,
        (Some(n), c) => Period::parse(n, c),
    }
}

/// The column holding the period, if any.
pub fn period_column(h: &crate::header::Header) -> Option<&Column> {
    h.find(&crate::header::names(PERIOD_HEADERS))
}
