//! Periods and the cycle (考核期间与流程): create a period, list and read them with their
//! deadlines, and move them through the cycle. Every transition is checked by
//! `kaohe_process::cycle::transition` with facts read from the database; a stale
//! `expected_version` answers 409 with the current period.

use crate::auth::Caller;
use crate::compute;
use crate::error::{ApiError, ApiResult};
use crate::scope::{self, require_covers_period, visible_period};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDate;
use kaohe_engine::result::Status;
use kaohe_engine::PeriodResult;
use kaohe_policy::model::Measure;
use kaohe_process::cycle::{self, Action, CycleContext, CycleState, Deadlines, Effect};
use kaohe_process::role::{policy_chain, Role};
use kaohe_store::{NewDecision, NewRun, PeriodRow};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Roles that run a cycle's steps (P4.9: each branch computes and publishes).
pub const OPERATORS: &[Role] = &[Role::Admin, Role::HqHr, Role::BranchHead];

/// Decision kind recording a publication.
pub const PUBLISH: &str = "publish";
/// Decision kind recording an approval or a rejection.
pub const APPROVAL: &str = "approval";

/// The state as stored: `open`, …, `approvals:1`, `closed`.
pub fn state_text(s: CycleState) -> String {
    match s {
        CycleState::Open => "open".into(),
        CycleState::Collecting => "collecting".into(),
        CycleState::Computed => "computed".into(),
        CycleState::Published => "published".into(),
        CycleState::Final => "final".into(),
        CycleState::Measures => "measures".into(),
        CycleState::Approvals { step } => format!("approvals:{step}"),
        CycleState::Closed => "closed".into(),
    }
}

/// Parse a stored state.
pub fn parse_state(s: &str) -> ApiResult<CycleState> {
    Ok(match s {
        "open" => CycleState::Open,
        "collecting" => CycleState::Collecting,
        "computed" => CycleState::Computed,
        "published" => CycleState::Published,
        "final" => CycleState::Final,
        "measures" => CycleState::Measures,
        "closed" => CycleState::Closed,
        other => match other
            .strip_prefix("approvals:")
            .and_then(|n| n.parse().ok())
        {
            Some(step) => CycleState::Approvals { step },
            None => return Err(ApiError::internal(format!("stored state {other}"))),
        },
    })
}

/// Whether results may be shown to the people assessed (after publication).
pub fn is_published(s: CycleState) -> bool {
    !matches!(
        s,
        CycleState::Open | CycleState::Collecting | CycleState::Computed
    )
}

/// Create-period request.
#[derive(Debug, Deserialize)]
pub struct NewPeriod {
    /// Stored policy version.
    pub policy_version_id: i64,
    /// Label, e.g. `2025-03`.
    pub label: String,
    /// Unit the period covers (P4: a branch).
    pub unit_id: i64,
}

/// `POST /api/periods`.
pub async fn create(
    State(state): State<AppState>,
    c: Caller,
    Json(req): Json<NewPeriod>,
) -> ApiResult<Json<PeriodRow>> {
    c.require(OPERATORS)?;
    let s = scope::scope(&state, &c).await?;
    if !s.covers(req.unit_id) {
        return Err(ApiError::forbidden(
            "该组织单位不在您的管辖范围内",
            "that unit is outside your organisation scope",
        ));
    }
    state.db.unit(req.unit_id).await?;
    let (_, policy) = compute::policy(&state, req.policy_version_id).await?;
    let period = kaohe_engine::data::Period::parse(req.label.trim(), policy.policy.cycle)
        .ok_or_else(|| {
            ApiError::bad(
                format!(
                    "期间“{}”无法识别，应为如 2025-03 的月份（或制度周期对应的写法）",
                    req.label
                ),
                format!(
                    "period \"{}\" not understood; expected e.g. 2025-03 for a monthly policy",
                    req.label
                ),
            )
        })?;
    let exists = state
        .db
        .periods(req.policy_version_id)
        .await?
        .into_iter()
        .any(|p| p.label == period.label && p.unit_id == Some(req.unit_id));
    if exists {
        return Err(ApiError::conflict(
            format!("{} 的考核期间已存在", period.label),
            format!(
                "a period {} already exists for this policy and unit",
                period.label
            ),
        ));
    }
    let row = state
        .db
        .create_period(
            req.policy_version_id,
            &period.label,
            period.index,
            Some(req.unit_id),
            &state_text(CycleState::Open),
            c.actor(),
        )
        .await?;
    Ok(Json(row))
}

/// A period as shown.
#[derive(Debug, Serialize)]
pub struct PeriodView {
    /// The stored row.
    #[serde(flatten)]
    pub row: PeriodRow,
    /// Policy id and version.
    pub policy_id: String,
    /// Policy version label.
    pub policy_version: String,
    /// Deadlines (dates in China).
    pub deadlines: DeadlinesView,
    /// Overdue steps.
    pub overdue: Vec<serde_json::Value>,
    /// Publication day, if published.
    pub published_on: Option<NaiveDate>,
    /// The approval chain as role codes.
    pub approval_chain: Vec<String>,
}

/// Deadlines as JSON.
#[derive(Debug, Serialize)]
pub struct DeadlinesView {
    /// P4.9 compile by.
    pub compile_by: Option<NaiveDate>,
    /// P4.9 publish by.
    pub publish_by: Option<NaiveDate>,
    /// P4.10 appeal until.
    pub appeal_until: Option<NaiveDate>,
    /// P4.11 approvals by.
    pub approvals_by: Option<NaiveDate>,
}

/// Last day of a period (for deadlines counted from the cycle's end); `None` for one-off
/// rounds, which have no calendar end.
fn period_end(
    p: &kaohe_engine::data::Period,
    cycle: kaohe_policy::model::Cycle,
) -> Option<NaiveDate> {
    use kaohe_policy::model::Cycle as C;
    // The first day after the period, then one day back.
    let (y, m) = match cycle {
        C::Monthly => {
            let (y, m) = p.year_month();
            if m == 12 {
                (y + 1, 1)
            } else {
                (y, m + 1)
            }
        }
        C::Quarterly => {
            let y = p.index.div_euclid(4) as i32;
            let q = p.index.rem_euclid(4) as u32;
            if q == 3 {
                (y + 1, 1)
            } else {
                (y, q * 3 + 4)
            }
        }
        C::Annual => (p.index as i32 + 1, 1),
        C::Once => return None,
    };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
}

/// First day of a period (the day a roster is valid from); one-off rounds have none and use
/// 1970-01-01, which only orders history entries.
pub fn period_start(
    p: &kaohe_engine::data::Period,
    cycle: kaohe_policy::model::Cycle,
) -> NaiveDate {
    use kaohe_policy::model::Cycle as C;
    let ymd = match cycle {
        C::Monthly => {
            let (y, m) = p.year_month();
            (y, m)
        }
        C::Quarterly => (
            p.index.div_euclid(4) as i32,
            p.index.rem_euclid(4) as u32 * 3 + 1,
        ),
        C::Annual => (p.index as i32, 1),
        C::Once => (1970, 1),
    };
    NaiveDate::from_ymd_opt(ymd.0, ymd.1, 1).unwrap_or_default()
}

/// The publication day (China) of the latest publication, as the server's clock saw it.
pub async fn published_on(state: &AppState, period_id: i64) -> ApiResult<Option<NaiveDate>> {
    Ok(state
        .db
        .decisions(period_id, Some(PUBLISH))
        .await?
        .last()
        .map(|d| {
            serde_json::from_str::<serde_json::Value>(&d.body_json)
                .ok()
                .and_then(|b| serde_json::from_value(b["published_on"].clone()).ok())
                .unwrap_or_else(|| (d.decided_at + chrono::Duration::hours(8)).date_naive())
        }))
}

/// Deadlines of a period.
pub async fn deadlines(state: &AppState, row: &PeriodRow) -> ApiResult<Deadlines> {
    let (_, policy) = compute::policy(state, row.policy_version_id).await?;
    let period = compute::engine_period(row, policy.policy.cycle)?;
    let Some(end) = period_end(&period, policy.policy.cycle) else {
        return Ok(Deadlines::default());
    };
    let process = policy.process.clone();
    let published = published_on(state, row.id).await?;
    Deadlines::compute(&state.calendar(), &process, end, published).map_err(|e| {
        ApiError::bad(
            format!("工作日历缺少所需年份：{e}（管理员可在“日历”中添加）"),
            format!("the working-day calendar lacks a year: {e} (an admin can add it)"),
        )
    })
}

/// Build the view of a period.
pub async fn view(state: &AppState, row: PeriodRow) -> ApiResult<PeriodView> {
    let (v, policy) = compute::policy(state, row.policy_version_id).await?;
    let d = deadlines(state, &row).await?;
    let cycle_state = parse_state(&row.state)?;
    let overdue = cycle::overdue(cycle_state, &d, state.clock.china_now())
        .into_iter()
        .map(|o| json!({ "due": o.due, "days_late": o.days_late, "zh": o.zh, "en": o.en }))
        .collect();
    let chain = policy_chain(&policy.process)
        .map(|c| c.iter().map(|r| r.code().to_string()).collect())
        .unwrap_or_default();
    Ok(PeriodView {
        published_on: published_on(state, row.id).await?,
        row,
        policy_id: v.policy_id,
        policy_version: v.version,
        deadlines: DeadlinesView {
            compile_by: d.compile_by,
            publish_by: d.publish_by,
            appeal_until: d.appeal_until,
            approvals_by: d.approvals_by,
        },
        overdue,
        approval_chain: chain,
    })
}

/// `GET /api/periods`: the periods the caller may see.
pub async fn list(State(state): State<AppState>, c: Caller) -> ApiResult<Json<Vec<PeriodView>>> {
    let mut out = Vec::new();
    for row in state.db.all_periods().await? {
        if scope::period_visible(&state, &c, &row).await? {
            out.push(view(&state, row).await?);
        }
    }
    Ok(Json(out))
}

/// `GET /api/periods/{id}`.
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<PeriodView>> {
    let row = visible_period(&state, &c, id).await?;
    Ok(Json(view(&state, row).await?))
}

/// Transition request.
#[derive(Debug, Deserialize)]
pub struct TransitionRequest {
    /// The action, e.g. `{"action": "publish"}` or `{"action": "reject", "reason": "…"}`.
    pub action: Action,
    /// The row version the caller last read (409 if it changed since).
    pub expected_version: i64,
}

/// People who must sign their score (P4.9): everyone assessed in the result.
pub fn must_sign(r: &PeriodResult) -> Vec<&str> {
    r.people
        .iter()
        .filter(|p| {
            matches!(
                p.status,
                Status::Ranked | Status::Exempt | Status::Vetoed | Status::NeedsData
            )
        })
        .map(|p| p.id.as_str())
        .collect()
}

/// People on the elimination list (P4.11: they sign that too).
pub fn on_elimination_list(r: &PeriodResult) -> Vec<&str> {
    r.people
        .iter()
        .filter(|p| {
            p.outcomes
                .iter()
                .any(|o| o.measure == Measure::EliminationList)
        })
        .map(|p| p.id.as_str())
        .collect()
}

/// Appeal states that keep the window from closing.
pub const OPEN_APPEAL_STATES: &[&str] = &["filed", "accepted"];

/// `POST /api/periods/{id}/transition`: one step at a time per period
/// ([`crate::state::PeriodLocks`]), so a request answered 409 has written nothing.
pub async fn transition(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<TransitionRequest>,
) -> ApiResult<Json<PeriodView>> {
    let _step = state.period_locks.lock(id).await;
    transition_locked(state, c, id, req).await
}

async fn transition_locked(
    state: AppState,
    c: Caller,
    id: i64,
    req: TransitionRequest,
) -> ApiResult<Json<PeriodView>> {
    let row = visible_period(&state, &c, id).await?;
    require_covers_period(&state, &c, &row).await?;
    if row.row_version != req.expected_version {
        return Err(ApiError::conflict(
            format!(
                "考核期间已被他人修改（当前版本 {}），请刷新后重试",
                row.row_version
            ),
            format!(
                "the period was changed by someone else (now version {}); reload and retry",
                row.row_version
            ),
        )
        .with(json!({ "current": row, "current_version": row.row_version })));
    }
    let current = parse_state(&row.state)?;
    let (v, policy) = compute::policy(&state, row.policy_version_id).await?;
    let process = policy.process.clone();
    let chain = policy_chain(&process).map_err(|e| ApiError::bad(e.zh(), e.en()))?;
    let effective = compute::effective_result(&state, id).await?;
    // A result counts only if it was computed from the data as it is now.
    let fresh = match &effective {
        Some((run, _)) if matches!(req.action, Action::Publish) => {
            let input = compute::input(&state, &row, &policy).await?;
            let history = compute::history_before(&state, &row, &v.policy_id).await?;
            let hash = crate::auth::sha256_hex(
                serde_json::to_string(&(&v.hash, &input, &history))
                    .map_err(ApiError::internal)?
                    .as_bytes(),
            );
            hash == run.inputs_hash
        }
        Some(_) => true,
        None => false,
    };
    if matches!(req.action, Action::Publish) && effective.is_some() && !fresh {
        return Err(ApiError::conflict(
            "计算之后数据已有变化，请先重新计算再公示",
            "the data changed after the last computation; recompute before publishing",
        ));
    }
    let appeals = state.db.appeals(id).await?;
    let open_appeals = appeals
        .iter()
        .filter(|a| OPEN_APPEAL_STATES.contains(&a.state.as_str()))
        .count() as u32;
    let (missing, measure_missing) = match &effective {
        Some((run, r)) => {
            let signed = crate::api::personal::signed_people(&state, id, run, r, "score").await?;
            let listed =
                crate::api::personal::signed_people(&state, id, run, r, "elimination_list").await?;
            let missing = if process.sign_off {
                must_sign(r)
                    .into_iter()
                    .filter(|p| !signed.contains(*p))
                    .count()
            } else {
                0
            };
            let mm = on_elimination_list(r)
                .into_iter()
                .filter(|p| !listed.contains(*p))
                .count();
            (missing as u32, mm as u32)
        }
        None => (0, 0),
    };
    let d = deadlines(&state, &row).await?;
    let ctx = CycleContext {
        now: state.clock.china_now(),
        has_result: effective.is_some() && fresh,
        ties_pending: effective.as_ref().map_or(0, |(_, r)| r.ties.len() as u32),
        appeal_deadline: d.appeal_until,
        open_appeals,
        signatures_missing: missing,
        measure_signatures_missing: measure_missing,
        approval_chain: &chain,
    };
    let next = cycle::transition(current, &req.action, c.role, &ctx).map_err(|e| {
        let code = match e {
            cycle::CycleError::RoleNotAllowed { .. } => axum::http::StatusCode::FORBIDDEN,
            _ => axum::http::StatusCode::CONFLICT,
        };
        ApiError::new(code, "transition_refused", e.zh(), e.en())
            .with(json!({ "state": row.state }))
    })?;
    // Side effects first where they may fail (a computation), then the state change.
    match (&req.action, &next.effect) {
        (Action::Compute, _) => {
            let (result, hash) = compute::compute(&state, &row).await?;
            let json = serde_json::to_string(&result).map_err(ApiError::internal)?;
            state
                .db
                .store_run(
                    &NewRun {
                        period_id: id,
                        policy_version_id: row.policy_version_id,
                        inputs_hash: hash,
                        result_json: json,
                    },
                    c.actor(),
                )
                .await?;
        }
        (_, Effect::Amendment { reason }) => {
            let Some((old, _)) = &effective else {
                return Err(ApiError::conflict("没有可更正的结果", "no result to amend"));
            };
            let (result, hash) = compute::compute(&state, &row).await?;
            let json = serde_json::to_string(&result).map_err(ApiError::internal)?;
            state
                .db
                .amend_run(
                    old.id,
                    &NewRun {
                        period_id: id,
                        policy_version_id: row.policy_version_id,
                        inputs_hash: hash,
                        result_json: json,
                    },
                    reason,
                    c.actor(),
                )
                .await?;
        }
        (Action::Publish, _) => {
            let run_id = effective.as_ref().map(|(r, _)| r.id);
            state
                .db
                .add_decision(
                    &NewDecision {
                        period_id: id,
                        kind: PUBLISH.into(),
                        subject: None,
                        body_json: json!({
                            "run_id": run_id,
                            "published_on": state.clock.china_now().date(),
                        })
                        .to_string(),
                        reason: None,
                    },
                    c.actor(),
                )
                .await?;
            // Accepted appeals are answered by this republication (P4.10).
            for a in appeals.iter().filter(|a| a.state == "accepted") {
                state
                    .db
                    .update_appeal(
                        a.id,
                        a.row_version,
                        "republished",
                        a.decision_note.as_deref(),
                        c.actor(),
                    )
                    .await?;
            }
        }
        (_, Effect::Approved { step, by }) => {
            state
                .db
                .add_decision(
                    &NewDecision {
                        period_id: id,
                        kind: APPROVAL.into(),
                        subject: Some(format!("step:{step}")),
                        body_json: json!({ "step": step, "role": by.code(), "approved": true })
                            .to_string(),
                        reason: None,
                    },
                    c.actor(),
                )
                .await?;
        }
        (_, Effect::SentBack { by, reason }) => {
            state
                .db
                .add_decision(
                    &NewDecision {
                        period_id: id,
                        kind: APPROVAL.into(),
                        subject: None,
                        body_json: json!({ "role": by.code(), "approved": false }).to_string(),
                        reason: Some(reason.clone()),
                    },
                    c.actor(),
                )
                .await?;
        }
        _ => {}
    }
    let reason = match &req.action {
        Action::Amend { reason } | Action::Reject { reason } => Some(reason.as_str()),
        _ => None,
    };
    let updated = state
        .db
        .update_period_state(
            id,
            row.row_version,
            &state_text(next.state),
            c.actor(),
            reason,
        )
        .await?;
    Ok(Json(view(&state, updated).await?))
}
