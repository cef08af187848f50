//! The ranking view (排名视图): a period's result cut down to what a ranking table shows, for
//! reading many times (the server's `GET /api/periods/{id}/results?view=ranking`).
//!
//! Each person keeps their place, score, indicator values, line position, the ids of their
//! exemptions, vetoes and failed gates, the history counts, ladder, level change and outcomes
//! (id, trigger, measure, legal path, document). The texts (explanations, reasons, history and
//! labour-law wording, suggestions) are left out: they are per person, and the full result or
//! `kaohe explain` carries them. Indicator names and rule ids are given once, at the top.
//!
//! Nothing is computed here: every value is the engine's, copied.

use kaohe_engine::data::{Mark, Period};
use kaohe_engine::result::{
    DataError, GroupResult, LadderState, LevelChangeResult, LinePosition, PersonResult, Status,
    TieAtLine,
};
use kaohe_engine::PeriodResult;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A period's ranking without the texts (排名视图).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RankingView {
    /// Policy id.
    pub policy_id: String,
    /// Policy version computed with (P1.6).
    pub policy_version: String,
    /// The period.
    pub period: Period,
    /// Indicators in the policy's order, named once (their values are in each row).
    pub indicators: Vec<IndicatorHead>,
    /// Ranking groups with their quota and line.
    pub groups: Vec<GroupResult>,
    /// People in the result's order (group, rank, id).
    pub people: Vec<RankingRow>,
    /// Ties at the line that need a person's decision (P7.6).
    pub ties: Vec<TieAtLine>,
    /// Errors in the data that kept someone from being scored.
    pub data_errors: Vec<DataError>,
}

/// An indicator's id, name and rule (指标表头).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndicatorHead {
    /// Indicator id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// Rule id.
    pub rule: Option<String>,
}

/// One person's row (排名行).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RankingRow {
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// Ranking group key.
    pub group: String,
    /// Status this period.
    pub status: Status,
    /// The ranking score, exact.
    pub score: Option<Decimal>,
    /// Rank in the group.
    pub rank: Option<u32>,
    /// Ranked people in the group.
    pub group_size: Option<u32>,
    /// Indicator values in the order of [`RankingView::indicators`] (`null`: not computed).
    pub values: Vec<Option<Decimal>>,
    /// Grade label.
    pub grade: Option<String>,
    /// Position relative to the line.
    pub line: LinePosition,
    /// The mark this period leaves in history.
    pub mark: Mark,
    /// Ids of the exemptions that apply.
    pub exemptions: Vec<String>,
    /// Ids of the vetoes that fired.
    pub vetoes: Vec<String>,
    /// Ids of the gates failed.
    pub gates_failed: Vec<String>,
    /// History rules with their counts.
    pub history: Vec<HistoryCount>,
    /// Ladder count and step.
    pub ladder: Option<LadderState>,
    /// Level change proposed (P5).
    pub level_change: Option<LevelChangeResult>,
    /// Outcomes assigned.
    pub outcomes: Vec<OutcomeRef>,
}

/// A history rule's counts, without its text (历史计数).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HistoryCount {
    /// History rule id.
    pub id: String,
    /// Whether it fired this period.
    pub fired: bool,
    /// Consecutive count ending now.
    pub consecutive: u32,
    /// Events in the rolling window, including now.
    pub in_window: u32,
}

/// An outcome, without its legal wording (处理结果).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OutcomeRef {
    /// Outcome id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// What triggered it.
    pub because: String,
    /// Measure, as its code.
    pub measure: String,
    /// Legal path, as its code.
    pub legal_path: String,
    /// Document to issue.
    pub document: Option<String>,
    /// Labour-law requirements still open, by code.
    pub requires: Vec<String>,
}

/// The ranking view of a result.
pub fn view(r: &PeriodResult) -> RankingView {
    // Every indicator any person has, in first-seen order (people absent or vetoed may carry
    // fewer).
    let mut indicators: Vec<IndicatorHead> = Vec::new();
    for i in r.people.iter().flat_map(|p| &p.indicators) {
        if !indicators.iter().any(|h| h.id == i.id) {
            indicators.push(IndicatorHead {
                id: i.id.clone(),
                name: i.name.clone(),
                rule: i.rule.clone(),
            });
        }
    }
    RankingView {
        policy_id: r.policy_id.clone(),
        policy_version: r.policy_version.clone(),
        period: r.period.clone(),
        people: r.people.iter().map(|p| row(p, &indicators)).collect(),
        indicators,
        groups: r.groups.clone(),
        ties: r.ties.clone(),
        data_errors: r.data_errors.clone(),
    }
}

fn code<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn row(p: &PersonResult, heads: &[IndicatorHead]) -> RankingRow {
    let ids = |v: &[kaohe_engine::result::Reason]| v.iter().map(|x| x.id.clone()).collect();
    RankingRow {
        id: p.id.clone(),
        name: p.name.clone(),
        group: p.group.clone(),
        status: p.status,
        score: p.score,
        rank: p.rank,
        group_size: p.group_size,
        values: heads
            .iter()
            .map(|h| {
                p.indicators
                    .iter()
                    .find(|i| i.id == h.id)
                    .and_then(|i| i.value)
            })
            .collect(),
        grade: p.grade.clone(),
        line: p.line,
        mark: p.mark,
        exemptions: ids(&p.exemptions),
        vetoes: ids(&p.vetoes),
        gates_failed: ids(&p.gates_failed),
        history: p
            .history
            .iter()
            .map(|h| HistoryCount {
                id: h.id.clone(),
                fired: h.fired,
                consecutive: h.consecutive,
                in_window: h.in_window,
            })
            .collect(),
        ladder: p.ladder.clone(),
        level_change: p.level_change.clone(),
        outcomes: p
            .outcomes
            .iter()
            .map(|o| OutcomeRef {
                id: o.id.clone(),
                name: o.name.clone(),
                because: o.because.clone(),
                measure: code(&o.measure),
                legal_path: code(&o.legal_path),
                document: o.document.clone(),
                requires: o.requires.iter().map(|q| q.code.clone()).collect(),
            })
            .collect(),
    }
}
