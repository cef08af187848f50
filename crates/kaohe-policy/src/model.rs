//! The policy model (制度模型): the Rust types a policy file is read into.
//!
//! A policy file is TOML. Every table below maps to one construct of the policy language,
//! documented with an example in `docs/policy-language.md`. Unknown keys are rejected
//! (`deny_unknown_fields`) so that a typo never silently drops a rule. Numbers are [`Num`]
//! (exact decimals). Names that other parts refer to (`input`, `indicator`, `outcome` ids) are
//! plain identifiers; [`crate::validate`] checks every reference.
//!
//! Rule ids (`rule = "P8.6"`) are carried through to every explanation the engine produces.

use crate::num::Num;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole policy file (考核制度).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Metadata: id, version, names, dates, jurisdiction (制度信息).
    pub policy: Meta,
    /// Declared inputs (输入项), `[[input]]`.
    #[serde(default, rename = "input")]
    pub inputs: Vec<Input>,
    /// Indicators built from the building blocks (指标), `[[indicator]]`.
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<Indicator>,
    /// Who the policy covers (考核对象).
    #[serde(default)]
    pub population: Population,
    /// How people are ranked (排名). Absent for gate-only policies such as P3.
    #[serde(default)]
    pub ranking: Option<Ranking>,
    /// The elimination line (末位线). Absent when the policy only ranks (P1) or only gates (P3).
    #[serde(default)]
    pub line: Option<Line>,
    /// Vetoes that override the score (一票否决), `[[veto]]`.
    #[serde(default, rename = "veto")]
    pub vetoes: Vec<Veto>,
    /// Gates that each fail independently (考核关卡, P3), `[[gate]]`.
    #[serde(default, rename = "gate")]
    pub gates: Vec<Gate>,
    /// History rules over earlier periods (历史规则), `[[history]]`.
    #[serde(default, rename = "history")]
    pub history: Vec<HistoryRule>,
    /// Aggregations over blocks of periods (周期汇总, P2.7), `[[aggregate]]`.
    #[serde(default, rename = "aggregate")]
    pub aggregates: Vec<Aggregate>,
    /// Escalation ladder by consecutive line entries (处理阶梯, P7.8).
    #[serde(default)]
    pub ladder: Option<Ladder>,
    /// Levels and the rules that move people between them (职级, P5).
    #[serde(default)]
    pub levels: Option<Levels>,
    /// Outcomes by id (处理结果): measure, document and legal path, `[outcome.ID]`.
    #[serde(default, rename = "outcome")]
    pub outcomes: BTreeMap<String, Outcome>,
    /// Process parameters the server enforces (流程参数).
    #[serde(default)]
    pub process: Process,
    /// The Decisions taken where the source text is blank or ambiguous (决定说明), `[[decision]]`.
    #[serde(default, rename = "decision")]
    pub decisions: Vec<DecisionNote>,
}

impl Policy {
    /// The rater groups of every indicator that reads ratings (P7.2: 同事, 部门负责人,
    /// 副总经理), in the policy's order.
    pub fn rater_groups(&self) -> impl Iterator<Item = &RaterGroup> {
        self.indicators
            .iter()
            .filter_map(|i| i.raters.as_ref())
            .flat_map(|r| r.groups.iter())
    }
}

/// Policy metadata (制度信息).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Stable id, e.g. `p8-amber-bay`.
    pub id: String,
    /// Version label; a period keeps the version it was computed with (P1.6).
    pub version: String,
    /// Chinese name (制度名称).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Source rule family, e.g. `P8`.
    #[serde(default)]
    pub source: Option<String>,
    /// Jurisdiction whose labour law is checked: `CN` (default) or `none` (visibly switched off).
    #[serde(default)]
    pub jurisdiction: Jurisdiction,
    /// Relationship the policy covers (用工关系, labour-law gate 8).
    #[serde(default)]
    pub relationship: Relationship,
    /// Date adopted through the democratic procedure (民主程序通过日期, Art. 4).
    #[serde(default, deserialize_with = "crate::num::de_date")]
    pub adopted: Option<chrono::NaiveDate>,
    /// Date published to employees (公示日期, Art. 4).
    #[serde(default, deserialize_with = "crate::num::de_date")]
    pub published: Option<chrono::NaiveDate>,
    /// Assessment cycle (考核周期).
    pub cycle: Cycle,
    /// First period the policy applies to, e.g. `2016-04` (P2) (起始期间).
    #[serde(default)]
    pub start: Option<String>,
    /// Decimal places for display; values are rounded half-up only when shown (X2). Default 2.
    #[serde(default = "default_decimals")]
    pub decimals: u32,
    /// Free description.
    #[serde(default)]
    pub description: Option<String>,
}

fn default_decimals() -> u32 {
    2
}

/// Jurisdiction (适用法域).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub enum Jurisdiction {
    /// Mainland China: the labour-law gates apply.
    #[default]
    #[serde(rename = "CN")]
    Cn,
    /// Switched off, visibly, for companies outside mainland China.
    #[serde(rename = "none")]
    None,
}

/// Employment relationship (用工关系).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// Labour contract (劳动合同).
    #[default]
    Employment,
    /// Agency contract, e.g. insurance agents (代理合同).
    Agency,
    /// Labour dispatch (劳务派遣).
    Dispatch,
}

/// Assessment cycle (考核周期).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Cycle {
    /// Monthly (月度), periods `YYYY-MM`.
    Monthly,
    /// Quarterly (季度), periods `YYYY-Qn`.
    Quarterly,
    /// Annual (年度), periods `YYYY`.
    Annual,
    /// A one-off round such as an onboarding week (一次性), periods are free labels.
    Once,
}

/// A declared input (输入项): a column of the month's sheet.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// Identifier used in references.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Value type.
    #[serde(rename = "type")]
    pub kind: InputType,
    /// Column headers the value may be read from, Chinese first, variants allowed
    /// (e.g. `["日常考勤", "考勤"]`). Matching ignores spaces and bracketed notes like `(10分)`.
    #[serde(default)]
    pub headers: Vec<String>,
    /// Whether a value must be present for every covered person (default true).
    #[serde(default = "yes")]
    pub required: bool,
    /// Lowest allowed value (inclusive).
    #[serde(default)]
    pub min: Option<Num>,
    /// Highest allowed value (inclusive).
    #[serde(default)]
    pub max: Option<Num>,
    /// For `series`: the number of values (days), e.g. 5 or 7.
    #[serde(default)]
    pub length: Option<u32>,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
}

fn yes() -> bool {
    true
}

/// Input value types (输入类型).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum InputType {
    /// Exact decimal (小数).
    Decimal,
    /// Whole number (整数).
    Integer,
    /// Yes/no (是/否).
    YesNo,
    /// Percentage, written `85%` or `0.85` (百分比); stored as a fraction.
    Percent,
    /// Date (日期).
    Date,
    /// Per-day series of numbers (每日序列), e.g. daily calls in a training week.
    Series,
    /// Free text label (文本).
    Text,
    /// Ratings by several raters (评分), from a rater sheet: rater, rater group, score.
    Ratings,
}

/// An indicator (指标): exactly one building block key must be present.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Identifier used in references.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Full marks shown next to the name, e.g. `(10分)`; informational.
    #[serde(default)]
    pub full_marks: Option<Num>,
    /// The input's value as is (取值).
    #[serde(default)]
    pub value: Option<ValueOf>,
    /// A rater's score within a range (评分, P2.2).
    #[serde(default)]
    pub rated: Option<Rated>,
    /// Start at X minus Y per event, optional floor (扣分, P2.3).
    #[serde(default)]
    pub deduct: Option<Deduct>,
    /// Points per unit with shared deals (计件, P2.4).
    #[serde(default)]
    pub per_unit: Option<PerUnit>,
    /// Completion ratio × weight, optional cap, optional zero below a threshold (完成率, P4.4/P4.5).
    #[serde(default)]
    pub ratio: Option<Ratio>,
    /// Full marks up to one limit, zero above another, linear between (区间, P4.7).
    #[serde(default)]
    pub band: Option<Band>,
    /// Plain sum of indicators (合计, P2.5).
    #[serde(default)]
    pub sum: Option<Sum>,
    /// Weighted composite (加权, P3.3(d)).
    #[serde(default)]
    pub weighted: Option<Weighted>,
    /// Multi-rater average per rater group with group weights (多人评分, P7.2).
    #[serde(default)]
    pub raters: Option<Raters>,
    /// How many values of a series are below a threshold (计数, P3.3(e)).
    #[serde(default)]
    pub count_below: Option<CountBelow>,
    /// Grades mapping a score to a label (等级).
    #[serde(default)]
    pub grade: Option<Grade>,
    /// Pick an indicator by condition, e.g. per level (按条件选择, P1.4).
    #[serde(default)]
    pub choose: Option<Choose>,
    /// A safe formula expression (公式).
    #[serde(default)]
    pub formula: Option<Formula>,
}

/// `value = { input = "..." }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ValueOf {
    /// Input id.
    pub input: String,
}

/// `rated = { input, min, max }` — out of range is an input error, never clamped.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rated {
    /// Input id.
    pub input: String,
    /// Lowest score.
    pub min: Num,
    /// Highest score.
    pub max: Num,
}

/// `deduct = { input, start, per, floor }`: `start − per × count`, at least `floor` if given.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deduct {
    /// Input id holding the number of events.
    pub input: String,
    /// Starting points.
    pub start: Num,
    /// Points deducted per event.
    pub per: Num,
    /// Lowest possible score; absent = no lower bound (P2.3).
    #[serde(default)]
    pub floor: Option<Num>,
}

/// `per_unit = { input, points, shared_input, shared_points, cap }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PerUnit {
    /// Input id of units sold alone.
    pub input: String,
    /// Points per unit.
    pub points: Num,
    /// Input id of co-operative (shared) deals.
    #[serde(default)]
    pub shared_input: Option<String>,
    /// Points per shared deal to each participant.
    #[serde(default)]
    pub shared_points: Option<Num>,
    /// Cap; absent = no cap.
    #[serde(default)]
    pub cap: Option<Num>,
}

/// `ratio = { actual, target, weight, cap, zero_below }`: `weight × actual / target`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    /// Input or indicator id of what was achieved.
    pub actual: String,
    /// Input id of the target; 0 or missing is an input error.
    pub target: String,
    /// Points at 100 % completion.
    pub weight: Num,
    /// Highest score; absent = uncapped.
    #[serde(default)]
    pub cap: Option<Num>,
    /// Completion ratio below which the score is 0 (exactly at it is not below), e.g. 0.6.
    #[serde(default)]
    pub zero_below: Option<Num>,
}

/// `band = { input, points, full_up_to, zero_above }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Input id.
    pub input: String,
    /// Full marks.
    pub points: Num,
    /// Full marks at or below this value.
    pub full_up_to: Num,
    /// Zero above this value; linear between.
    pub zero_above: Num,
}

/// `sum = { parts = [...] }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sum {
    /// Indicator ids.
    pub parts: Vec<String>,
}

/// `weighted = { parts = [{ indicator, weight }], normalise }`: `Σ weight × value / 100`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Weighted {
    /// Parts with weights in percent.
    pub parts: Vec<WeightedPart>,
    /// Divide by the weights' sum instead of 100; required when the weights do not add up to
    /// 100 (P7.3). Default false: such a policy is rejected.
    #[serde(default)]
    pub normalise: bool,
}

/// One part of a weighted composite.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WeightedPart {
    /// Indicator id.
    pub indicator: String,
    /// Weight in percent.
    pub weight: Num,
}

/// `raters = { input, groups = [...], normalise }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Raters {
    /// Input id of type `ratings`.
    pub input: String,
    /// Rater groups in rating order.
    pub groups: Vec<RaterGroup>,
    /// As in [`Weighted::normalise`] (P7.3).
    #[serde(default)]
    pub normalise: bool,
    /// Score range each rating must fall in.
    #[serde(default)]
    pub min: Option<Num>,
    /// Score range each rating must fall in.
    #[serde(default)]
    pub max: Option<Num>,
}

/// A rater group (评分人类别).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RaterGroup {
    /// Group id as written in the rater sheet's group column, e.g. `同事`.
    pub group: String,
    /// Chinese display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Weight in percent.
    pub weight: Num,
    /// Position in the rating order (P7.2); the server enforces it.
    pub order: u32,
    /// Whether a person with no rating from this group is an error (default true).
    #[serde(default = "yes")]
    pub required: bool,
}

/// `count_below = { input, below }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CountBelow {
    /// Input id of type `series`.
    pub input: String,
    /// Threshold; exactly at it is not below.
    pub below: Num,
}

/// `grade = { of, bands = [...] }`: bands must not overlap or leave gaps.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// Indicator id graded.
    pub of: String,
    /// Bands, each `from` inclusive and `to` exclusive; open ends allowed on the first and last.
    pub bands: Vec<GradeBand>,
}

/// One grade band.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    /// Lower bound, inclusive; absent = no lower bound.
    #[serde(default)]
    pub from: Option<Num>,
    /// Upper bound, exclusive; absent = no upper bound.
    #[serde(default)]
    pub to: Option<Num>,
    /// Label, e.g. `优秀`.
    pub label: String,
    /// English label.
    #[serde(default)]
    pub label_en: Option<String>,
}

/// `choose = { cases = [{ when, indicator }] }`: the first case whose condition holds.
/// No case holding is an error for that person, never a silent default.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choose {
    /// Cases in order.
    pub cases: Vec<ChooseCase>,
}

/// One case of [`Choose`].
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChooseCase {
    /// Condition.
    pub when: Cond,
    /// Indicator id used when the condition holds.
    pub indicator: String,
}

/// `formula = { expr = "..." }`: a safe expression over input, indicator and built-in names.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Formula {
    /// The expression, e.g. `written * 0.4 + speech * 0.6`.
    pub expr: String,
}

/// A condition (条件). Exactly one form per table:
/// - comparison: `{ var = "sales", op = ">=", value = 10 }` or `{ var = "sales", op = ">=", other = "target" }`
/// - membership: `{ var = "status", op = "in", values = ["转正"] }`
/// - truth: `{ var = "fraud", op = "is_true" }`, presence: `{ var = "target", op = "present" }`
/// - combinations: `{ all = [...] }`, `{ any = [...] }`, `{ not = {...} }`
/// - k of n: `{ at_least = 2, of = [...], mandatory = [...] }`
/// - an expression: `{ expr = "a > b" }`
///
/// A comparison on a missing value is an error for that person unless guarded by `present`
/// inside an `all` (evaluated left to right), so a missing value is never settled silently.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cond {
    /// Name compared: an input, indicator, roster field or built-in.
    #[serde(default)]
    pub var: Option<String>,
    /// Operator.
    #[serde(default)]
    pub op: Option<Op>,
    /// Constant compared with.
    #[serde(default)]
    pub value: Option<Num>,
    /// Another name compared with.
    #[serde(default)]
    pub other: Option<String>,
    /// Values for `in` / `not_in`.
    #[serde(default)]
    pub values: Option<Vec<String>>,
    /// All must hold.
    #[serde(default)]
    pub all: Option<Vec<Cond>>,
    /// At least one must hold.
    #[serde(default)]
    pub any: Option<Vec<Cond>>,
    /// Negation.
    #[serde(default)]
    pub not: Option<Box<Cond>>,
    /// k of n: how many of `of` must hold.
    #[serde(default)]
    pub at_least: Option<u32>,
    /// k of n: the n conditions.
    #[serde(default)]
    pub of: Option<Vec<Cond>>,
    /// k of n: conditions that must hold in any case.
    #[serde(default)]
    pub mandatory: Option<Vec<Cond>>,
    /// A boolean formula expression.
    #[serde(default)]
    pub expr: Option<String>,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum Op {
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Less or equal.
    #[serde(rename = "<=")]
    Le,
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater or equal.
    #[serde(rename = ">=")]
    Ge,
    /// Equal.
    #[serde(rename = "==")]
    Eq,
    /// Not equal.
    #[serde(rename = "!=")]
    Ne,
    /// Text value is one of `values`.
    #[serde(rename = "in")]
    In,
    /// Text value is none of `values`.
    #[serde(rename = "not_in")]
    NotIn,
    /// Yes/no value is yes.
    #[serde(rename = "is_true")]
    IsTrue,
    /// Yes/no value is no.
    #[serde(rename = "is_false")]
    IsFalse,
    /// A value is present.
    #[serde(rename = "present")]
    Present,
    /// The value is missing.
    #[serde(rename = "missing")]
    Missing,
}

/// Who the policy covers (考核对象).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Condition on roster fields (post, status, level); absent = everyone in the roster.
    #[serde(default)]
    pub include: Option<Cond>,
    /// Tenure exemption (新人豁免).
    #[serde(default)]
    pub tenure: Option<Tenure>,
    /// Groups smaller than this are ranked but get no line (最小组规模).
    #[serde(default)]
    pub min_group_size: Option<u32>,
}

/// "Hired this month or last → exempt" (P8.7).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tenure {
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// The first N periods of service are exempt; the month of hire is month one.
    pub exempt_first_periods: u32,
    /// Whether exempt people are left out of ranking and counts entirely (default true: "not counted").
    #[serde(default = "yes")]
    pub not_counted: bool,
}

/// Ranking (排名).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ranking {
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Indicator ranked by.
    pub by: String,
    /// Direction: `desc` (higher is better, default) or `asc`.
    #[serde(default)]
    pub order: Order,
    /// Roster fields forming the ranking group, e.g. `["branch"]`; empty = one group.
    #[serde(default)]
    pub group_by: Vec<String>,
    /// Tie-breakers in order (并列处理).
    #[serde(default)]
    pub tie_breakers: Vec<TieBreaker>,
}

/// Sort direction.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Higher is better (从高到低).
    #[default]
    Desc,
    /// Lower is better (从低到高).
    Asc,
}

/// A tie-breaker.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TieBreaker {
    /// Input or indicator id.
    pub by: String,
    /// Direction: `desc` means the higher value ranks higher (the lower one is nearer the line).
    #[serde(default)]
    pub order: Order,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
}

/// The elimination line (末位线).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// `group` (per ranking group, default) or `overall`.
    #[serde(default)]
    pub scope: Scope,
    /// Bottom N.
    #[serde(default)]
    pub bottom: Option<u32>,
    /// Bottom X percent of the ranked people.
    #[serde(default)]
    pub bottom_percent: Option<Num>,
    /// Rounding of the percent quota: `up`, `down` or `nearest` (half up). Required with percent.
    #[serde(default)]
    pub rounding: Option<Rounding>,
    /// Who may enter the line (candidate filter); absent = every ranked, non-exempt person.
    #[serde(default)]
    pub candidates: Option<Cond>,
    /// Exemptions (豁免), e.g. target met (P8.2).
    #[serde(default, rename = "exempt")]
    pub exemptions: Vec<Exemption>,
    /// Skip the line when every ranked person satisfies this (e.g. everyone met target).
    #[serde(default)]
    pub skip_when_everyone: Option<Cond>,
    /// Whether vetoed people take quota places (P7.7: yes; P4.12: no). Default false.
    #[serde(default)]
    pub vetoes_take_quota: bool,
    /// Fallback measure when a share threshold is crossed (P8.8).
    #[serde(default)]
    pub fallback: Option<Fallback>,
    /// Outcome id for entering the line.
    #[serde(default)]
    pub outcome: Option<String>,
    /// Rule id cited when an exact tie at the line goes to a person, e.g. `P7.6`; absent = the
    /// last tie-breaker's rule, else the line's.
    #[serde(default)]
    pub tie_rule: Option<String>,
}

/// Line scope.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Per ranking group.
    #[default]
    Group,
    /// Over everyone at once.
    Overall,
}

/// Quota rounding.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round up (向上取整).
    Up,
    /// Round down (向下取整).
    Down,
    /// Nearest, half up (四舍五入).
    Nearest,
}

/// An exemption from the line (豁免).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    /// Identifier.
    pub id: String,
    /// Condition.
    pub when: Cond,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Reason in Chinese, e.g. `完成当月销售任务`.
    pub reason: String,
    /// Reason in English.
    #[serde(default)]
    pub reason_en: Option<String>,
}

/// Fallback measure (P8.8).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fallback {
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// People counted in the share: those for whom this holds (e.g. missed target).
    pub share_of: Cond,
    /// Threshold in percent of the ranked people, inclusive (50 = "50% or more").
    pub at_least_percent: Num,
    /// Indicator that decides instead (e.g. workload completion).
    pub measure: String,
    /// Direction of the measure.
    #[serde(default)]
    pub order: Order,
    /// How many at the bottom of the measure are taken (default 1).
    #[serde(default = "one")]
    pub bottom: u32,
    /// Outcome id for them (e.g. direct elimination).
    pub outcome: String,
    /// Whether the fallback selection also counts as a line entry for history (P8.8: no).
    #[serde(default)]
    pub counts_as_line: bool,
}

fn one() -> u32 {
    1
}

/// A veto (一票否决): overrides the score.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Veto {
    /// Identifier.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Condition, usually a verified yes/no input.
    pub when: Cond,
    /// Outcome id (usually an Art. 39 path).
    pub outcome: String,
}

/// A gate (关卡): fails independently of the others; every failure is listed (P3).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Identifier.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// When the gate fails.
    pub fails_when: Cond,
    /// Outcome id when it fails.
    pub outcome: String,
    /// Whether failing this gate fails the assessment (default true). `false` makes it a
    /// recorded flag with its outcome while the person still passes, e.g. P3.2's first warning
    /// (口头警告并观察).
    #[serde(default = "yes")]
    pub eliminates: bool,
}

/// A history rule (历史规则), e.g. P8.6.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryRule {
    /// Identifier.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// The event counted (default: entering the line).
    #[serde(default)]
    pub event: Event,
    /// Any trigger firing fires the rule.
    pub triggers: Vec<Trigger>,
    /// What periods that are not events do to runs (default: every kind breaks).
    #[serde(default)]
    pub streak: StreakEffects,
    /// Outcome id.
    pub outcome: String,
}

/// The event a history rule counts.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Entering the line (进入末位线).
    #[default]
    Line,
}

/// A trigger: exactly one form.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// N consecutive periods with the event, ending now (连续N期).
    #[serde(default)]
    pub consecutive: Option<u32>,
    /// k times …
    #[serde(default)]
    pub times: Option<u32>,
    /// … within a rolling window of n periods including the current one (滚动N期内k次).
    #[serde(default)]
    pub within: Option<u32>,
    /// … within the current calendar year (年内累计).
    #[serde(default)]
    pub in_year: Option<bool>,
}

/// What a period without the event does to a run of consecutive events.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StreakEffects {
    /// Ranked but not in the line (default break: P7.9).
    #[serde(default)]
    pub clear: StreakEffect,
    /// Exempt (target met, new hire).
    #[serde(default)]
    pub exempt: StreakEffect,
    /// Not assessed that period (no data, not on the roster).
    #[serde(default)]
    pub absent: StreakEffect,
    /// The line was skipped or replaced by a fallback that period.
    #[serde(default)]
    pub skipped: StreakEffect,
}

impl Default for StreakEffects {
    fn default() -> Self {
        StreakEffects {
            clear: StreakEffect::Break,
            exempt: StreakEffect::Break,
            absent: StreakEffect::Break,
            skipped: StreakEffect::Break,
        }
    }
}

/// Effect of a non-event period on a run.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StreakEffect {
    /// The run is broken (中断).
    #[default]
    Break,
    /// The period is passed over: it neither counts nor breaks (跳过).
    Neutral,
}

/// Aggregation over blocks of periods (P2.7).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// Identifier.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Block length in periods (3 = a quarter of months).
    pub every: u32,
    /// First period of the first block, e.g. `2016-04`.
    pub anchor: String,
    /// Indicator summed over the block.
    pub measure: String,
    /// How many at the bottom are proposed.
    #[serde(default = "one")]
    pub bottom: u32,
    /// Outcome id (a proposal a person confirms).
    pub outcome: String,
}

/// Escalation ladder (处理阶梯, P7.8) by consecutive line entries.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Steps by the count of consecutive entries.
    pub steps: Vec<LadderStep>,
    /// What non-entry periods do to the count (P7.9: a clear period resets).
    #[serde(default)]
    pub streak: StreakEffects,
    /// Outcome id given when a person on a step has a clear period (P7.9 recovery).
    #[serde(default)]
    pub recovery_outcome: Option<String>,
}

/// One step of the ladder.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LadderStep {
    /// The consecutive count at which this step applies (1, 2, 3…); the highest step applies
    /// to any larger count.
    pub at: u32,
    /// Outcome id.
    pub outcome: String,
}

/// Levels (职级, P5).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Levels from low to high.
    pub order: Vec<LevelDef>,
    /// Changes, tried in order; the first whose `from` is the person's level and whose
    /// condition holds applies.
    #[serde(default, rename = "change")]
    pub changes: Vec<LevelChange>,
}

/// A level (职级).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelDef {
    /// Identifier, matched against the roster's level column (also by name).
    pub id: String,
    /// Chinese name, e.g. `初级`.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Monthly allowance (津贴).
    #[serde(default)]
    pub allowance: Option<Num>,
}

/// A level change rule.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelChange {
    /// From level id.
    pub from: String,
    /// To level id.
    pub to: String,
    /// Condition.
    pub when: Cond,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Outcome id (default none).
    #[serde(default)]
    pub outcome: Option<String>,
}

/// An outcome (处理结果): what follows, which document, which legal path.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Chinese name, e.g. `淘汰警告函及一个月观察培训`.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// The measure.
    pub measure: Measure,
    /// Document issued (文书), e.g. `warning_letter`.
    #[serde(default)]
    pub document: Option<String>,
    /// The legal path; checked against LABOUR-LAW.md.
    pub legal_path: LegalPath,
    /// Pay change in percent for pay measures, e.g. -50 (P7.8).
    #[serde(default)]
    pub pay_change_percent: Option<Num>,
    /// Whether a person must confirm before it takes effect (P2.7, P8.6 "project team decides").
    #[serde(default)]
    pub needs_confirmation: bool,
    /// Periods the measure lasts, e.g. 1 month of observation.
    #[serde(default)]
    pub duration_periods: Option<u32>,
}

/// Measures (措施).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Recorded verbal or written warning (警告).
    Warning,
    /// Observation with training (观察/培训).
    Observation,
    /// Training (培训).
    Training,
    /// Pay adjustment (调薪).
    PayChange,
    /// Transfer to another post (转岗).
    Transfer,
    /// Level change (职级调整).
    LevelChange,
    /// Onto the elimination list (进入淘汰名单) — a list, not a termination.
    EliminationList,
    /// Proposed for elimination; a person decides (提议淘汰).
    Proposal,
    /// Asked to resign: a mutual-agreement path (劝退/协商解除).
    AskToResign,
    /// Failed onboarding (入职考核未通过).
    OnboardingFail,
    /// Misconduct handled under Art. 39 (违纪处理).
    Misconduct,
    /// Restore post and pay (恢复原岗原薪).
    Restore,
    /// Nothing beyond recording.
    Record,
}

/// Legal paths (法律路径), see LABOUR-LAW.md.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LegalPath {
    /// Warning, training, observation: no termination (gate 1).
    Improvement,
    /// Pay, level or post adjustment under the rules (gate 6).
    Adjustment,
    /// Art. 40(2) incompetence termination: needs every gate (remediation, reassessment,
    /// Art. 42, union notice, notice pay, compensation N).
    Incompetence,
    /// Art. 39 misconduct: the rule must define the conduct as serious; evidence attached.
    Misconduct,
    /// Art. 21 / 39(1): not meeting hiring conditions in probation; written reason.
    Probation,
    /// Art. 36 mutual agreement (协商一致): the person may refuse.
    MutualAgreement,
    /// A person decides; no legal effect by itself.
    Decision,
}

/// Process parameters (流程参数), enforced by the server.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Process {
    /// Working days after the cycle to compile the figures (P4.9: 10).
    #[serde(default)]
    pub compile_within_working_days: Option<u32>,
    /// Working days after the cycle to compute, sign and publish (P4.9: 15).
    #[serde(default)]
    pub publish_within_working_days: Option<u32>,
    /// Each person signs their score (P4.9).
    #[serde(default)]
    pub sign_off: bool,
    /// Appeal window after publication, in working days (P4.10: 3).
    #[serde(default)]
    pub appeal_window_working_days: Option<u32>,
    /// Approval chain roles in order (P4.11).
    #[serde(default)]
    pub approval_chain: Vec<String>,
    /// Who acts for a label of the chain that names no role of the system, by role code or
    /// Chinese role name (`chain_roles = { "办公室" = "hq_hr" }`, P7.4): the company says who
    /// its 办公室 is, instead of the program guessing.
    #[serde(default)]
    pub chain_roles: BTreeMap<String, String>,
    /// Days after publication for the approvals (P4.11: 7).
    #[serde(default)]
    pub approval_within_days: Option<u32>,
    /// Who receives the summary (P2.6: 总经办).
    #[serde(default)]
    pub summary_to: Option<String>,
    /// Rule ids.
    #[serde(default)]
    pub rules: Vec<String>,
}

/// A recorded Decision (决定) on blank or ambiguous source text.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionNote {
    /// Rule id.
    pub rule: String,
    /// The decision in Chinese.
    pub text: String,
    /// The decision in English.
    #[serde(default)]
    pub text_en: Option<String>,
}

/// Roster fields a condition or `group_by` may name (花名册字段).
pub const ROSTER_FIELDS: &[&str] = &[
    "id",
    "name",
    "region",
    "branch",
    "department",
    "project",
    "post",
    "level",
    "status",
    "hire_date",
    "level_since",
];

/// Built-in names available to conditions and formulas (内置量).
/// `tenure_periods`: periods of service including the month of hire;
/// `rank`, `group_size`, `rank_percent` (rank ÷ group size × 100): after ranking;
/// `periods_at_level`: periods since the roster's `level_since` date.
pub const BUILTINS: &[&str] = &[
    "tenure_periods",
    "rank",
    "group_size",
    "rank_percent",
    "periods_at_level",
];
