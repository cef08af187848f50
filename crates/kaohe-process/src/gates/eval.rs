//! Evaluation of each gate against the evidence (关口判定).

use super::{Decision, Evidence, GateResult, GateStatus, Notice, ProtectedKind, Verdict};
use chrono::{Days, Months, NaiveDate};
use kaohe_engine::legal::compensation_estimate;
use kaohe_policy::model::LegalPath;
use rust_decimal::Decimal;

type Check = (GateStatus, String, String);

fn pass(zh: impl Into<String>, en: impl Into<String>) -> Check {
    (GateStatus::Pass, zh.into(), en.into())
}
fn fail(zh: impl Into<String>, en: impl Into<String>) -> Check {
    (GateStatus::Fail, zh.into(), en.into())
}
fn info(zh: impl Into<String>, en: impl Into<String>) -> Check {
    (GateStatus::Info, zh.into(), en.into())
}
fn given(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// Whether the path ends a contract.
fn termination_path(p: LegalPath) -> bool {
    matches!(
        p,
        LegalPath::Incompetence
            | LegalPath::Misconduct
            | LegalPath::Probation
            | LegalPath::MutualAgreement
    )
}

/// Evaluates every gate for the decision.
pub fn evaluate(decision: &Decision<'_>, ev: &Evidence) -> Verdict {
    let off = decision
        .requirements
        .iter()
        .any(|r| r.code == "labour_law_off");
    let (s, dz, de) = if off {
        info(
            "本制度关闭了劳动法检查",
            "the policy switched the labour-law checks off",
        )
    } else if termination_path(decision.legal_path) {
        pass(
            "解除依据为法定解除路径",
            "the termination rests on a statutory path",
        )
    } else {
        fail(
            "排名、名单或提议本身不是解除理由，只能导致改进措施（指导案例18号）",
            "a rank, a list or a proposal is never by itself a termination reason; it leads to improvement measures (Guiding Case No. 18)",
        )
    };
    let mut gates = vec![GateResult {
        code: "reason_type".into(),
        article: "劳动合同法第39–41条；最高法指导案例18号".into(),
        status: s,
        zh: "解除须有法定理由".into(),
        en: "A termination needs a statutory reason".into(),
        detail_zh: dz,
        detail_en: de,
    }];
    for r in decision.requirements {
        let (status, detail_zh, detail_en) = check(&r.code, decision, ev);
        gates.push(GateResult {
            code: r.code.clone(),
            article: r.article.clone(),
            status,
            zh: r.zh.clone(),
            en: r.en.clone(),
            detail_zh,
            detail_en,
        });
    }
    let any_fail = gates.iter().any(|g| g.status == GateStatus::Fail);
    let n = ev
        .wages
        .map(|w| compensation_estimate(w.avg_monthly_12m, w.local_avg, w.service_months));
    let owes_n = matches!(
        decision.legal_path,
        LegalPath::Incompetence | LegalPath::MutualAgreement
    );
    Verdict {
        documented: !any_fail,
        compensation_n: n.filter(|_| owes_n),
        notice_pay: match (decision.legal_path, ev.notice, ev.wages) {
            (LegalPath::Incompetence, Notice::PayInLieu, Some(w)) => {
                Some(w.last_month.max(Decimal::ZERO))
            }
            _ => None,
        },
        exposure_2n: n
            .filter(|_| any_fail)
            .map(|n| n.saturating_mul(Decimal::TWO)),
        gates,
    }
}

fn check(code: &str, d: &Decision<'_>, ev: &Evidence) -> Check {
    let date = d.date;
    match code {
        "labour_law_off" => info("已关闭，结论不含劳动法检查", "off: the verdict has no labour-law checks"),
        "not_termination_ground" if termination_path(d.legal_path) => info(
            "排名不是依据；解除须由以下各项单独成立",
            "the rank is not the ground; the gates below must each hold",
        ),
        "not_termination_ground" => fail("排名不是解除依据", "a rank is not a termination ground"),
        "absolute_standard" if ev.target_raised_mid_period => fail(
            "考核期中途提高了目标，不能据此认定不胜任",
            "the target was raised mid-period; incompetence cannot rest on it",
        ),
        "absolute_standard" if given(&ev.absolute_standard) => pass(
            format!("绝对标准：{}", ev.absolute_standard.clone().unwrap_or_default()),
            "an absolute standard is on record",
        ),
        "absolute_standard" => fail(
            "没有记录约定任务或同岗位正常工作量等绝对标准",
            "no absolute standard (agreed task, normal workload of the post) on record",
        ),
        "remediation_record" => match remediation_end(ev, date) {
            Some(end) => pass(format!("培训/调岗记录，至{end}结束"), format!("training/transfer on record, ended {end}")),
            None => fail(
                "没有在认定不胜任之后、决定日之前完成的培训或调岗记录",
                "no training or transfer after the incompetence finding and finished by the decision date",
            ),
        },
        "reassessment" => {
            let ok = remediation_end(ev, date).is_some_and(|end| {
                ev.reassessments
                    .iter()
                    .any(|r| r.incompetent && r.period_start >= end && r.assessed_on <= date)
            });
            if ok {
                pass("培训/调岗后的新考核期再次认定不胜任", "a new period after remediation again showed incompetence")
            } else {
                fail(
                    "没有培训/调岗之后的新考核期再次认定不胜任",
                    "no new assessment period after remediation showing incompetence again",
                )
            }
        }
        "protected_status_check" => protected(ev, date),
        "probation_art21" => match ev.probation_until {
            Some(p) if date <= p && !given(&ev.written_reason) => fail(
                format!("决定日在试用期内（至{p}），须书面说明理由"),
                format!("the decision date is within probation (until {p}); a written reason is required"),
            ),
            Some(p) if date <= p => pass("试用期内，已有书面理由", "in probation, a written reason is on record"),
            _ => pass("决定日不在试用期内", "not in probation on the decision date"),
        },
        "probation_written_reason" => match ev.probation_until {
            Some(p) if date <= p && given(&ev.written_reason) => pass("试用期内，已有书面理由", "in probation, written reason on record"),
            Some(p) if date <= p => fail("缺少书面理由", "no written reason on record"),
            _ => fail("决定日不在试用期内，不能按试用期解除", "not in probation on the decision date: the probation path is closed"),
        },
        "hiring_conditions_stated" if given(&ev.hiring_conditions) => pass("录用条件有记录", "hiring conditions on record"),
        "hiring_conditions_stated" => fail("没有录用条件记录", "no hiring conditions on record"),
        "union_notice" => match ev.union_notified_on {
            Some(u) if u <= date => pass(format!("{u}已通知工会"), format!("union notified on {u}")),
            Some(u) => fail(format!("工会通知日{u}晚于决定日{date}"), format!("union notified on {u}, after the decision date {date}")),
            None => fail("没有事先通知工会的记录", "no prior union notice on record"),
        },
        "notice_or_pay_in_lieu" => match ev.notice {
            Notice::PayInLieu => pass("以额外支付一个月工资代替通知", "one month's wage in lieu of notice"),
            Notice::Given { on, effective } if on.checked_add_days(Days::new(30)).is_some_and(|e| effective >= e) => {
                pass(format!("{on}书面通知，{effective}生效"), format!("written notice on {on}, effective {effective}"))
            }
            Notice::Given { on, effective } => fail(
                format!("{on}通知、{effective}生效，不足30日"),
                format!("notice on {on} effective {effective}: less than 30 days"),
            ),
            Notice::None => fail("没有30日书面通知或代通知金", "neither 30 days' written notice nor pay in lieu"),
        },
        "compensation_n" | "compensation_n_agreement" => match ev.wages {
            Some(w) => {
                let n = compensation_estimate(w.avg_monthly_12m, w.local_avg, w.service_months);
                pass(format!("经济补偿N估算为{n}"), format!("compensation N estimated at {n}"))
            }
            None => fail("缺少工资数据，无法估算经济补偿N", "no wage figures: compensation N cannot be estimated"),
        },
        "unlawful_exposure_2n" => info("违法解除的赔偿为2N，见结论", "unlawful termination costs 2N, see the verdict"),
        "certificate_and_transfer" => info(
            "解除后出具证明，15日内办理档案和社保转移",
            "after termination: certificate, file and social-insurance transfer within 15 days",
        ),
        "burden_of_proof" => info("用人单位负举证责任", "the employer bears the burden of proof"),
        "person_decides" => info("须由人决定，本身无法律效力", "a person decides; no legal effect by itself"),
        "serious_conduct_defined" if given(&ev.serious_conduct_rule) => pass("规章将该行为定为严重违纪", "the rules define the conduct as serious"),
        "serious_conduct_defined" => fail("没有规章条款将该行为定为严重违纪", "no rule defining the conduct as serious"),
        "evidence_attached" if !ev.evidence_attached.is_empty() => pass(
            format!("已附证据{}份", ev.evidence_attached.len()),
            format!("{} evidence document(s) attached", ev.evidence_attached.len()),
        ),
        "evidence_attached" => fail("没有附证据", "no evidence attached"),
        "rules_adopted_published" | "policy_adoption_record" => match (ev.policy_adopted, ev.policy_published) {
            (Some(a), Some(p)) if a <= date && p <= date => pass(
                format!("制度{a}经民主程序通过，{p}公示"),
                format!("rules adopted {a}, published {p}"),
            ),
            _ => fail(
                "决定日前没有制度经民主程序通过并公示的记录",
                "no record that the rules were adopted and published before the decision date",
            ),
        },
        "mutual_agreement_refusable" => match ev.agreement_signed_on {
            Some(s) if s <= date => pass(format!("本人{s}签署协商解除协议"), format!("agreement signed by the person on {s}")),
            _ => fail("本人未签署协商解除协议（本人可以拒绝）", "no agreement signed by the person (they may refuse)"),
        },
        other if ev.confirmed.iter().any(|c| c == other) => pass("已有人确认并记录", "confirmed on record by a person"),
        _ => fail("须有人核实并记录确认", "a person must check and confirm this on record"),
    }
}

/// End of the latest remediation that started on/after the finding and ended by `date`.
fn remediation_end(ev: &Evidence, date: NaiveDate) -> Option<NaiveDate> {
    let finding = ev.finding_date?;
    ev.remediation
        .iter()
        .filter(|r| r.from >= finding && r.to <= date && r.from <= r.to)
        .map(|r| r.to)
        .max()
}

fn protected(ev: &Evidence, date: NaiveDate) -> Check {
    let active: Vec<&str> = ev
        .protected
        .iter()
        .filter(|p| p.from <= date && p.to.is_none_or(|t| date <= t))
        .map(|p| match p.kind {
            ProtectedKind::PregnancyMaternityNursing => {
                "孕期、产期或哺乳期 / pregnancy, maternity or nursing"
            }
            ProtectedKind::MedicalPeriod => "医疗期 / medical period",
            ProtectedKind::OccupationalDiseaseOrInjury => {
                "职业病或工伤 / occupational disease or work injury"
            }
            ProtectedKind::OccupationalHazardUnchecked => {
                "未做离岗职业健康检查 / no exit health check"
            }
            ProtectedKind::OtherLaw => "其他法律保护 / protected by another law",
        })
        .collect();
    let mut active: Vec<String> = active.into_iter().map(String::from).collect();
    if let (Some(since), Some(retire)) = (ev.continuous_service_since, ev.statutory_retirement) {
        let fifteen = since.checked_add_months(Months::new(180));
        let five_before = retire.checked_sub_months(Months::new(60));
        if fifteen.is_some_and(|f| f <= date) && five_before.is_some_and(|b| date > b) {
            active.push("连续工作满15年且距法定退休不足5年 / 15+ years' service and under 5 years from retirement".into());
        }
    }
    if active.is_empty() {
        pass(
            format!("决定日{date}无第42条情形"),
            format!("no Art. 42 status on the decision date {date}"),
        )
    } else {
        fail(
            format!("决定日{date}处于第42条保护情形：{}", active.join("；")),
            format!(
                "on the decision date {date} an Art. 42 status applies: {}",
                active.join("; ")
            ),
        )
    }
}
