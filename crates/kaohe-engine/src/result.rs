//! Engine output (计算结果): per person and per group, every number with its explanation.
//!
//! Scores are exact [`Decimal`]s; rounding happens only when shown ([`crate::display`]).
//! Output order is deterministic: groups by key, people by group then rank then id.

use crate::data::{Mark, Period};
use kaohe_policy::model::{LegalPath, Measure};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The result of one policy for one period.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PeriodResult {
    /// Policy id.
    pub policy_id: String,
    /// Policy version computed with (P1.6).
    pub policy_version: String,
    /// Whether the labour-law gates were checked (false only when the policy switched them off).
    pub labour_law_checked: bool,
    /// The period.
    pub period: Period,
    /// Ranking groups.
    pub groups: Vec<GroupResult>,
    /// People, ordered by group (by key; by level order when ranking by level), then rank
    /// (unranked last), then id.
    pub people: Vec<PersonResult>,
    /// Ties at the line that need a person's decision (P7.6, X5).
    pub ties: Vec<TieAtLine>,
    /// Block aggregates closed this period (P2.7).
    pub aggregates: Vec<AggregateResult>,
    /// Errors in the data that kept someone from being scored (never silently skipped).
    pub data_errors: Vec<DataError>,
}

/// One ranking group (排名组).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupResult {
    /// Group key: the `group_by` values joined with ` / `, or `全部` for one group.
    pub key: String,
    /// Number of ranked people.
    pub ranked: u32,
    /// The quota computed (before vetoes taking places).
    pub quota: u32,
    /// How the line was drawn this period.
    pub line: LineState,
    /// Explanation of the quota and line in Chinese.
    pub note: String,
    /// Explanation in English.
    pub note_en: String,
}

/// How the line was drawn for a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LineState {
    /// Drawn normally.
    Drawn,
    /// No line: the policy has none, or the group is below the minimum size.
    None,
    /// Skipped: everyone met the condition (e.g. target).
    Skipped,
    /// Replaced by the fallback measure (P8.8).
    Fallback,
    /// Not drawn: data missing for these people; a person must complete it first.
    Blocked {
        /// Person ids with missing or bad data.
        people: Vec<String>,
    },
    /// Drawn, but some places await a tie decision.
    TiePending,
}

/// One person's result (个人结果).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonResult {
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
    /// Rank in the group (1 = best; equal scores after tie-breakers share a rank).
    pub rank: Option<u32>,
    /// Ranked people in the group.
    pub group_size: Option<u32>,
    /// Each indicator with its explanation.
    pub indicators: Vec<IndicatorResult>,
    /// Grade label, if the policy grades.
    pub grade: Option<String>,
    /// Position relative to the line.
    pub line: LinePosition,
    /// Why exempt, if exempt.
    pub exemptions: Vec<Reason>,
    /// Vetoes that fired.
    pub vetoes: Vec<Reason>,
    /// Gates that failed (all of them, P3).
    pub gates_failed: Vec<Reason>,
    /// History rules that fired, e.g. "2nd month in a row".
    pub history: Vec<HistoryHit>,
    /// The mark this period leaves in history.
    pub mark: Mark,
    /// Ladder count after this period and the step reached.
    pub ladder: Option<LadderState>,
    /// Level change proposed (P5).
    pub level_change: Option<LevelChangeResult>,
    /// Outcomes, each with its legal path and what it still needs.
    pub outcomes: Vec<OutcomeResult>,
    /// Weakest indicators relative to the group average, for feedback (P1.5).
    pub suggestions: Vec<Suggestion>,
    /// Total typed in the sheet differs from the computed one (P2.7: never trusted, reported).
    pub typed_total_mismatch: Option<Decimal>,
}

/// Status of a person in a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Ranked (参与排名).
    Ranked,
    /// Ranked but exempt from the line (豁免).
    Exempt,
    /// Not counted: new hire in the first periods (新人不计).
    NewHire,
    /// Vetoed: taken out of the ranking (否决).
    Vetoed,
    /// Not covered by the policy (不在考核范围).
    NotCovered,
    /// On the roster but no facts this period (未参加考核).
    Absent,
    /// Facts present but a value missing or invalid (数据待补).
    NeedsData,
    /// Assessed by gates only (P3): passed (通过).
    Passed,
    /// Assessed by gates only (P3): failed at least one gate (未通过).
    Failed,
}

/// Position relative to the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinePosition {
    /// Above the line.
    Above,
    /// In the line (进入末位线).
    InLine,
    /// In a tie at the line awaiting a person's decision (并列待定).
    TiePending,
    /// Chosen by the fallback measure (P8.8) — not a line entry unless the policy says so.
    Fallback,
    /// Takes a quota place by veto (P7.7).
    VetoPlace,
    /// Not applicable.
    NotApplicable,
}

/// One indicator's value and how it was reached (指标明细).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IndicatorResult {
    /// Indicator id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// Rule id.
    pub rule: Option<String>,
    /// Exact value (None when it could not be computed).
    pub value: Option<Decimal>,
    /// Label for grades.
    pub label: Option<String>,
    /// Explanation.
    pub explanation: Explanation,
}

/// An explanation (说明): inputs used and the arithmetic, in both languages.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Explanation {
    /// Inputs used, by id, with their values as text.
    pub inputs: Vec<(String, String)>,
    /// Chinese text, e.g. `10 − 2 × 7 = −4（扣分无下限）`.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// A reason with its rule id (原因).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Reason {
    /// The exemption, veto or gate id.
    pub id: String,
    /// Rule id.
    pub rule: Option<String>,
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// A history rule that fired, or the count that stands (历史命中).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HistoryHit {
    /// History rule id.
    pub id: String,
    /// Rule id.
    pub rule: Option<String>,
    /// Whether the rule fired this period.
    pub fired: bool,
    /// Consecutive count ending now.
    pub consecutive: u32,
    /// Events in the longest rolling window a trigger uses, including now.
    pub in_window: u32,
    /// Text, e.g. `连续第2个月进入末位线`.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// Ladder state after this period (阶梯状态).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LadderState {
    /// Consecutive count after this period.
    pub count: u32,
    /// The step reached (its `at`), if any.
    pub step: Option<u32>,
    /// Whether the person recovered this period (P7.9).
    pub recovered: bool,
}

/// A proposed level change (职级变动).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LevelChangeResult {
    /// From level id.
    pub from: String,
    /// To level id.
    pub to: String,
    /// Rule id.
    pub rule: Option<String>,
    /// Whether it is a promotion.
    pub promotion: bool,
}

/// An outcome assigned (处理结果) with its legal path.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutcomeResult {
    /// Outcome id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Rule id of the outcome.
    pub rule: Option<String>,
    /// What triggered it (line, history rule id, veto id, gate id, ladder step…).
    pub because: String,
    /// Measure.
    pub measure: Measure,
    /// Document to issue.
    pub document: Option<String>,
    /// Legal path.
    pub legal_path: LegalPath,
    /// Whether a person must confirm it.
    pub needs_confirmation: bool,
    /// What must still be true or on record before it may take effect (LABOUR-LAW.md gates).
    pub requires: Vec<Requirement>,
}

/// A labour-law requirement still to satisfy (法律要件).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Requirement {
    /// Stable code, e.g. `remediation_record`.
    pub code: String,
    /// Article, e.g. `劳动合同法第40条第2项`.
    pub article: String,
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// A feedback suggestion (改进建议, P1.5).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Suggestion {
    /// Indicator id.
    pub indicator: String,
    /// The person's value minus the group average (negative = below).
    pub gap: Decimal,
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// A tie at the line (末位并列): slots and candidates go to a person (X5).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TieAtLine {
    /// Group key.
    pub group: String,
    /// Places left to fill.
    pub slots: u32,
    /// Person ids tied exactly on every key.
    pub candidates: Vec<String>,
    /// The tied score.
    pub score: Option<Decimal>,
    /// Rule id (P7.6 / P8.4).
    pub rule: Option<String>,
}

/// A block aggregate closed this period (P2.7).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AggregateResult {
    /// Aggregate id.
    pub id: String,
    /// Group key.
    pub group: String,
    /// Periods of the block.
    pub periods: Vec<String>,
    /// Person id → sum over the block (people with a missing month are listed in `incomplete`).
    pub sums: Vec<(String, Decimal)>,
    /// People proposed (a person confirms).
    pub proposed: Vec<String>,
    /// People tied at the proposal boundary (a person decides).
    pub tied: Vec<String>,
    /// People with a period of the block missing.
    pub incomplete: Vec<String>,
}

/// Data that kept a person from being scored (数据错误).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DataError {
    /// Person id.
    pub person: String,
    /// Input or indicator id.
    pub field: String,
    /// Where the value came from.
    pub source: crate::data::Source,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}
