//! Hand-worked gate tests on the shipped P4 policy's outcomes (P4.6, P4.11, P4.12).

use super::*;
use kaohe_engine::legal::requirements;
use kaohe_policy::Policy;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn p4() -> Policy {
    kaohe_policy::load_str(
        include_str!("../../../../policies/p4-group-sales.toml"),
        "p4-group-sales.toml",
    )
    .unwrap()
}

fn reqs(outcome: &str) -> (LegalPath, Vec<Requirement>) {
    let p = p4();
    let o = &p.outcomes[outcome];
    (o.legal_path, requirements(&p, o))
}

/// A complete Art. 40(2) file, decision on 2026-06-15.
fn complete() -> Evidence {
    Evidence {
        absolute_standard: Some("月销售任务（劳动合同附件约定）".into()),
        target_raised_mid_period: false,
        finding_date: Some(d("2026-02-27")),
        remediation: vec![Remediation {
            kind: RemediationKind::Training,
            from: d("2026-03-02"),
            to: d("2026-03-31"),
        }],
        reassessments: vec![Reassessment {
            period_start: d("2026-04-01"),
            assessed_on: d("2026-05-20"),
            incompetent: true,
        }],
        protected: vec![],
        continuous_service_since: Some(d("2022-11-01")),
        statutory_retirement: Some(d("2055-05-01")),
        probation_until: None,
        written_reason: None,
        hiring_conditions: None,
        union_notified_on: Some(d("2026-06-10")),
        notice: Notice::Given {
            on: d("2026-06-15"),
            effective: d("2026-07-15"),
        },
        serious_conduct_rule: None,
        evidence_attached: vec![],
        policy_adopted: Some(d("2024-12-20")),
        policy_published: Some(d("2025-01-01")),
        agreement_signed_on: None,
        confirmed: vec![],
        wages: Some(Wages {
            avg_monthly_12m: Decimal::from(8000),
            last_month: Decimal::from(7500),
            local_avg: Decimal::from(10000),
            service_months: 43,
        }),
    }
}

fn run(outcome: &str, ev: &Evidence) -> Verdict {
    let (legal_path, requirements) = reqs(outcome);
    evaluate(
        &Decision {
            date: d("2026-06-15"),
            legal_path,
            requirements: &requirements,
        },
        ev,
    )
}

fn failed(v: &Verdict) -> Vec<String> {
    v.failed().map(|g| g.code.clone()).collect()
}

#[test]
fn complete_incompetence_file_passes_every_gate() {
    let v = run("incompetence_review", &complete());
    assert_eq!(failed(&v), Vec::<String>::new());
    assert!(v.documented);
    // 43 months = 3 years 7 months → 4 months × 8000 = 32000 (no cap: 8000 ≤ 3 × 10000).
    assert_eq!(v.compensation_n, Some(Decimal::from(32000)));
    assert_eq!(v.notice_pay, None);
    assert_eq!(v.exposure_2n, None);
    assert_eq!(v.gates[0].code, "reason_type");
    let codes: Vec<&str> = v.gates.iter().map(|g| g.code.as_str()).collect();
    for c in [
        "absolute_standard",
        "remediation_record",
        "reassessment",
        "protected_status_check",
        "union_notice",
    ] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
}

#[test]
fn gate1_a_list_or_training_is_no_termination_reason() {
    // P4.12 improvement plan (training): not a termination path.
    let v = run("improvement_plan", &complete());
    assert_eq!(failed(&v), vec!["reason_type"]);
    assert!(!v.documented);
    assert!(v.gates[0].detail_zh.contains("指导案例18号"));
}

#[test]
fn gate2_target_raised_mid_period() {
    let mut ev = complete();
    ev.target_raised_mid_period = true;
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["absolute_standard"]
    );
    let mut ev = complete();
    ev.absolute_standard = Some("  ".into());
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["absolute_standard"]
    );
}

#[test]
fn gate3_remediation_must_follow_the_finding_and_precede_reassessment() {
    // Training in January, before the finding of Feb 27: does not count; so no reassessment.
    let mut ev = complete();
    ev.remediation[0].from = d("2026-01-05");
    ev.remediation[0].to = d("2026-01-31");
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["remediation_record", "reassessment"]
    );
    // Reassessment period starting Mar 15, inside the training (ends Mar 31): not "after".
    let mut ev = complete();
    ev.reassessments[0].period_start = d("2026-03-15");
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["reassessment"]
    );
    // Reassessment found the person competent.
    let mut ev = complete();
    ev.reassessments[0].incompetent = false;
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["reassessment"]
    );
}

#[test]
fn gate4_art42_checked_on_the_decision_date() {
    let mut ev = complete();
    ev.protected = vec![ProtectedStatus {
        kind: ProtectedKind::PregnancyMaternityNursing,
        from: d("2026-06-01"),
        to: None,
    }];
    let v = run("incompetence_review", &ev);
    assert_eq!(failed(&v), vec!["protected_status_check"]);
    // 2N exposure shown: 2 × 32000.
    assert_eq!(v.exposure_2n, Some(Decimal::from(64000)));
    // A medical period that ended the day before the decision does not block.
    ev.protected = vec![ProtectedStatus {
        kind: ProtectedKind::MedicalPeriod,
        from: d("2026-05-01"),
        to: Some(d("2026-06-14")),
    }];
    assert!(run("incompetence_review", &ev).documented);
    // ...but one ending on the decision day does (inclusive).
    ev.protected[0].to = Some(d("2026-06-15"));
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["protected_status_check"]
    );
}

#[test]
fn gate4_long_service_near_retirement() {
    // Since 2010-01-01: 15 years reached 2025-01-01 ≤ 2026-06-15; retirement 2030-03-01 minus
    // 5 years = 2025-03-01 < 2026-06-15 → protected.
    let mut ev = complete();
    ev.continuous_service_since = Some(d("2010-01-01"));
    ev.statutory_retirement = Some(d("2030-03-01"));
    let v = run("incompetence_review", &ev);
    assert_eq!(failed(&v), vec!["protected_status_check"]);
    assert!(v.gates.iter().any(|g| g.detail_zh.contains("满15年")));
    // Since 2012-01-01: 15 years only on 2027-01-01 → not yet protected.
    ev.continuous_service_since = Some(d("2012-01-01"));
    assert!(run("incompetence_review", &ev).documented);
}

#[test]
fn gate4_probation_needs_a_written_reason() {
    let mut ev = complete();
    ev.probation_until = Some(d("2026-06-30"));
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["probation_art21"]
    );
    ev.written_reason = Some("试用期内经培训仍不能完成约定任务".into());
    assert!(run("incompetence_review", &ev).documented);
}

#[test]
fn gate5_union_notice_and_thirty_days() {
    let mut ev = complete();
    ev.union_notified_on = Some(d("2026-06-16"));
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["union_notice"]
    );
    ev.union_notified_on = None;
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["union_notice"]
    );
    // Jun 15 + 30 days = Jul 15: effective Jul 14 is one day short.
    let mut ev = complete();
    ev.notice = Notice::Given {
        on: d("2026-06-15"),
        effective: d("2026-07-14"),
    };
    assert_eq!(
        failed(&run("incompetence_review", &ev)),
        vec!["notice_or_pay_in_lieu"]
    );
    ev.notice = Notice::PayInLieu;
    let v = run("incompetence_review", &ev);
    assert!(v.documented);
    // Pay in lieu = last month's wage.
    assert_eq!(v.notice_pay, Some(Decimal::from(7500)));
    // No wages on record: N cannot be estimated → fails, no money shown.
    ev.wages = None;
    let v = run("incompetence_review", &ev);
    assert_eq!(failed(&v), vec!["compensation_n"]);
    assert_eq!((v.compensation_n, v.exposure_2n), (None, None));
}

#[test]
fn compensation_cap_for_high_wages() {
    // 40000 > 3 × 10000 → base 30000, 180 months = 15 years capped at 12 → 360000.
    let mut ev = complete();
    ev.wages = Some(Wages {
        avg_monthly_12m: Decimal::from(40000),
        last_month: Decimal::from(40000),
        local_avg: Decimal::from(10000),
        service_months: 180,
    });
    assert_eq!(
        run("incompetence_review", &ev).compensation_n,
        Some(Decimal::from(360000))
    );
}

#[test]
fn gate7_misconduct_needs_rule_and_evidence() {
    // P4.6/P4.8 fraud: Art. 39, no N owed.
    let mut ev = complete();
    let v = run("misconduct", &ev);
    assert_eq!(
        failed(&v),
        vec!["serious_conduct_defined", "evidence_attached"]
    );
    assert_eq!(v.compensation_n, None);
    ev.serious_conduct_rule = Some("员工手册第5.3条：虚报拜访记录属严重违纪".into());
    ev.evidence_attached = vec!["doc-17".into()];
    let v = run("misconduct", &ev);
    assert!(v.documented, "{:?}", failed(&v));
    // Rules published after the decision date do not count.
    ev.policy_published = Some(d("2026-07-01"));
    let f = failed(&run("misconduct", &ev));
    assert!(f.contains(&"rules_adopted_published".to_string()), "{f:?}");
}
