//! Cycle tests: the full state × action × role matrix against a hand-written table, the
//! guards one by one, error texts, and P4.9–P4.11 deadlines.

use super::*;
use crate::calendar::Calendar;
use kaohe_policy::model::Process;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

const CHAIN: [Role; 3] = [Role::BranchHead, Role::RegionalHead, Role::HqHr];

/// Every guard holds: window ended the day before, nothing open or missing.
fn happy() -> CycleContext<'static> {
    CycleContext {
        now: at("2026-03-03 09:00"),
        has_result: true,
        ties_pending: 0,
        appeal_deadline: Some(d("2026-03-02")),
        open_appeals: 0,
        signatures_missing: 0,
        measure_signatures_missing: 0,
        approval_chain: &CHAIN,
    }
}

fn actions() -> Vec<Action> {
    vec![
        Action::StartCollecting,
        Action::Compute,
        Action::ReopenCollecting,
        Action::Publish,
        Action::Finalize,
        Action::Amend {
            reason: "回款数据更正".into(),
        },
        Action::StartMeasures,
        Action::SubmitForApproval,
        Action::Approve,
        Action::Reject {
            reason: "名单有误".into(),
        },
        Action::Close,
    ]
}

const STATES: [CycleState; 10] = [
    CycleState::Open,
    CycleState::Collecting,
    CycleState::Computed,
    CycleState::Published,
    CycleState::Final,
    CycleState::Measures,
    CycleState::Approvals { step: 0 },
    CycleState::Approvals { step: 1 },
    CycleState::Approvals { step: 2 },
    CycleState::Closed,
];

/// The expected matrix, written by hand. One line per state, one 9-letter cell per action
/// (order of `actions()`), one letter per role in `Role::ALL` order:
/// admin, hq_hr, gm_office, regional_head, branch_head, department_head, sales_manager,
/// rater, employee.
/// `S` = not allowed in this state; `-` = role not allowed; `g` = a guard refuses (Close with
/// an approval chain); otherwise the state reached: o open, c collecting, C computed,
/// P published, F final, M measures, 0/1/2 approvals step, X closed.
const EXPECTED: [&str; 10] = [
    // StartColl  Compute    Reopen     Publish    Finalize   Amend      StartMeas  Submit     Approve    Reject     Close
    "cc--c---- SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS", // open
    "SSSSSSSSS CC--C---- SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS", // collecting
    "SSSSSSSSS CC--C---- cc--c---- PP--P---- SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS", // computed
    "SSSSSSSSS CC--C---- SSSSSSSSS SSSSSSSSS FF--F---- SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS", // published
    "SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS FF------- MM--M---- SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS", // final
    "SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS MM------- SSSSSSSSS 00--0---- SSSSSSSSS SSSSSSSSS gg--g----", // measures
    "SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS 00------- SSSSSSSSS SSSSSSSSS ----1---- ----M---- SSSSSSSSS", // approvals 0 (branch head)
    "SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS 11------- SSSSSSSSS SSSSSSSSS ---2----- ---M----- SSSSSSSSS", // approvals 1 (regional head)
    "SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS 22------- SSSSSSSSS SSSSSSSSS -X------- -M------- SSSSSSSSS", // approvals 2 (HQ HR)
    "SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS XX------- SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS SSSSSSSSS", // closed
];

fn code(r: &Result<Next, CycleError>) -> char {
    match r {
        Err(CycleError::NotAllowedInState { .. }) => 'S',
        Err(CycleError::RoleNotAllowed { .. }) => '-',
        Err(CycleError::Guard { .. }) => 'g',
        Ok(n) => match n.state {
            CycleState::Open => 'o',
            CycleState::Collecting => 'c',
            CycleState::Computed => 'C',
            CycleState::Published => 'P',
            CycleState::Final => 'F',
            CycleState::Measures => 'M',
            CycleState::Approvals { step } => char::from(b'0' + step as u8),
            CycleState::Closed => 'X',
        },
    }
}

#[test]
fn full_state_action_role_matrix() {
    let ctx = happy();
    let mut cells = 0;
    for (state, row) in STATES.iter().zip(EXPECTED) {
        let expected: Vec<&str> = row.split(' ').collect();
        assert_eq!(expected.len(), actions().len());
        for (action, want) in actions().iter().zip(expected) {
            let got: String = Role::ALL
                .iter()
                .map(|role| code(&transition(*state, action, *role, &ctx)))
                .collect();
            assert_eq!(got, want, "state {state:?}, action {action:?}");
            cells += 9;
        }
    }
    assert_eq!(cells, 10 * 11 * 9);
}

#[test]
fn effects_of_special_transitions() {
    let ctx = happy();
    let r = transition(CycleState::Published, &Action::Compute, Role::HqHr, &ctx).unwrap();
    assert_eq!(r.effect, Effect::PublicationWithdrawn);
    let amend = Action::Amend {
        reason: "回款数据更正".into(),
    };
    let r = transition(CycleState::Closed, &amend, Role::Admin, &ctx).unwrap();
    assert_eq!(r.state, CycleState::Closed);
    assert_eq!(
        r.effect,
        Effect::Amendment {
            reason: "回款数据更正".into()
        }
    );
    let r = transition(
        CycleState::Approvals { step: 1 },
        &Action::Approve,
        Role::RegionalHead,
        &ctx,
    )
    .unwrap();
    assert_eq!(
        r.effect,
        Effect::Approved {
            step: 1,
            by: Role::RegionalHead
        }
    );
    let reject = Action::Reject {
        reason: "名单有误".into(),
    };
    let r = transition(CycleState::Approvals { step: 2 }, &reject, Role::HqHr, &ctx).unwrap();
    assert_eq!(
        r.effect,
        Effect::SentBack {
            by: Role::HqHr,
            reason: "名单有误".into()
        }
    );
}

#[test]
fn p4_11_walk_through_the_chain_in_order() {
    let ctx = happy();
    let mut s = CycleState::Measures;
    s = transition(s, &Action::SubmitForApproval, Role::BranchHead, &ctx)
        .unwrap()
        .state;
    // HQ HR may not jump the queue at step 1.
    assert!(matches!(
        transition(s, &Action::Approve, Role::HqHr, &ctx),
        Err(CycleError::RoleNotAllowed { .. })
    ));
    for role in CHAIN {
        s = transition(s, &Action::Approve, role, &ctx).unwrap().state;
    }
    assert_eq!(s, CycleState::Closed);
}

fn guard_of(r: Result<Next, CycleError>) -> Guard {
    match r {
        Err(CycleError::Guard { guard, .. }) => guard,
        other => panic!("expected a guard failure, got {other:?}"),
    }
}

#[test]
fn finalize_guards() {
    let f = |ctx: &CycleContext| {
        transition(
            CycleState::Published,
            &Action::Finalize,
            Role::BranchHead,
            ctx,
        )
    };
    // P4.10: the window ends Mon 2026-03-02 inclusive; on that day finalize is refused.
    let mut ctx = happy();
    ctx.now = at("2026-03-02 23:59");
    assert_eq!(guard_of(f(&ctx)), Guard::AppealWindowOpen(d("2026-03-02")));
    ctx.now = at("2026-03-03 00:00");
    assert!(f(&ctx).is_ok());
    ctx.open_appeals = 2;
    assert_eq!(guard_of(f(&ctx)), Guard::OpenAppeals(2));
    ctx.open_appeals = 0;
    ctx.signatures_missing = 1;
    assert_eq!(guard_of(f(&ctx)), Guard::SignaturesMissing(1));
    ctx.signatures_missing = 0;
    ctx.appeal_deadline = None;
    assert_eq!(guard_of(f(&ctx)), Guard::AppealDeadlineUnknown);
    // A tie at the line still undecided (P7.6): the line is not known, nothing is final.
    let mut ctx = happy();
    ctx.ties_pending = 1;
    assert_eq!(guard_of(f(&ctx)), Guard::TiesPending(1));
}

/// P4.12 / P7.6 / P8.4: a result whose line waits on a tie decision is not published.
#[test]
fn a_pending_tie_is_not_published() {
    let mut ctx = happy();
    ctx.ties_pending = 2;
    let r = transition(CycleState::Computed, &Action::Publish, Role::HqHr, &ctx);
    let e = match &r {
        Err(e) => e.clone(),
        Ok(n) => panic!("published: {n:?}"),
    };
    assert_eq!(guard_of(r), Guard::TiesPending(2));
    assert!(e.zh().contains("2处并列待裁决") && e.en().contains("2 tie(s) at the line"));
    ctx.ties_pending = 0;
    assert!(transition(CycleState::Computed, &Action::Publish, Role::HqHr, &ctx).is_ok());
}

#[test]
fn other_guards() {
    let mut ctx = happy();
    ctx.has_result = false;
    assert_eq!(
        guard_of(transition(
            CycleState::Computed,
            &Action::Publish,
            Role::Admin,
            &ctx
        )),
        Guard::NoResult
    );
    let ctx = happy();
    for reason in ["", "  "] {
        let amend = Action::Amend {
            reason: reason.into(),
        };
        assert_eq!(
            guard_of(transition(CycleState::Final, &amend, Role::HqHr, &ctx)),
            Guard::ReasonRequired
        );
        let reject = Action::Reject {
            reason: reason.into(),
        };
        assert_eq!(
            guard_of(transition(
                CycleState::Approvals { step: 0 },
                &reject,
                Role::BranchHead,
                &ctx
            )),
            Guard::ReasonRequired
        );
    }
    let mut ctx = happy();
    ctx.measure_signatures_missing = 3;
    assert_eq!(
        guard_of(transition(
            CycleState::Measures,
            &Action::SubmitForApproval,
            Role::Admin,
            &ctx
        )),
        Guard::MeasureSignaturesMissing(3)
    );
    let mut ctx = happy();
    ctx.approval_chain = &[];
    assert_eq!(
        guard_of(transition(
            CycleState::Measures,
            &Action::SubmitForApproval,
            Role::Admin,
            &ctx
        )),
        Guard::NoApprovalChain
    );
    assert_eq!(
        transition(CycleState::Measures, &Action::Close, Role::Admin, &ctx)
            .unwrap()
            .state,
        CycleState::Closed
    );
    assert_eq!(
        guard_of(transition(
            CycleState::Approvals { step: 0 },
            &Action::Approve,
            Role::Admin,
            &ctx
        )),
        Guard::StepOutsideChain(0)
    );
}

#[test]
fn error_texts_name_state_action_and_why() {
    let ctx = happy();
    let e = transition(CycleState::Final, &Action::Compute, Role::Admin, &ctx).unwrap_err();
    assert!(
        e.zh().contains("已定稿") && e.zh().contains("计算") && e.zh().contains("更正"),
        "{}",
        e.zh()
    );
    assert!(
        e.en().contains("final") && e.en().contains("compute") && e.en().contains("amendment"),
        "{}",
        e.en()
    );
    let e = transition(CycleState::Computed, &Action::Publish, Role::Employee, &ctx).unwrap_err();
    assert_eq!(
        e.zh(),
        "当前状态“已计算”，不能“公示”：员工无权执行此操作，可执行者：系统管理员、总部人事部、分公司负责人"
    );
    assert_eq!(
        e.en(),
        "current state computed: cannot publish: the employee role may not do this; allowed: administrator, HQ HR, branch head"
    );
    let e = transition(CycleState::Open, &Action::Finalize, Role::Admin, &ctx).unwrap_err();
    assert!(
        e.zh().contains("只能在“公示中（申诉期）”状态执行"),
        "{}",
        e.zh()
    );
    assert!(e
        .to_string()
        .contains(" / current state open: cannot finalize"));
    let mut ctx = happy();
    ctx.now = at("2026-03-01 10:00");
    let e = transition(CycleState::Published, &Action::Finalize, Role::Admin, &ctx).unwrap_err();
    assert!(
        e.zh().contains("申诉期至2026年3月2日（含当日）尚未届满"),
        "{}",
        e.zh()
    );
}

fn p4_process() -> Process {
    Process {
        compile_within_working_days: Some(10),
        publish_within_working_days: Some(15),
        sign_off: true,
        appeal_window_working_days: Some(3),
        approval_chain: vec!["分公司负责人".into(), "区总".into(), "总部人事部".into()],
        approval_within_days: Some(7),
        summary_to: None,
        chain_roles: Default::default(),
        rules: vec![],
    }
}

#[test]
fn p4_deadlines_january_2026() {
    let cal = Calendar::builtin().unwrap();
    // Cycle ends Sat 2026-01-31: compile by Fri Feb 13 (10th working day), publish by Fri
    // Feb 27 (15th, Spring Festival Feb 15–23 off, Sat Feb 14 worked) — see calendar tests.
    // Published Thu Feb 26: Fri 27 (1), Sat 28 make-up (2), Mon Mar 2 (3) → appeals until
    // Mar 2. Approvals within 7 calendar days of Feb 26 → Mar 5.
    let dl =
        Deadlines::compute(&cal, &p4_process(), d("2026-01-31"), Some(d("2026-02-26"))).unwrap();
    assert_eq!(
        dl,
        Deadlines {
            compile_by: Some(d("2026-02-13")),
            publish_by: Some(d("2026-02-27")),
            appeal_until: Some(d("2026-03-02")),
            approvals_by: Some(d("2026-03-05")),
        }
    );
    let unpublished = Deadlines::compute(&cal, &p4_process(), d("2026-01-31"), None).unwrap();
    assert_eq!(unpublished.appeal_until, None);
    assert_eq!(unpublished.approvals_by, None);
}

#[test]
fn overdue_listing() {
    let cal = Calendar::builtin().unwrap();
    let dl =
        Deadlines::compute(&cal, &p4_process(), d("2026-01-31"), Some(d("2026-02-26"))).unwrap();
    // Still collecting on Mon Mar 2: compile (due Feb 13) 17 days late, publish (due Feb 27)
    // 3 days late.
    let o = overdue(CycleState::Collecting, &dl, at("2026-03-02 08:00"));
    assert_eq!(
        o.iter().map(|x| (x.step, x.days_late)).collect::<Vec<_>>(),
        vec![(Step::Compile, 17), (Step::Publish, 3)]
    );
    assert!(o[0].zh.contains("2026年2月13日") && o[0].zh.contains("P4.9"));
    // On the due day nothing is late.
    assert!(overdue(CycleState::Computed, &dl, at("2026-02-27 18:00")).is_empty());
    // Approvals still pending on Fri Mar 6: 1 day late; compile/publish done.
    let o = overdue(
        CycleState::Approvals { step: 1 },
        &dl,
        at("2026-03-06 09:00"),
    );
    assert_eq!(o.len(), 1);
    assert_eq!((o[0].step, o[0].days_late), (Step::Approvals, 1));
    assert!(overdue(CycleState::Closed, &dl, at("2026-04-01 09:00")).is_empty());
}

#[test]
fn recompute_only_before_final() {
    assert!(!may_recompute(CycleState::Open));
    assert!(may_recompute(CycleState::Published));
    assert!(!may_recompute(CycleState::Final));
    assert!(!may_recompute(CycleState::Closed));
}
