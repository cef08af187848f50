//! The assessment cycle (考核周期流程) of one policy and one period, as a state machine:
//! open → collecting → computed → published (公示, the appeal window runs) → final → measures →
//! approvals (the policy's chain, in order) → closed.
//!
//! [`transition`] checks, in this order: the action exists from the current state
//! ([`CycleError::NotAllowedInState`]), the actor's role may take it
//! ([`CycleError::RoleNotAllowed`]), and the guards hold ([`CycleError::Guard`]). Every error
//! names the current state, the attempted action and why, in Chinese and English.
//!
//! Decisions (documented choices):
//! - The appeal window (P4.10) is the time part of `published`, not a state of its own:
//!   publication opens it and [`Action::Finalize`] is refused until its last working day has
//!   passed ([`crate::calendar::is_past`]) and no appeal is open.
//! - Recompute only before final: from `published` a recompute withdraws the publication
//!   ([`Effect::PublicationWithdrawn`]; republish, those affected get a new window). After final
//!   only [`Action::Amend`] with a reason, which keeps the state and the original result
//!   ([`Effect::Amendment`]).
//! - Operators (admin, HQ HR, branch head — P4.9 "each branch computes and publishes") run the
//!   steps; amendments after final need admin or HQ HR; each approval is made by exactly the
//!   chain's role for that step (P4.11), a rejection sends the cycle back to `measures`.
//! - "Now" is the caller's local time in China (Asia/Shanghai); deadlines are dates.

mod deadline;
pub mod text;

#[cfg(test)]
mod tests;

pub use deadline::{overdue, Deadlines, Overdue, Step};

use crate::calendar::is_past;
use crate::role::Role;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where a cycle stands (周期状态).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CycleState {
    /// 已开启 opened, nothing collected yet.
    Open,
    /// 数据收集中 imports, manual scores and ratings are being entered.
    Collecting,
    /// 已计算 a result exists, not published.
    Computed,
    /// 已公示 published; the appeal window runs.
    Published,
    /// 已定稿 final: no recompute, only amendments.
    Final,
    /// 处理措施 measures (warnings, training, elimination list…) being prepared.
    Measures,
    /// 审批中 waiting for approval number `step` (0-based) of the chain.
    Approvals {
        /// Index into the approval chain of the approval awaited.
        step: usize,
    },
    /// 已关闭 closed.
    Closed,
}

/// What someone asks the cycle to do (操作).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// 开始收集 start collecting data.
    StartCollecting,
    /// 计算/重算 compute or recompute.
    Compute,
    /// 退回收集 back to collecting to fix data.
    ReopenCollecting,
    /// 公示 publish.
    Publish,
    /// 定稿 make the result final.
    Finalize,
    /// 更正 amendment after final, with a reason.
    Amend {
        /// Why (kept with the amendment).
        reason: String,
    },
    /// 进入处理措施 start the measures.
    StartMeasures,
    /// 提交审批 submit the measures for approval.
    SubmitForApproval,
    /// 审批通过 approve the current step.
    Approve,
    /// 审批退回 reject, back to measures.
    Reject {
        /// Why (told to the submitter).
        reason: String,
    },
    /// 关闭 close (only without an approval chain; otherwise the last approval closes).
    Close,
}

/// What the caller must know besides the state (all facts the guards need).
#[derive(Clone, Debug)]
pub struct CycleContext<'a> {
    /// Now, local time in China.
    pub now: NaiveDateTime,
    /// Whether a computed result exists for the current data.
    pub has_result: bool,
    /// Ties at the line in that result still awaiting a person's decision (P4.12, P7.6, P8.4):
    /// the line is not known, so it is neither published nor made final.
    pub ties_pending: u32,
    /// Last day of the appeal window (see [`Deadlines::appeal_until`]); `None` = unknown.
    pub appeal_deadline: Option<NaiveDate>,
    /// Appeals filed and not yet decided and republished.
    pub open_appeals: u32,
    /// People who have neither signed their score nor had a refusal recorded (P4.9; 0 when
    /// the policy has no sign-off).
    pub signatures_missing: u32,
    /// People on the elimination list without a signature or recorded refusal (P4.11).
    pub measure_signatures_missing: u32,
    /// The policy's approval chain as roles (see [`crate::role::approval_chain`]).
    pub approval_chain: &'a [Role],
}

/// A transition that may happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Next {
    /// The state after the action.
    pub state: CycleState,
    /// What else the caller must record or do.
    pub effect: Effect,
}

/// Side effects the caller records (审计/通知).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing beyond the state change.
    None,
    /// A recompute after publication: the publication is withdrawn; republish.
    PublicationWithdrawn,
    /// An amendment after final: keep the original, store the correction with its reason.
    Amendment {
        /// The reason given.
        reason: String,
    },
    /// Approval `step` given by `by`.
    Approved {
        /// Chain index approved.
        step: usize,
        /// Role that approved.
        by: Role,
    },
    /// Sent back to measures by `by`, with the reason to show the submitter.
    SentBack {
        /// Role that rejected.
        by: Role,
        /// The reason.
        reason: String,
    },
}

/// A guard that did not hold (条件不满足).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Publish needs a computed result.
    NoResult,
    /// Ties at the line await a decision: record it and recompute first.
    TiesPending(u32),
    /// The appeal deadline is not known (not published or not computed).
    AppealDeadlineUnknown,
    /// The appeal window is still open until this day (inclusive).
    AppealWindowOpen(NaiveDate),
    /// Appeals still open.
    OpenAppeals(u32),
    /// Score signatures or refusals missing (P4.9).
    SignaturesMissing(u32),
    /// Elimination-list signatures or refusals missing (P4.11).
    MeasureSignaturesMissing(u32),
    /// A reason is required and was empty.
    ReasonRequired,
    /// The policy has no approval chain: close instead of submitting.
    NoApprovalChain,
    /// The policy has an approval chain: the last approval closes the cycle.
    ApprovalChainPending,
    /// The awaited approval step is beyond the chain (the chain changed).
    StepOutsideChain(usize),
}

/// A refused transition (操作被拒绝), with texts naming the state, the action and why.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CycleError {
    /// The action does not exist from this state.
    #[error("{}", text::error_text(self).0)]
    NotAllowedInState {
        /// Current state.
        state: CycleState,
        /// Attempted action.
        action: Action,
    },
    /// The role may not take this action here.
    #[error("{}", text::error_text(self).0)]
    RoleNotAllowed {
        /// Current state.
        state: CycleState,
        /// Attempted action.
        action: Action,
        /// The actor's role.
        role: Role,
        /// Roles that may.
        allowed: Vec<Role>,
    },
    /// A guard did not hold.
    #[error("{}", text::error_text(self).0)]
    Guard {
        /// Current state.
        state: CycleState,
        /// Attempted action.
        action: Action,
        /// The guard.
        guard: Guard,
    },
}

impl CycleError {
    /// Chinese text.
    pub fn zh(&self) -> String {
        text::error_text(self).1
    }
    /// English text.
    pub fn en(&self) -> String {
        text::error_text(self).2
    }
}

/// Roles that run the cycle's steps.
const OPERATORS: &[Role] = &[Role::Admin, Role::HqHr, Role::BranchHead];
/// Roles that may amend after final.
const AMENDERS: &[Role] = &[Role::Admin, Role::HqHr];

/// Applies `action` by someone with `role` to a cycle in `state`.
pub fn transition(
    state: CycleState,
    action: &Action,
    role: Role,
    ctx: &CycleContext<'_>,
) -> Result<Next, CycleError> {
    use CycleState as S;
    let not_here = || CycleError::NotAllowedInState {
        state,
        action: action.clone(),
    };
    let allowed: Vec<Role> = match (state, action) {
        (S::Open, Action::StartCollecting)
        | (S::Collecting | S::Computed | S::Published, Action::Compute)
        | (S::Computed, Action::ReopenCollecting | Action::Publish)
        | (S::Published, Action::Finalize)
        | (S::Final, Action::StartMeasures)
        | (S::Measures, Action::SubmitForApproval | Action::Close) => OPERATORS.to_vec(),
        (S::Final | S::Measures | S::Approvals { .. } | S::Closed, Action::Amend { .. }) => {
            AMENDERS.to_vec()
        }
        (S::Approvals { step }, Action::Approve | Action::Reject { .. }) => {
            ctx.approval_chain.get(step).copied().into_iter().collect()
        }
        _ => return Err(not_here()),
    };
    if !allowed.contains(&role) {
        // An approval step beyond the chain is a guard failure, not a role question.
        if let (S::Approvals { step }, true) = (state, allowed.is_empty()) {
            return Err(guard(state, action, Guard::StepOutsideChain(step)));
        }
        return Err(CycleError::RoleNotAllowed {
            state,
            action: action.clone(),
            role,
            allowed,
        });
    }
    let fail = |g| Err(guard(state, action, g));
    let next = |s| {
        Ok(Next {
            state: s,
            effect: Effect::None,
        })
    };
    match (state, action) {
        (S::Open, _) => next(S::Collecting),
        (S::Published, Action::Compute) => Ok(Next {
            state: S::Computed,
            effect: Effect::PublicationWithdrawn,
        }),
        (_, Action::Compute) => next(S::Computed),
        (_, Action::ReopenCollecting) => next(S::Collecting),
        (_, Action::Publish) if !ctx.has_result => fail(Guard::NoResult),
        (_, Action::Publish | Action::Finalize) if ctx.ties_pending > 0 => {
            fail(Guard::TiesPending(ctx.ties_pending))
        }
        (_, Action::Publish) => next(S::Published),
        (_, Action::Finalize) => match ctx.appeal_deadline {
            None => fail(Guard::AppealDeadlineUnknown),
            Some(d) if !is_past(d, ctx.now.date()) => fail(Guard::AppealWindowOpen(d)),
            Some(_) if ctx.open_appeals > 0 => fail(Guard::OpenAppeals(ctx.open_appeals)),
            Some(_) if ctx.signatures_missing > 0 => {
                fail(Guard::SignaturesMissing(ctx.signatures_missing))
            }
            Some(_) => next(S::Final),
        },
        (_, Action::Amend { reason }) if reason.trim().is_empty() => fail(Guard::ReasonRequired),
        (_, Action::Amend { reason }) => Ok(Next {
            state,
            effect: Effect::Amendment {
                reason: reason.clone(),
            },
        }),
        (_, Action::StartMeasures) => next(S::Measures),
        (_, Action::SubmitForApproval | Action::Close) if ctx.measure_signatures_missing > 0 => {
            fail(Guard::MeasureSignaturesMissing(
                ctx.measure_signatures_missing,
            ))
        }
        (_, Action::SubmitForApproval) if ctx.approval_chain.is_empty() => {
            fail(Guard::NoApprovalChain)
        }
        (_, Action::SubmitForApproval) => next(S::Approvals { step: 0 }),
        (_, Action::Close) if !ctx.approval_chain.is_empty() => fail(Guard::ApprovalChainPending),
        (_, Action::Close) => next(S::Closed),
        (S::Approvals { step }, Action::Approve) => Ok(Next {
            state: if step + 1 >= ctx.approval_chain.len() {
                S::Closed
            } else {
                S::Approvals { step: step + 1 }
            },
            effect: Effect::Approved { step, by: role },
        }),
        (_, Action::Reject { reason }) if reason.trim().is_empty() => fail(Guard::ReasonRequired),
        (_, Action::Reject { reason }) => Ok(Next {
            state: S::Measures,
            effect: Effect::SentBack {
                by: role,
                reason: reason.clone(),
            },
        }),
        _ => Err(not_here()),
    }
}

fn guard(state: CycleState, action: &Action, guard: Guard) -> CycleError {
    CycleError::Guard {
        state,
        action: action.clone(),
        guard,
    }
}

/// Whether recompute is still allowed (before final): the server asks this before a data edit
/// outside an amendment.
pub fn may_recompute(state: CycleState) -> bool {
    matches!(
        state,
        CycleState::Collecting | CycleState::Computed | CycleState::Published
    )
}
