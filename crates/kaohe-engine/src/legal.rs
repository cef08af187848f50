//! Labour-law requirements per legal path (劳动法要件, LABOUR-LAW.md), and the Art. 47
//! compensation estimate.
//!
//! [`requirements`] turns an outcome's legal path and measure into the list of
//! [`Requirement`]s that must still be true or on record before it may take effect; each
//! carries a stable code, its article and a Chinese and English text (the texts live in
//! [`catalogue`]). The engine attaches them to every outcome; documents show them.
//!
//! Decisions (documented choices):
//! - **Jurisdiction switched off** (`jurisdiction = "none"`): the list is exactly one
//!   requirement, code `labour_law_off`, saying so — visible on every outcome, never an
//!   empty list that looks like "nothing needed".
//! - **Improvement** (warning, training, observation): no requirement of its own. A
//!   rank-based outcome (line entry, fallback, history rule, ladder step, aggregate proposal)
//!   additionally carries `not_termination_ground` (SPC Guiding Case No. 18), added by the
//!   outcome stage with [`rank_based_notice`]; outcomes whose measure is itself a rank label
//!   (elimination list, proposal, asked to resign) carry it from [`requirements`].
//! - **Adjustment**: `rule_basis` and `burden_of_proof`; pay measures (`pay_change` or a
//!   `pay_change_percent`) add `minimum_wage` on any path, naming the percentage; transfers
//!   add `reasonable_transfer`.
//! - **Incompetence** (Art. 40(2)): every gate — absolute standard, remediation record,
//!   reassessment, Art. 42 check on the decision date, Art. 21 if on probation, union notice,
//!   notice or pay in lieu, compensation N, the 2N exposure, certificate and transfers, burden
//!   of proof.
//! - **Misconduct** (Art. 39): conduct defined as serious, rules adopted and published,
//!   evidence attached, union notice, certificate.
//! - **Probation** (Art. 21 + 39(1)): written reason within the probation period, hiring
//!   conditions stated, union notice, certificate.
//! - **Mutual agreement** (Art. 36): the person may refuse; compensation N when the employer
//!   proposes (Art. 46(2)); certificate.
//! - **Decision**: a person confirms (`person_decides`).
//! - Every path except Improvement also gets `relationship_agency` / `relationship_dispatch`
//!   when the policy covers those relationships (gate 8), and `policy_adoption_record` when the
//!   policy lacks its adoption or publication date (Art. 4).

pub(crate) mod catalogue;

#[cfg(test)]
mod tests;

use crate::result::Requirement;
use kaohe_policy::model::{Jurisdiction, LegalPath, Measure, Outcome, Relationship};
use kaohe_policy::Policy;
use rust_decimal::Decimal;

/// Whether the policy has the labour-law checks on (`jurisdiction = "CN"`).
pub fn labour_law_checked(policy: &Policy) -> bool {
    policy.policy.jurisdiction != Jurisdiction::None
}

/// What an outcome still needs before it may take effect, in a fixed order.
pub fn requirements(policy: &Policy, outcome: &Outcome) -> Vec<Requirement> {
    if !labour_law_checked(policy) {
        return codes(&["labour_law_off"]);
    }
    let mut list: Vec<&str> = Vec::new();
    if matches!(
        outcome.measure,
        Measure::EliminationList | Measure::Proposal | Measure::AskToResign
    ) {
        list.push("not_termination_ground");
    }
    list.extend_from_slice(match outcome.legal_path {
        LegalPath::Improvement => &[],
        LegalPath::Adjustment => &["rule_basis", "burden_of_proof"],
        LegalPath::Incompetence => &[
            "absolute_standard",
            "remediation_record",
            "reassessment",
            "protected_status_check",
            "probation_art21",
            "union_notice",
            "notice_or_pay_in_lieu",
            "compensation_n",
            "unlawful_exposure_2n",
            "certificate_and_transfer",
            "burden_of_proof",
        ],
        LegalPath::Misconduct => &[
            "serious_conduct_defined",
            "rules_adopted_published",
            "evidence_attached",
            "union_notice",
            "certificate_and_transfer",
        ],
        LegalPath::Probation => &[
            "probation_written_reason",
            "hiring_conditions_stated",
            "union_notice",
            "certificate_and_transfer",
        ],
        LegalPath::MutualAgreement => &[
            "mutual_agreement_refusable",
            "compensation_n_agreement",
            "certificate_and_transfer",
        ],
        LegalPath::Decision => &["person_decides"],
    });
    if outcome.measure == Measure::Transfer {
        list.push("reasonable_transfer");
    }
    let mut out = codes(&list);
    if outcome.measure == Measure::PayChange || outcome.pay_change_percent.is_some() {
        out.push(minimum_wage(outcome));
    }
    if outcome.legal_path != LegalPath::Improvement {
        let mut tail: Vec<&str> = Vec::new();
        match policy.policy.relationship {
            Relationship::Employment => {}
            Relationship::Agency => tail.push("relationship_agency"),
            Relationship::Dispatch => tail.push("relationship_dispatch"),
        }
        if policy.policy.adopted.is_none() || policy.policy.published.is_none() {
            tail.push("policy_adoption_record");
        }
        out.extend(codes(&tail));
    }
    out
}

/// The notice every rank-based outcome carries (`not_termination_ground`), or `None` when the
/// policy switched the labour-law checks off (its outcomes carry `labour_law_off` instead).
pub fn rank_based_notice(policy: &Policy) -> Option<Requirement> {
    if labour_law_checked(policy) {
        catalogue::get("not_termination_ground")
    } else {
        None
    }
}

/// The minimum-wage requirement, naming the pay change when the outcome gives one.
fn minimum_wage(outcome: &Outcome) -> Requirement {
    let mut r = codes(&["minimum_wage"]).remove(0);
    if let Some(p) = outcome.pay_change_percent {
        let sign = if p.value().is_sign_positive() {
            "+"
        } else {
            ""
        };
        r.zh.push_str(&format!(
            "本处理调薪{sign}{p}%：须按本人实际工资算出调整后金额并与当地最低工资标准比较。"
        ));
        r.en.push_str(&format!(
            " This measure changes pay by {sign}{p}%: compute the resulting amount from the person's actual pay and compare it with the local minimum wage."
        ));
    }
    r
}

/// Requirements for catalogue codes, in the order given. Every code used here is in the
/// catalogue (a unit test checks it).
fn codes(list: &[&str]) -> Vec<Requirement> {
    list.iter().filter_map(|c| catalogue::get(c)).collect()
}

/// Months of economic compensation N for a length of service (劳动合同法第47条): one month per
/// full year; a remainder of 6–11 months counts as a full year (+1); a remainder of 1–5
/// months gives half a month (+0.5). No cap here (see [`compensation_estimate`]).
///
/// 3 years 7 months (43) → 4; 5 months → 0.5; 2 years exactly (24) → 2; 0 → 0.
pub fn compensation_months(service_months: u32) -> Decimal {
    let years = Decimal::from(service_months / 12);
    let extra = match service_months % 12 {
        0 => Decimal::ZERO,
        1..=5 => Decimal::new(5, 1),
        _ => Decimal::ONE,
    };
    years + extra
}

/// Estimated economic compensation N (劳动合同法第46/47条), in the wage's currency.
///
/// `avg_monthly_wage`: the person's average monthly wage over the last 12 months;
/// `local_avg_wage`: the local average monthly wage published for the previous year.
/// When the wage is above 3× the local average, the base is 3× the local average and the
/// months are capped at 12. A negative wage counts as 0; a local average of 0 or less means
/// "unknown" and no cap is applied (the estimate then says more, never less). The result is
/// exact (no rounding); it saturates instead of overflowing.
pub fn compensation_estimate(
    avg_monthly_wage: Decimal,
    local_avg_wage: Decimal,
    service_months: u32,
) -> Decimal {
    let wage = avg_monthly_wage.max(Decimal::ZERO);
    let months = compensation_months(service_months);
    let cap = local_avg_wage.saturating_mul(Decimal::from(3));
    if local_avg_wage > Decimal::ZERO && wage > cap {
        cap.saturating_mul(months.min(Decimal::from(12)))
    } else {
        wage.saturating_mul(months)
    }
}
