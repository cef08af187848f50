//! Rater assignments on the period page (评分人分配, P7.2): for a policy that reads ratings, the
//! roles that run the cycle see who rates whom (and whether each rating is in) and assign a
//! rater account to a person in one of the policy's rater groups, through
//! `data::assignments` / `data::assign`, so the API's checks (rater account, rater group, once
//! per pair, period still collecting) apply and a refusal is shown on the page in words.

use crate::ctx::{Lang, Web};
use crate::pages::period::{message, period_page};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum::{Form, Json, Router};
use kaohe_server::api::{data, periods};
use kaohe_server::{compute, AppState};
use serde::Deserialize;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/periods/{id}/assignments", post(assign))
}

/// One assignment as listed.
pub struct AssignmentRow {
    /// Rater login.
    pub rater: String,
    /// 工号 and 姓名 of the person rated.
    pub person: String,
    /// Rater group (同事 …).
    pub group: String,
    /// The rating is in.
    pub rated: bool,
}

/// The card: current assignments and what the form offers.
pub struct RaterCard {
    /// Who rates whom.
    pub rows: Vec<AssignmentRow>,
    /// People of the roster, (工号, 姓名).
    pub people: Vec<(String, String)>,
    /// The policy's rater groups, (group, display name).
    pub groups: Vec<(String, String)>,
    /// Assignments may still be made (the period is open or collecting).
    pub open: bool,
}

/// The card for the period page, or `None` when the caller does not run the cycle or the
/// policy reads no ratings.
pub async fn card(
    state: &AppState,
    web: &Web,
    id: i64,
    period_state: &str,
    policy: &kaohe_policy::Policy,
) -> Option<RaterCard> {
    if !periods::OPERATORS.contains(&web.caller.role) {
        return None;
    }
    let groups: Vec<(String, String)> = policy
        .rater_groups()
        .map(|g| {
            let name = match (&g.name, web.lang) {
                (Some(n), Lang::Zh) => format!("{}（{n}）", g.group),
                _ => g.group.clone(),
            };
            (g.group.clone(), name)
        })
        .collect();
    if groups.is_empty() {
        return None;
    }
    let Json(list) = data::assignments(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .ok()?;
    let rows = list["assignments"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| AssignmentRow {
                    rater: x["rater"].as_str().unwrap_or("").to_string(),
                    person: format!(
                        "{}（{}）",
                        x["name"].as_str().unwrap_or(""),
                        x["ratee"].as_str().unwrap_or("")
                    ),
                    group: x["group"].as_str().unwrap_or("").to_string(),
                    rated: x["rated"].as_bool().unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    let people = compute::members(state, id)
        .await
        .ok()?
        .into_iter()
        .map(|m| (m.person.id, m.person.name))
        .collect();
    Some(RaterCard {
        rows,
        people,
        groups,
        open: matches!(period_state, "open" | "collecting"),
    })
}

/// The assignment form.
#[derive(Debug, Deserialize)]
pub struct AssignForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// Rater login.
    #[serde(default)]
    pub rater: String,
    /// 工号 of the person to rate.
    #[serde(default)]
    pub ratee: String,
    /// Rater group.
    #[serde(default)]
    pub group: String,
}

async fn assign(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> crate::ctx::PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let a = data::Assignment {
        rater: f.rater.trim().to_string(),
        ratee: f.ratee.trim().to_string(),
        group: f.group.trim().to_string(),
    };
    match data::assign(State(state.clone()), web.caller.clone(), Path(id), Json(a)).await {
        Ok(_) => Ok(Redirect::to(&format!("/periods/{id}#raters")).into_response()),
        Err(e) => {
            let status = e.status;
            let text = message(&crate::ctx::PageError::from_api(e, web.lang));
            period_page(&state, &web, id, Some(text), status).await
        }
    }
}
