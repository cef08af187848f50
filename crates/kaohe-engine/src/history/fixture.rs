//! Test fixtures (测试构件) for the history, ladder, aggregate and outcome stages: hand-built
//! policies, period results and histories, so each stage is tested without the whole engine.

use crate::data::{History, Mark, Period, PeriodRecord};
use crate::result::{LinePosition, PeriodResult, PersonResult, Status};
use kaohe_policy::Policy;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The `[policy]` table every fixture policy starts with (monthly, CN, adopted and published).
pub(crate) const META: &str = r#"
[policy]
id = "t"
version = "1"
name = "测试"
cycle = "monthly"
adopted = "2016-03-01"
published = "2016-03-15"
"#;

/// Parse a fixture policy: [`META`] followed by `body`.
pub(crate) fn policy(body: &str) -> Policy {
    let text = format!("{META}\n{body}");
    match toml::from_str::<Policy>(&text) {
        Ok(p) => p,
        Err(e) => panic!("fixture policy does not parse: {e}\n{text}"),
    }
}

/// An exact decimal from text.
pub(crate) fn dec(s: &str) -> Decimal {
    match Decimal::from_str(s) {
        Ok(d) => d,
        Err(e) => panic!("bad decimal {s}: {e}"),
    }
}

/// A person with a mark, in group `全部`; status and line position follow the mark.
pub(crate) fn person(id: &str, mark: Mark) -> PersonResult {
    let (status, line) = match mark {
        Mark::Line => (Status::Ranked, LinePosition::InLine),
        Mark::Clear => (Status::Ranked, LinePosition::Above),
        Mark::Exempt => (Status::Exempt, LinePosition::NotApplicable),
        Mark::Absent => (Status::Absent, LinePosition::NotApplicable),
        Mark::Skipped => (Status::Ranked, LinePosition::NotApplicable),
        Mark::Vetoed => (Status::Vetoed, LinePosition::NotApplicable),
        Mark::Pending => (Status::Ranked, LinePosition::TiePending),
    };
    PersonResult {
        id: id.to_string(),
        name: format!("姓名{id}"),
        group: "全部".to_string(),
        status,
        score: None,
        rank: None,
        group_size: None,
        indicators: Vec::new(),
        grade: None,
        line,
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

/// A person with a score (ranked, clear unless the mark says otherwise).
pub(crate) fn scored(id: &str, group: &str, score: &str) -> PersonResult {
    let mut p = person(id, Mark::Clear);
    p.group = group.to_string();
    p.score = Some(dec(score));
    p
}

/// A period result for `period` with these people.
pub(crate) fn result(period: Period, people: Vec<PersonResult>) -> PeriodResult {
    PeriodResult {
        policy_id: "t".into(),
        policy_version: "1".into(),
        labour_law_checked: true,
        period,
        groups: Vec::new(),
        people,
        ties: Vec::new(),
        aggregates: Vec::new(),
        data_errors: Vec::new(),
    }
}

/// A history of one person from `(year, month, mark)` triples.
pub(crate) fn marks(history: &mut History, id: &str, list: &[(i32, u32, Mark)]) {
    for (y, m, mark) in list {
        history.insert(
            id,
            PeriodRecord {
                period: Period::month(*y, *m),
                mark: *mark,
                score: None,
                ladder_count: 0,
            },
        );
    }
}

/// Add scores `(year, month, score)` for one person (mark Clear).
pub(crate) fn scores(history: &mut History, id: &str, list: &[(i32, u32, &str)]) {
    for (y, m, s) in list {
        history.insert(
            id,
            PeriodRecord {
                period: Period::month(*y, *m),
                mark: Mark::Clear,
                score: Some(dec(s)),
                ladder_count: 0,
            },
        );
    }
}
