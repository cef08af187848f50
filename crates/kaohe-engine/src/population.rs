//! Population (考核对象): who the policy covers this period, who is a new hire not yet counted
//! (P8.7), who is absent. Produces one [`Work`] per person listed in the result.

use crate::data::{Facts, Mark, Period, Person, Value};
use crate::engine::Engine;
use crate::lookup::{periods_since, Builtins, Ctx, IVal};
use crate::result::{DataError, LinePosition, PersonResult, Reason, Status};
use rust_decimal::Decimal;

/// One person's working state through the pipeline (个人计算状态).
pub(crate) struct Work<'a, 'p> {
    pub(crate) person: &'a Person,
    pub(crate) facts: Option<&'a Facts>,
    pub(crate) inputs: Vec<Option<&'a Value>>,
    pub(crate) inds: Vec<IVal<'p>>,
    pub(crate) builtins: Builtins,
    pub(crate) res: PersonResult,
    pub(crate) errors: Vec<DataError>,
    /// Tie-breaker values, in the policy's order.
    pub(crate) keys: Vec<Decimal>,
    /// Ranking group index (into the sorted group keys).
    pub(crate) gid: usize,
    /// Whether the person takes part in the ranking (ranked or line-exempt, not blocked).
    pub(crate) rankable: bool,
}

impl<'a, 'p> Work<'a, 'p> {
    pub(crate) fn ctx(&self) -> Ctx<'_, 'p> {
        Ctx {
            person: self.person,
            inputs: &self.inputs,
            inds: &self.inds,
            builtins: self.builtins,
        }
    }

    /// Record a data error for this person.
    pub(crate) fn error(&mut self, field: &str, zh: String, en: String) {
        self.errors.push(DataError {
            person: self.person.id.clone(),
            field: field.to_string(),
            source: self.facts.map(|f| f.source.clone()).unwrap_or_default(),
            zh,
            en,
        });
    }

    /// Whether the person could not be decided (数据待补).
    pub(crate) fn needs_data(&self) -> bool {
        self.res.status == Status::NeedsData
    }
}

fn blank(person: &Person, status: Status, mark: Mark) -> PersonResult {
    PersonResult {
        id: person.id.clone(),
        name: person.name.clone(),
        group: String::new(),
        status,
        score: None,
        rank: None,
        group_size: None,
        indicators: Vec::new(),
        grade: None,
        line: LinePosition::NotApplicable,
        exemptions: Vec::new(),
        vetoes: Vec::new(),
        gates_failed: Vec::new(),
        history: Vec::new(),
        mark,
        ladder: None,
        level_change: None,
        outcomes: Vec::new(),
        suggestions: Vec::new(),
        typed_total_mismatch: None,
    }
}

/// Admit one roster person: `None` when not covered and without facts (omitted from the result).
/// `duplicate` = the id appears more than once on the roster (a data error, never a guess).
pub(crate) fn admit<'a, 'e>(
    engine: &'e Engine,
    person: &'a Person,
    facts: Option<&'a Facts>,
    period: Option<&Period>,
    duplicate: bool,
) -> Option<Work<'a, 'e>> {
    let policy = engine.policy;
    let cycle = policy.policy.cycle;
    let builtins = Builtins {
        tenure: period.and_then(|p| person.hire_date.and_then(|h| periods_since(h, p, cycle))),
        at_level: period.and_then(|p| person.level_since.and_then(|h| periods_since(h, p, cycle))),
        rank: None,
        group_size: None,
    };
    let mut w = Work {
        person,
        facts,
        inputs: Vec::new(),
        inds: Vec::new(),
        builtins,
        res: blank(person, Status::Ranked, Mark::Clear),
        errors: Vec::new(),
        keys: Vec::new(),
        gid: 0,
        rankable: false,
    };
    if duplicate {
        w.error(
            "id",
            format!("工号“{}”在花名册中重复出现", person.id),
            format!(
                "employee id `{}` appears more than once on the roster",
                person.id
            ),
        );
        w.res.status = Status::NeedsData;
        w.res.mark = Mark::Pending;
        return Some(w);
    }
    // Population include (考核对象), over roster fields.
    if let Some(inc) = &engine.include {
        match inc.eval(&w.ctx()) {
            Ok(true) => {}
            Ok(false) => {
                facts?;
                w.res.status = Status::NotCovered;
                w.res.mark = Mark::Absent;
                return Some(w);
            }
            Err(e) => {
                w.error(&e.field, e.zh, e.en);
                w.res.status = Status::NeedsData;
                w.res.mark = Mark::Pending;
                return Some(w);
            }
        }
    }
    // Not yet hired in this period (入职日期晚于本期): not employed, so not assessed. Facts for
    // such a period are a data error (a wrong hire date or a wrong period), never a guess.
    if let Some(n) = w.builtins.tenure.filter(|n| *n < 1) {
        facts?;
        let hired = person.hire_date.map(|d| d.to_string()).unwrap_or_default();
        w.error(
            "hire_date",
            format!(
                "入职日期 {hired} 晚于本期（本期为入职前第{}期），却有本期考核数据",
                1 - n
            ),
            format!(
                "hire date {hired} is after this period, yet the period has facts for this person"
            ),
        );
        w.res.status = Status::NeedsData;
        w.res.mark = Mark::Pending;
        return Some(w);
    }
    // Tenure exemption (P8.7): the first N periods, the month of hire counting as month one.
    if let Some(t) = &policy.population.tenure {
        match w.builtins.tenure {
            Some(n) if n <= i64::from(t.exempt_first_periods) => {
                w.res.exemptions.push(Reason {
                    id: "tenure".into(),
                    rule: t.rule.clone(),
                    zh: format!("入职第{n}期，前{}期不计（入职当月为第1期）", t.exempt_first_periods),
                    en: format!(
                        "period {n} of service; the first {} are not counted (the month of hire is period one)",
                        t.exempt_first_periods
                    ),
                });
                w.res.mark = Mark::Exempt;
                w.res.status = if t.not_counted {
                    Status::NewHire
                } else {
                    Status::Exempt
                };
            }
            Some(_) => {}
            None if facts.is_some() => {
                w.error(
                    "hire_date",
                    "缺少入职日期（或期间），无法判断新人豁免（P8.7）".into(),
                    "hire date (or period) missing; the new-hire exemption cannot be decided (P8.7)".into(),
                );
                w.res.status = Status::NeedsData;
                w.res.mark = Mark::Pending;
            }
            None => {}
        }
    }
    if facts.is_none() && w.res.status != Status::NewHire {
        w.res.status = Status::Absent;
        w.res.mark = Mark::Absent;
    }
    Some(w)
}
