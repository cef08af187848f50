//! People's own part (本人事项): a person's own results, signing them (or a manager recording a
//! refusal, with the time and a note), appeals inside the window (P4.10), and their review.
//! The rules themselves live in `kaohe_process::{signature, appeal}`; this module reads the
//! facts from the database, asks those rules, and records the outcome.

use crate::api::periods::{is_published, on_elimination_list, parse_state, published_on};
use crate::auth::Caller;
use crate::compute;
use crate::error::{ApiError, ApiResult};
use crate::scope::{self, visible_period};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDateTime;
use kaohe_process::appeal::{Appeal, AppealStatus};
use kaohe_process::cycle::CycleState;
use kaohe_process::role::Role;
use kaohe_process::signature::{self, Signature, SignatureKind, Subject};
use kaohe_store::{AppealRow, NewSignature};
use serde::Deserialize;
use serde_json::{json, Value};

/// `GET /api/me/periods`: the periods I am assessed in, with my own published result.
pub async fn my_periods(State(state): State<AppState>, c: Caller) -> ApiResult<Json<Value>> {
    let Some(me) = c.user.person_id.clone() else {
        return Ok(Json(json!({ "periods": [] })));
    };
    let mut out = Vec::new();
    for p in state.db.all_periods().await? {
        if !state
            .db
            .period_people(p.id)
            .await?
            .iter()
            .any(|(id, _)| *id == me)
        {
            continue;
        }
        let published = is_published(parse_state(&p.state)?);
        let mine = if published {
            // The score as every page shows it: the policy's decimals, half away from zero (X2).
            let (_, policy) = compute::policy(&state, p.policy_version_id).await?;
            let dp = policy.policy.decimals;
            compute::effective_result(&state, p.id)
                .await?
                .and_then(|(_, r)| r.people.into_iter().find(|x| x.id == me))
                .map(|x| {
                    let shown = x.score.map(|s| kaohe_engine::display::show(s, dp));
                    json!({ "score": x.score, "score_shown": shown, "rank": x.rank, "group_size": x.group_size, "line": x.line, "status": x.status })
                })
        } else {
            None
        };
        out.push(json!({ "period_id": p.id, "label": p.label, "state": p.state, "published": published, "mine": mine }));
    }
    Ok(Json(json!({ "periods": out })))
}

fn subject(s: &str) -> ApiResult<Subject> {
    match s {
        "score" => Ok(Subject::Score),
        "elimination_list" => Ok(Subject::EliminationList),
        other => Err(ApiError::bad(
            format!("签字对象“{other}”无效，应为 score（考核结果）或 elimination_list（淘汰名单）"),
            format!("unknown subject \"{other}\"; expected score or elimination_list"),
        )),
    }
}

fn to_process(rows: &[kaohe_store::SignatureRow]) -> Vec<Signature> {
    rows.iter()
        .filter_map(|r| {
            Some(Signature {
                person: r.person_id.clone(),
                subject: subject(&r.subject).ok()?,
                run: r.run_id.map(|x| x.to_string()).unwrap_or_default(),
                at: r.at.naive_utc(),
                kind: if r.kind == "signed" {
                    SignatureKind::Signed
                } else {
                    SignatureKind::Refused {
                        recorded_by: r.recorded_by.clone(),
                        note: r.note.clone().unwrap_or_default(),
                    }
                },
            })
        })
        .collect()
}

/// Sign request.
#[derive(Debug, Deserialize)]
pub struct SignRequest {
    /// 工号 of the person whose result it is.
    pub person: String,
    /// `score` or `elimination_list` (P4.11).
    pub subject: String,
    /// `signed` (by the person) or `refused` (recorded by a manager or HR, with a note).
    pub kind: String,
    /// Note (required for a refusal: witness, circumstances).
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/periods/{id}/signatures`.
pub async fn sign(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<SignRequest>,
) -> ApiResult<Json<Value>> {
    let p = visible_period(&state, &c, id).await?;
    let st = parse_state(&p.state)?;
    let subj = subject(&req.subject)?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, id).await?;
    let m = members
        .iter()
        .find(|m| m.person.id == req.person)
        .filter(|m| scope::member_visible(&s, &c, m))
        .ok_or_else(|| ApiError::not_found("该人员", "person"))?;
    let (run, r) = compute::effective_result(&state, id)
        .await?
        .ok_or_else(|| {
            ApiError::conflict("尚未计算，无可签字的结果", "nothing computed to sign yet")
        })?;
    match subj {
        Subject::Score if !is_published(st) => {
            return Err(ApiError::conflict(
                "结果公示后才能签字",
                "a result can be signed once it is published",
            ))
        }
        Subject::EliminationList => {
            if !matches!(
                st,
                CycleState::Final | CycleState::Measures | CycleState::Approvals { .. }
            ) {
                return Err(ApiError::conflict(
                    "淘汰名单在定稿后、审批结束前签字确认（P4.11）",
                    "the elimination list is signed after the result is final and before approval ends (P4.11)",
                ));
            }
            if !on_elimination_list(&r).contains(&m.person.id.as_str()) {
                return Err(ApiError::bad(
                    format!("{} 不在淘汰名单上", m.person.name),
                    format!("{} is not on the elimination list", m.person.id),
                ));
            }
        }
        Subject::Score => {}
    }
    let existing = to_process(&state.db.signatures(id).await?);
    let now: NaiveDateTime = state.clock.china_now();
    let run_key = run.id.to_string();
    let outcome = match req.kind.as_str() {
        "signed" => signature::sign(
            &existing,
            c.user.person_id.as_deref().unwrap_or(""),
            &m.person.id,
            subj,
            &run_key,
            now,
        ),
        "refused" => {
            if !s.covers(m.unit_id) {
                return Err(ApiError::not_found("该人员", "person"));
            }
            signature::record_refusal(
                &existing,
                c.user.person_id.as_deref().unwrap_or(c.actor()),
                c.role,
                &m.person.id,
                subj,
                &run_key,
                now,
                req.note.as_deref().unwrap_or(""),
            )
        }
        other => {
            return Err(ApiError::bad(
                format!("“{other}”无效，应为 signed（签字）或 refused（拒签）"),
                format!("\"{other}\" is not valid; expected signed or refused"),
            ))
        }
    };
    let sig = outcome.map_err(|e| {
        let (zh, en) = crate::error::split_bilingual(&e.to_string());
        match e {
            signature::SignatureError::AlreadyRecorded => ApiError::conflict(zh, en),
            signature::SignatureError::NoteRequired => ApiError::bad(zh, en),
            _ => ApiError::forbidden(zh, en),
        }
    })?;
    let row = state
        .db
        .add_signature(
            &NewSignature {
                period_id: id,
                person_id: sig.person,
                run_id: Some(run.id),
                subject: req.subject.clone(),
                kind: req.kind.clone(),
                note: req.note.clone(),
            },
            c.actor(),
        )
        .await?;
    Ok(Json(json!(row)))
}

/// Appeal request.
#[derive(Debug, Deserialize)]
pub struct AppealRequest {
    /// 申诉理由 the written appeal (P4.10).
    pub reason: String,
}

fn appeal_error(e: kaohe_process::appeal::AppealError) -> ApiError {
    let (zh, en) = crate::error::split_bilingual(&e.to_string());
    use kaohe_process::appeal::AppealError as E;
    match e {
        E::NotThePerson | E::ReviewerNotAllowed => ApiError::forbidden(zh, en),
        E::TextRequired => ApiError::bad(zh, en),
        _ => ApiError::conflict(zh, en),
    }
}

/// `POST /api/periods/{id}/appeals`: the person appeals their own result in the window.
pub async fn file_appeal(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<AppealRequest>,
) -> ApiResult<Json<AppealRow>> {
    let p = visible_period(&state, &c, id).await?;
    let Some(me) = c.user.person_id.clone() else {
        return Err(ApiError::forbidden(
            "只有被考核人本人可以申诉",
            "only the person assessed may appeal",
        ));
    };
    if !compute::members(&state, id)
        .await?
        .iter()
        .any(|m| m.person.id == me)
    {
        return Err(ApiError::not_found(
            "您在本期的考核结果",
            "your result in this period",
        ));
    }
    let st = parse_state(&p.state)?;
    let published = published_on(&state, id).await?;
    let d = crate::api::periods::deadlines(&state, &p).await?;
    let (Some(from), Some(until)) = (published, d.appeal_until) else {
        return Err(ApiError::conflict(
            "结果未处于公示状态，不能申诉",
            "the result is not published: no appeal possible",
        ));
    };
    Appeal::file(
        st,
        &me,
        &me,
        &req.reason,
        state.clock.china_now(),
        from,
        until,
    )
    .map_err(appeal_error)?;
    Ok(Json(
        state
            .db
            .file_appeal(id, &me, req.reason.trim(), c.actor())
            .await?,
    ))
}

/// `GET /api/periods/{id}/appeals`: reviewers see the appeals in their scope (the review
/// queue); a person sees their own.
pub async fn list_appeals(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<AppealRow>>> {
    visible_period(&state, &c, id).await?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, id).await?;
    let all = state.db.appeals(id).await?;
    Ok(Json(
        all.into_iter()
            .filter(|a| {
                members
                    .iter()
                    .find(|m| m.person.id == a.person_id)
                    .is_some_and(|m| scope::member_visible(&s, &c, m))
            })
            .collect(),
    ))
}

/// Review request.
#[derive(Debug, Deserialize)]
pub struct ReviewRequest {
    /// Accept (correct the data, recompute, republish) or reject.
    pub accept: bool,
    /// The reason or what will be corrected (told to the person).
    pub note: String,
    /// The appeal's row version last read.
    pub expected_version: i64,
}

/// `POST /api/appeals/{id}/decision`: a reviewer in scope accepts or rejects an appeal.
pub async fn decide_appeal(
    State(state): State<AppState>,
    c: Caller,
    Path(appeal_id): Path<i64>,
    Json(req): Json<ReviewRequest>,
) -> ApiResult<Json<AppealRow>> {
    let a = match state.db.appeal(appeal_id).await {
        Ok(a) => a,
        Err(kaohe_store::Error::NotFound { .. }) => {
            return Err(ApiError::not_found("申诉", "appeal"))
        }
        Err(e) => return Err(e.into()),
    };
    let p = visible_period(&state, &c, a.period_id).await?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, p.id).await?;
    if !members
        .iter()
        .any(|m| m.person.id == a.person_id && s.covers(m.unit_id))
    {
        return Err(ApiError::not_found("申诉", "appeal"));
    }
    let appeal = Appeal {
        person: a.person_id.clone(),
        filed_at: (a.filed_at + chrono::Duration::hours(8)).naive_utc(),
        text: a.reason.clone(),
        status: if a.state == "filed" {
            AppealStatus::Filed
        } else {
            AppealStatus::Republished {
                at: state.clock.china_now(),
            }
        },
        notified_at: None,
    };
    let reviewer = c
        .user
        .person_id
        .clone()
        .unwrap_or_else(|| c.actor().to_string());
    let now = state.clock.china_now();
    let decided = if req.accept {
        appeal.accept(&reviewer, c.role, now, &req.note)
    } else {
        appeal.reject(&reviewer, c.role, now, &req.note)
    }
    .map_err(appeal_error)?;
    let new_state = match decided.status {
        AppealStatus::Accepted { .. } => "accepted",
        _ => "rejected",
    };
    Ok(Json(
        state
            .db
            .update_appeal(
                a.id,
                req.expected_version,
                new_state,
                Some(req.note.trim()),
                c.actor(),
            )
            .await?,
    ))
}

/// Roles allowed to review appeals (the same list `kaohe_process::appeal` checks).
pub const REVIEWERS: &[Role] = &[
    Role::Admin,
    Role::HqHr,
    Role::RegionalHead,
    Role::BranchHead,
];

/// What a signature vouches for: the person's score, rank, line position, status and outcomes.
fn signed_content(r: &kaohe_engine::PeriodResult, person: &str) -> Option<Value> {
    r.people.iter().find(|x| x.id == person).map(|x| {
        json!({
            "score": x.score, "rank": x.rank, "status": x.status, "line": x.line,
            "outcomes": x.outcomes.iter().map(|o| o.id.clone()).collect::<Vec<_>>(),
        })
    })
}

/// People with a signature or recorded refusal on `subject` that still holds for the current
/// run: given on it, or on an earlier run where their own result was the same (a recompute
/// after an appeal asks only those affected to sign again).
pub async fn signed_people(
    state: &AppState,
    period_id: i64,
    current: &kaohe_store::RunRow,
    result: &kaohe_engine::PeriodResult,
    subject: &str,
) -> ApiResult<std::collections::HashSet<String>> {
    let sigs = state.db.signatures(period_id).await?;
    let mut earlier: std::collections::HashMap<i64, kaohe_engine::PeriodResult> =
        Default::default();
    let mut out = std::collections::HashSet::new();
    for s in sigs.iter().filter(|s| s.subject == subject) {
        let Some(run_id) = s.run_id else { continue };
        let holds = if run_id == current.id {
            true
        } else {
            if let std::collections::hash_map::Entry::Vacant(slot) = earlier.entry(run_id) {
                let run = state.db.run(run_id).await?;
                slot.insert(serde_json::from_str(&run.result_json).map_err(ApiError::internal)?);
            }
            let then = earlier
                .get(&run_id)
                .and_then(|r| signed_content(r, &s.person_id));
            then.is_some() && then == signed_content(result, &s.person_id)
        };
        if holds {
            out.insert(s.person_id.clone());
        }
    }
    Ok(out)
}
