//! Labour-law requirements per legal path (LABOUR-LAW.md gates) and the Art. 47
//! compensation estimate, worked out by hand.

use kaohe_engine::legal::{
    compensation_estimate, compensation_months, rank_based_notice, requirements,
};
use kaohe_engine::Policy;
use kaohe_policy::model::Outcome;
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A policy with the given extra `[policy]` lines and one outcome `o` given as TOML.
fn setup(meta: &str, outcome: &str) -> (Policy, Outcome) {
    let text = format!(
        "[policy]\nid = \"t\"\nversion = \"1\"\nname = \"测试\"\ncycle = \"monthly\"\n{meta}\n\n[outcome.o]\nname = \"处理\"\n{outcome}\n"
    );
    let p: Policy = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let o = p.outcomes["o"].clone();
    (p, o)
}

const ADOPTED: &str = "adopted = \"2016-03-01\"\npublished = \"2016-03-15\"";

fn codes(meta: &str, outcome: &str) -> Vec<String> {
    let (p, o) = setup(meta, outcome);
    requirements(&p, &o).into_iter().map(|r| r.code).collect()
}

#[test]
fn gate1_improvement_needs_nothing_of_its_own() {
    // P8.5 warning letter + observation: no termination path, nothing to check.
    let c = codes(
        ADOPTED,
        "measure = \"observation\"\nlegal_path = \"improvement\"",
    );
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn gate1_rank_labels_are_no_termination_ground() {
    // P8.6 elimination list on the mutual-agreement path ("asked to resign"): the list is no
    // ground (Guiding Case 18), the person may refuse (Art. 36), N if the employer proposes.
    let c = codes(
        ADOPTED,
        "measure = \"elimination_list\"\nlegal_path = \"mutual_agreement\"",
    );
    assert_eq!(
        c,
        [
            "not_termination_ground",
            "mutual_agreement_refusable",
            "compensation_n_agreement",
            "certificate_and_transfer"
        ]
    );
    let (p, _) = setup(
        ADOPTED,
        "measure = \"record\"\nlegal_path = \"improvement\"",
    );
    let n = rank_based_notice(&p).map(|r| r.article);
    assert_eq!(
        n.as_deref(),
        Some("最高人民法院指导案例18号；第八次全国法院民事商事审判工作会议纪要第29条")
    );
}

#[test]
fn gate6_pay_cut_checks_minimum_wage_and_rule_basis() {
    // P7.8 2nd in a row: base post pay −50 % → adjustment path.
    let (p, o) = setup(
        ADOPTED,
        "measure = \"pay_change\"\nlegal_path = \"adjustment\"\npay_change_percent = -50",
    );
    let r = requirements(&p, &o);
    let c: Vec<&str> = r.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(c, ["rule_basis", "burden_of_proof", "minimum_wage"]);
    assert!(r[2].zh.contains("调薪-50%"), "{}", r[2].zh);
    assert!(r[2].en.contains("by -50%"), "{}", r[2].en);
    // P7.8 3rd in a row: transfer → reasonable transfer too.
    let c = codes(
        ADOPTED,
        "measure = \"transfer\"\nlegal_path = \"adjustment\"",
    );
    assert_eq!(c, ["rule_basis", "burden_of_proof", "reasonable_transfer"]);
}

#[test]
fn gates2_to_5_incompetence_needs_every_gate() {
    let c = codes(
        ADOPTED,
        "measure = \"record\"\nlegal_path = \"incompetence\"",
    );
    assert_eq!(
        c,
        [
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
            "burden_of_proof"
        ]
    );
    let (p, o) = setup(
        ADOPTED,
        "measure = \"record\"\nlegal_path = \"incompetence\"",
    );
    let r = requirements(&p, &o);
    assert_eq!(r[3].article, "劳动合同法第42条");
    assert_eq!(r[5].article, "劳动合同法第43条");
}

#[test]
fn gate7_misconduct_art39() {
    // P4.6 / P4.8 fraud vetoes.
    let c = codes(
        ADOPTED,
        "measure = \"misconduct\"\nlegal_path = \"misconduct\"",
    );
    assert_eq!(
        c,
        [
            "serious_conduct_defined",
            "rules_adopted_published",
            "evidence_attached",
            "union_notice",
            "certificate_and_transfer"
        ]
    );
}

#[test]
fn probation_and_decision_paths() {
    // P3 onboarding failure: Art. 21 + 39(1).
    let c = codes(
        ADOPTED,
        "measure = \"onboarding_fail\"\nlegal_path = \"probation\"",
    );
    assert_eq!(
        c,
        [
            "probation_written_reason",
            "hiring_conditions_stated",
            "union_notice",
            "certificate_and_transfer"
        ]
    );
    // P2.7 quarterly proposal: a person decides.
    let c = codes(ADOPTED, "measure = \"proposal\"\nlegal_path = \"decision\"");
    assert_eq!(c, ["not_termination_ground", "person_decides"]);
}

#[test]
fn gate8_relationship_and_art4_adoption_record() {
    // Dispatch relationship, no adoption date: both tail requirements on a non-improvement path.
    let c = codes(
        "relationship = \"dispatch\"\npublished = \"2016-03-15\"",
        "measure = \"proposal\"\nlegal_path = \"decision\"",
    );
    assert_eq!(
        c,
        [
            "not_termination_ground",
            "person_decides",
            "relationship_dispatch",
            "policy_adoption_record"
        ]
    );
    let c = codes(
        "relationship = \"agency\"",
        "measure = \"warning\"\nlegal_path = \"improvement\"",
    );
    assert!(
        c.is_empty(),
        "improvement stays free of tail requirements: {c:?}"
    );
    let c = codes(
        "relationship = \"agency\"\nadopted = \"2016-03-01\"\npublished = \"2016-03-15\"",
        "measure = \"transfer\"\nlegal_path = \"adjustment\"",
    );
    assert_eq!(
        c,
        [
            "rule_basis",
            "burden_of_proof",
            "reasonable_transfer",
            "relationship_agency"
        ]
    );
}

#[test]
fn jurisdiction_none_is_one_visible_notice() {
    let (p, o) = setup(
        "jurisdiction = \"none\"",
        "measure = \"elimination_list\"\nlegal_path = \"incompetence\"",
    );
    let r = requirements(&p, &o);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].code, "labour_law_off");
    assert!(r[0].en.contains("switched off by the policy"));
    assert!(rank_based_notice(&p).is_none());
}

#[test]
fn art47_compensation_months() {
    // 3 years 7 months = 43 months: 3 full years + remainder 7 (6–11 → one more) = 4.
    assert_eq!(compensation_months(43), dec("4"));
    // 5 months: under 6 → half a month.
    assert_eq!(compensation_months(5), dec("0.5"));
    // 6 months → 1; 2 years exactly → 2; 2 years 1 month → 2.5; nothing → 0.
    assert_eq!(compensation_months(6), dec("1"));
    assert_eq!(compensation_months(24), dec("2"));
    assert_eq!(compensation_months(25), dec("2.5"));
    assert_eq!(compensation_months(0), dec("0"));
}

#[test]
fn art47_compensation_estimate_and_caps() {
    // Not capped: wage 8,000.50, local average 7,000 (cap 21,000), 43 months → 4 × 8,000.50
    // = 32,002.
    assert_eq!(
        compensation_estimate(dec("8000.50"), dec("7000"), 43),
        dec("32002")
    );
    // Capped: wage 40,000 > 3 × 10,000; 15 years 8 months → 16 months, capped at 12;
    // base 30,000 → 360,000.
    assert_eq!(
        compensation_estimate(dec("40000"), dec("10000"), 15 * 12 + 8),
        dec("360000")
    );
    // Capped base but fewer than 12 years: 3 years 2 months → 3.5 × 30,000 = 105,000.
    assert_eq!(
        compensation_estimate(dec("40000"), dec("10000"), 38),
        dec("105000")
    );
    // Exactly 3× is not above: wage 30,000, 15 years → 15 × 30,000 = 450,000 (no year cap).
    assert_eq!(
        compensation_estimate(dec("30000"), dec("10000"), 180),
        dec("450000")
    );
    // Unknown local average (0) → no cap; negative wage counts as 0.
    assert_eq!(
        compensation_estimate(dec("9000"), dec("0"), 12),
        dec("9000")
    );
    assert_eq!(compensation_estimate(dec("-5"), dec("1000"), 12), dec("0"));
}
