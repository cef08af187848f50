//! Chinese and English texts of cycle states, actions, guards and errors (流程提示文字).

use super::{Action, CycleError, CycleState, Guard};
use crate::role::Role;

/// A date as Chinese text reads it: 2025年4月7日.
pub fn zh_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Name of a state, (zh, en): the one vocabulary of states, for messages and pages alike.
pub fn state_name(s: CycleState) -> (String, String) {
    match s {
        CycleState::Open => ("已开启".into(), "open".into()),
        CycleState::Collecting => ("数据收集中".into(), "collecting".into()),
        CycleState::Computed => ("已计算".into(), "computed".into()),
        CycleState::Published => (
            "公示中（申诉期）".into(),
            "published (appeal window)".into(),
        ),
        CycleState::Final => ("已定稿".into(), "final".into()),
        CycleState::Measures => ("处理措施".into(), "measures".into()),
        CycleState::Approvals { step } => (
            format!("审批中（第{}级）", step + 1),
            format!("approvals (step {})", step + 1),
        ),
        CycleState::Closed => ("已关闭".into(), "closed".into()),
    }
}

/// Name of an action, (zh, en).
pub fn action_name(a: &Action) -> (&'static str, &'static str) {
    match a {
        Action::StartCollecting => ("开始收集", "start collecting"),
        Action::Compute => ("计算", "compute"),
        Action::ReopenCollecting => ("退回收集", "reopen collecting"),
        Action::Publish => ("公示", "publish"),
        Action::Finalize => ("定稿", "finalize"),
        Action::Amend { .. } => ("更正", "amend"),
        Action::StartMeasures => ("进入处理措施", "start measures"),
        Action::SubmitForApproval => ("提交审批", "submit for approval"),
        Action::Approve => ("审批通过", "approve"),
        Action::Reject { .. } => ("审批退回", "reject"),
        Action::Close => ("关闭", "close"),
    }
}

/// Why an action does not exist from a state, (zh, en).
fn why_not_here(s: CycleState, a: &Action) -> (String, String) {
    let after_final = matches!(
        s,
        CycleState::Final
            | CycleState::Measures
            | CycleState::Approvals { .. }
            | CycleState::Closed
    );
    match a {
        Action::Compute | Action::ReopenCollecting if after_final => (
            "结果已定稿，只能在定稿前重算；定稿后的修改须以“更正”提出并附理由，原结果保留".into(),
            "the result is final: recompute is only allowed before final; a later correction is an amendment with a reason, and the original stays".into(),
        ),
        Action::Amend { .. } => (
            "定稿前直接修正数据并重算即可，“更正”只用于定稿之后".into(),
            "before final, correct the data and recompute; amendments are for after final".into(),
        ),
        Action::Approve | Action::Reject { .. } => (
            "只有提交审批后才能审批".into(),
            "approvals happen only after submission for approval".into(),
        ),
        _ => {
            let from: &[&str] = match a {
                Action::StartCollecting => &["open"],
                Action::Compute => &["collecting", "computed", "published"],
                Action::ReopenCollecting | Action::Publish => &["computed"],
                Action::Finalize => &["published"],
                Action::StartMeasures => &["final"],
                _ => &["measures"],
            };
            let zh: Vec<String> = from.iter().map(|f| zh_of(f)).collect();
            (
                format!("该操作只能在“{}”状态执行", zh.join("”或“")),
                format!("this action is only possible from {}", from.join(" or ")),
            )
        }
    }
}

fn zh_of(code: &str) -> String {
    let s = match code {
        "open" => CycleState::Open,
        "collecting" => CycleState::Collecting,
        "computed" => CycleState::Computed,
        "published" => CycleState::Published,
        "final" => CycleState::Final,
        _ => CycleState::Measures,
    };
    state_name(s).0
}

fn guard_text(g: &Guard) -> (String, String) {
    match g {
        Guard::NoResult => ("尚无计算结果，不能公示".into(), "there is no computed result to publish".into()),
        Guard::TiesPending(n) => (
            format!("末位线上有{n}处并列待裁决：请先记录裁决并重新计算，再公示"),
            format!("{n} tie(s) at the line await a decision: record the decision and recompute before publishing"),
        ),
        Guard::AppealDeadlineUnknown => ("申诉期截止日未知".into(), "the appeal deadline is not known".into()),
        Guard::AppealWindowOpen(d) => (
            format!("申诉期至{}（含当日）尚未届满（P4.10）", zh_date(*d)),
            format!("the appeal window runs until {d} inclusive (P4.10)"),
        ),
        Guard::OpenAppeals(n) => (format!("尚有{n}件申诉未处理完毕"), format!("{n} appeal(s) still open")),
        Guard::SignaturesMissing(n) => (
            format!("尚有{n}人未签字确认考核结果，也未记录拒签（P4.9）"),
            format!("{n} person(s) have neither signed their score nor had a refusal recorded (P4.9)"),
        ),
        Guard::MeasureSignaturesMissing(n) => (
            format!("淘汰名单上尚有{n}人未签字，也未记录拒签（P4.11）"),
            format!("{n} person(s) on the elimination list have neither signed nor had a refusal recorded (P4.11)"),
        ),
        Guard::ReasonRequired => ("必须填写理由".into(), "a reason is required".into()),
        Guard::NoApprovalChain => (
            "本制度没有审批链，请直接关闭".into(),
            "this policy has no approval chain: close the cycle instead".into(),
        ),
        Guard::ApprovalChainPending => (
            "本制度有审批链，须逐级审批通过后才关闭".into(),
            "this policy has an approval chain: the cycle closes after the last approval".into(),
        ),
        Guard::StepOutsideChain(s) => (
            format!("待审批的第{}级不在审批链中（审批链已改变）", s + 1),
            format!("approval step {} is outside the approval chain (the chain changed)", s + 1),
        ),
    }
}

fn roles(list: &[Role]) -> (String, String) {
    (
        list.iter().map(|r| r.zh()).collect::<Vec<_>>().join("、"),
        list.iter().map(|r| r.en()).collect::<Vec<_>>().join(", "),
    )
}

/// (combined, zh, en) text of an error.
pub fn error_text(e: &CycleError) -> (String, String, String) {
    let (state, action) = match e {
        CycleError::NotAllowedInState { state, action }
        | CycleError::RoleNotAllowed { state, action, .. }
        | CycleError::Guard { state, action, .. } => (*state, action),
    };
    let (sz, se) = state_name(state);
    let (az, ae) = action_name(action);
    let (wz, we) = match e {
        CycleError::NotAllowedInState { .. } => why_not_here(state, action),
        CycleError::RoleNotAllowed { role, allowed, .. } => {
            let (lz, le) = roles(allowed);
            (
                format!("{}无权执行此操作，可执行者：{lz}", role.zh()),
                format!("the {} role may not do this; allowed: {le}", role.en()),
            )
        }
        CycleError::Guard { guard, .. } => guard_text(guard),
    };
    let zh = format!("当前状态“{sz}”，不能“{az}”：{wz}");
    let en = format!("current state {se}: cannot {ae}: {we}");
    (format!("{zh} / {en}"), zh, en)
}
