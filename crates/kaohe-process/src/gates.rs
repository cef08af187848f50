//! The labour-law gates (劳动法关口) of `LABOUR-LAW.md`, evaluated for one concrete
//! termination decision: the outcome's requirements (from `kaohe_engine::legal::requirements`)
//! against the evidence on record, on the decision date.
//!
//! Each requirement becomes a [`GateResult`]: `Pass`, `Fail` (with why, zh/en) or `Info` (an
//! obligation shown but not checkable before the decision: the 2N exposure, the certificate,
//! the burden of proof). A synthetic first gate `reason_type` (gate 1) passes only for a
//! termination path (incompetence, misconduct, probation, mutual agreement): a rank, a list or
//! a proposal is never by itself a reason. A termination may be documented only when no gate
//! fails ([`Verdict::documented`]).
//!
//! Decisions (documented choices):
//! - Remediation counts only if it started on or after the incompetence finding and ended by
//!   the decision date; the reassessment period must start on or after the remediation ended,
//!   be assessed by the decision date and find incompetence again (gate 3).
//! - Art. 42 statuses are checked on the decision date, ranges inclusive, an open end = still
//!   in force. "15+ consecutive years and under 5 years from statutory retirement" is derived
//!   from the service start and the retirement date.
//! - The union notice may be on the decision day or before, never after (Art. 43).
//! - 30 days' notice: the effective date is at least 30 calendar days after the notice day.
//! - Codes without evidence fields of their own (rule_basis, minimum_wage, reasonable_transfer,
//!   relationship_*) pass only when a person confirmed them on record ([`Evidence::confirmed`]).
//! - Money: N via `kaohe_engine::legal::compensation_estimate`; notice pay (Art. 40, 代通知金)
//!   = last month's wage (实施条例第20条) when pay in lieu is chosen; 2N shown when any gate
//!   fails.

mod eval;

#[cfg(test)]
mod tests;

pub use eval::evaluate;

use chrono::NaiveDate;
use kaohe_engine::result::Requirement;
use kaohe_policy::model::LegalPath;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The decision being checked (解除决定).
#[derive(Clone, Debug)]
pub struct Decision<'a> {
    /// The decision date (决定日): Art. 42 is checked on it.
    pub date: NaiveDate,
    /// The outcome's legal path.
    pub legal_path: LegalPath,
    /// The outcome's requirements, as the engine attached them.
    pub requirements: &'a [Requirement],
}

/// A remediation measure on record (培训/调岗记录).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remediation {
    /// Training or transfer.
    pub kind: RemediationKind,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// Kind of remediation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemediationKind {
    /// 培训 targeted training.
    Training,
    /// 调岗 changed post.
    Transfer,
}

/// An assessment after remediation (再考核).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reassessment {
    /// First day of the period assessed.
    pub period_start: NaiveDate,
    /// Day the result was established.
    pub assessed_on: NaiveDate,
    /// Whether it again found the person unable to do the job.
    pub incompetent: bool,
}

/// An Art. 42 protected status (第42条保护情形), with its dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectedStatus {
    /// Which.
    pub kind: ProtectedKind,
    /// From (inclusive).
    pub from: NaiveDate,
    /// To (inclusive); `None` = still in force.
    pub to: Option<NaiveDate>,
}

/// Art. 42 statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtectedKind {
    /// 孕期、产期、哺乳期 pregnancy, maternity leave or nursing (Art. 42(4)).
    PregnancyMaternityNursing,
    /// 医疗期 medical period for illness or non-work injury (Art. 42(3)).
    MedicalPeriod,
    /// 职业病或因工负伤并丧失劳动能力 occupational disease or work injury (Art. 42(2)).
    OccupationalDiseaseOrInjury,
    /// 未进行离岗前职业健康检查或疑似职业病 hazard exposure without exit check (Art. 42(1)).
    OccupationalHazardUnchecked,
    /// 法律、行政法规规定的其他情形 protected by another law (Art. 42(6)).
    OtherLaw,
}

/// How notice is handled (Art. 40: 30 days' notice or a month's wage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// Nothing on record.
    None,
    /// Written notice given on `on`, termination effective on `effective`.
    Given {
        /// Notice day.
        on: NaiveDate,
        /// Effective day.
        effective: NaiveDate,
    },
    /// One month's extra wage instead (代通知金).
    PayInLieu,
}

/// Wage figures for the money (工资数据).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wages {
    /// Average monthly wage of the last 12 months.
    pub avg_monthly_12m: Decimal,
    /// Last month's wage (basis of notice pay).
    pub last_month: Decimal,
    /// Local average monthly wage (for the 3× cap; 0 = unknown).
    pub local_avg: Decimal,
    /// Months of service.
    pub service_months: u32,
}

/// The evidence on record for one person (证据), as the server holds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Evidence {
    /// The absolute standard the incompetence is shown against (agreed task, normal workload).
    pub absolute_standard: Option<String>,
    /// A target was raised mid-period (flagged, fails gate 2).
    pub target_raised_mid_period: bool,
    /// Day incompetence was first found.
    pub finding_date: Option<NaiveDate>,
    /// Training and transfer records.
    pub remediation: Vec<Remediation>,
    /// Assessments after remediation.
    pub reassessments: Vec<Reassessment>,
    /// Art. 42 statuses.
    pub protected: Vec<ProtectedStatus>,
    /// Start of continuous service with the employer.
    pub continuous_service_since: Option<NaiveDate>,
    /// Statutory retirement date.
    pub statutory_retirement: Option<NaiveDate>,
    /// Last day of probation, if any.
    pub probation_until: Option<NaiveDate>,
    /// Written reason given (Art. 21).
    pub written_reason: Option<String>,
    /// Hiring conditions stated at hiring (录用条件).
    pub hiring_conditions: Option<String>,
    /// Day the union was notified (Art. 43).
    pub union_notified_on: Option<NaiveDate>,
    /// Notice or pay in lieu.
    pub notice: Notice,
    /// The rule that defines the conduct as serious (Art. 39).
    pub serious_conduct_rule: Option<String>,
    /// Evidence documents attached (ids).
    pub evidence_attached: Vec<String>,
    /// Policy adoption date (Art. 4).
    pub policy_adopted: Option<NaiveDate>,
    /// Policy publication date (Art. 4).
    pub policy_published: Option<NaiveDate>,
    /// Mutual-agreement document signed by the person on this day (Art. 36).
    pub agreement_signed_on: Option<NaiveDate>,
    /// Requirement codes a person confirmed on record (rule_basis, minimum_wage…).
    pub confirmed: Vec<String>,
    /// Wage figures.
    pub wages: Option<Wages>,
}

/// Result of one gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateStatus {
    /// Satisfied on record.
    Pass,
    /// Not satisfied: blocks documenting the termination.
    Fail,
    /// Shown, not checkable before the decision.
    Info,
}

/// One gate evaluated (关口结果).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateResult {
    /// Requirement code (or `reason_type`).
    pub code: String,
    /// Article.
    pub article: String,
    /// Status.
    pub status: GateStatus,
    /// What the gate requires, Chinese.
    pub zh: String,
    /// What the gate requires, English.
    pub en: String,
    /// What was found, Chinese.
    pub detail_zh: String,
    /// What was found, English.
    pub detail_en: String,
}

/// The verdict on a termination decision (结论).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Every gate, `reason_type` first, then the requirements in order.
    pub gates: Vec<GateResult>,
    /// Whether the termination may be documented: no gate failed.
    pub documented: bool,
    /// Estimated compensation N owed (incompetence, mutual agreement), when wages are known.
    pub compensation_n: Option<Decimal>,
    /// Notice pay when pay in lieu is chosen (incompetence).
    pub notice_pay: Option<Decimal>,
    /// 2 × N, shown when any gate fails and wages are known (Art. 48/87).
    pub exposure_2n: Option<Decimal>,
}

impl Verdict {
    /// The gates that failed.
    pub fn failed(&self) -> impl Iterator<Item = &GateResult> {
        self.gates.iter().filter(|g| g.status == GateStatus::Fail)
    }
}
