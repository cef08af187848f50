//! The review queue (申诉复核) and the approval queue (审批). `/appeals` lists the appeals in
//! the caller's scope across the periods they may see; reviewers accept or reject each with a
//! note (`personal::decide_appeal`, with the row version read — a stale one shows the 409 in
//! words). `/approvals` lists the periods waiting for an approval step whose role in the
//! policy's chain is the caller's (P4.11), with approve / reject (with a reason) buttons that
//! post to the period's transition form.

use crate::ctx::{date_text, period_text, render, Frame, Lang, OrPage, PageError, PageResult, Web};
use crate::pages::period::{chain_of, message, tr};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use kaohe_server::api::{periods, personal};
use kaohe_server::{compute, AppState};
use serde::Deserialize;
use std::collections::HashMap;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(queue))
        .route("/appeals/{id}/decision", post(decide))
        .route("/approvals", get(approvals))
}

/// One appeal in the queue.
pub struct AppealItem {
    /// Appeal id.
    pub id: i64,
    /// Row version (posted back).
    pub version: i64,
    /// Period id.
    pub period_id: i64,
    /// Period as shown.
    pub period: String,
    /// 工号.
    pub person: String,
    /// 姓名.
    pub name: String,
    /// Filed on.
    pub filed: String,
    /// The appeal text.
    pub reason: String,
    /// State in words.
    pub state: String,
    /// Reviewer's note.
    pub note: String,
    /// Still awaiting a decision.
    pub open: bool,
}

#[derive(Template)]
#[template(path = "appeals_queue.html")]
struct QueuePage {
    frame: Frame,
    error: Option<String>,
    reviewer: bool,
    open: Vec<AppealItem>,
    done: Vec<AppealItem>,
}

fn state_words(s: &str, lang: Lang) -> String {
    let (zh, en) = match s {
        "filed" => ("待复核", "awaiting review"),
        "accepted" => (
            "已采纳，待更正后重新公示",
            "accepted; to be corrected and republished",
        ),
        "rejected" => ("已驳回", "rejected"),
        "republished" => ("已采纳，已重新公示", "accepted and republished"),
        other => (other, other),
    };
    tr(lang, zh, en)
}

async fn queue(State(state): State<AppState>, web: Web) -> PageResult {
    queue_page(&state, &web, None, StatusCode::OK).await
}

/// Render the review queue, with an error from a refused decision if any.
pub async fn queue_page(
    state: &AppState,
    web: &Web,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = web.lang;
    let Json(list) = periods::list(State(state.clone()), web.caller.clone())
        .await
        .page(lang)?;
    let mut open = Vec::new();
    let mut done = Vec::new();
    for v in list {
        let id = v.row.id;
        let Json(appeals) =
            personal::list_appeals(State(state.clone()), web.caller.clone(), Path(id))
                .await
                .page(lang)?;
        if appeals.is_empty() {
            continue;
        }
        let names: HashMap<String, String> = compute::members(state, id)
            .await
            .page(lang)?
            .into_iter()
            .map(|m| (m.person.id, m.person.name))
            .collect();
        for a in appeals {
            let item = AppealItem {
                id: a.id,
                version: a.row_version,
                period_id: id,
                period: period_text(&v.row.label, lang),
                name: names.get(&a.person_id).cloned().unwrap_or_default(),
                person: a.person_id.clone(),
                filed: crate::ctx::day_text(a.filed_at, lang),
                reason: a.reason.clone(),
                state: state_words(&a.state, lang),
                note: a.decision_note.clone().unwrap_or_default(),
                open: a.state == "filed",
            };
            if item.open {
                open.push(item);
            } else {
                done.push(item);
            }
        }
    }
    let page = QueuePage {
        frame: web.frame("申诉复核", "Appeal review"),
        error,
        reviewer: personal::REVIEWERS.contains(&web.caller.role),
        open,
        done,
    };
    Ok((status, render(&page)).into_response())
}

/// The decision form.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// `accept` or `reject` (the button pressed).
    pub decision: String,
    /// The reviewer's note (told to the person).
    #[serde(default)]
    pub note: String,
    /// The appeal's row version when the queue was shown.
    pub expected_version: String,
}

async fn decide(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    let accept = match f.decision.as_str() {
        "accept" => true,
        "reject" => false,
        _ => {
            return queue_page(
                &state,
                &web,
                Some(tr(lang, "请选择采纳或驳回", "choose accept or reject")),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    };
    let Ok(expected_version) = f.expected_version.trim().parse::<i64>() else {
        return queue_page(
            &state,
            &web,
            Some(tr(
                lang,
                "页面数据不完整，请刷新后重试",
                "the form is incomplete; reload and retry",
            )),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let req = personal::ReviewRequest {
        accept,
        note: f.note,
        expected_version,
    };
    match personal::decide_appeal(
        State(state.clone()),
        web.caller.clone(),
        Path(id),
        Json(req),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/appeals").into_response()),
        Err(e) => {
            let status = e.status;
            queue_page(
                &state,
                &web,
                Some(message(&PageError::from_api(e, lang))),
                status,
            )
            .await
        }
    }
}

/// A period waiting for the caller's approval.
pub struct ApprovalItem {
    /// Period id.
    pub id: i64,
    /// Period as shown.
    pub label: String,
    /// Policy.
    pub policy: String,
    /// Row version.
    pub version: i64,
    /// Step (1-based) and the chain length.
    pub step: String,
    /// Deadline for the approvals.
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "appeals_approvals.html")]
struct ApprovalsPage {
    frame: Frame,
    error: Option<String>,
    items: Vec<ApprovalItem>,
}

async fn approvals(State(state): State<AppState>, web: Web) -> PageResult {
    approvals_page(&state, &web, None, StatusCode::OK).await
}

/// Render the approval queue, with an error from a refused step if any.
pub async fn approvals_page(
    state: &AppState,
    web: &Web,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = web.lang;
    let names = crate::ctx::Names::load(state).await;
    let Json(list) = periods::list(State(state.clone()), web.caller.clone())
        .await
        .page(lang)?;
    let mut items = Vec::new();
    for v in list {
        let Some(step) = v
            .row
            .state
            .strip_prefix("approvals:")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let (_, policy) = compute::policy(state, v.row.policy_version_id)
            .await
            .page(lang)?;
        let chain = chain_of(&policy);
        if chain.get(step) != Some(&web.caller.role) {
            continue;
        }
        items.push(ApprovalItem {
            id: v.row.id,
            label: period_text(&v.row.label, lang),
            policy: names.period(&v.row, lang),
            version: v.row.row_version,
            step: format!("{}/{}", step + 1, chain.len()),
            deadline: v
                .deadlines
                .approvals_by
                .map(|d| date_text(d, lang))
                .unwrap_or_default(),
        });
    }
    let page = ApprovalsPage {
        frame: web.frame("审批", "Approvals"),
        error,
        items,
    };
    Ok((status, render(&page)).into_response())
}
