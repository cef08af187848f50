//! The dashboard (工作台): the periods the signed-in user may see, their state, deadlines and
//! overdue steps, and for appeal reviewers the appeals awaiting review in each; for a rater,
//! the periods with people to rate (P7.2) and how many are rated; for an employee, their own
//! months and published results.

use crate::ctx::{period_text, render, state_text, Frame, OrPage, PageResult, Web};
use askama::Template;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use kaohe_process::role::Role;
use kaohe_server::api::{data, periods, personal};
use kaohe_server::AppState;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

/// One period row.
pub struct Row {
    /// Period id.
    pub id: i64,
    /// 2025年3月.
    pub label: String,
    /// Policy id and version.
    pub policy: String,
    /// State in words.
    pub state: String,
    /// Next deadline in words.
    pub deadline: String,
    /// Overdue steps in words.
    pub overdue: Vec<String>,
    /// Appeals filed and not yet decided (counted for reviewers only).
    pub appeals_open: usize,
}

/// A period with people for the signed-in rater to rate (P7.2).
pub struct RatingTask {
    /// Period id.
    pub id: i64,
    /// 2025年第1季度.
    pub label: String,
    /// Unit and policy.
    pub policy: String,
    /// State in words.
    pub state: String,
    /// People assigned.
    pub assigned: usize,
    /// Of them, rated.
    pub rated: usize,
    /// Ratings are still taken (the period is collecting).
    pub open: bool,
}

/// One of my months (employee view).
pub struct Mine {
    /// Period id.
    pub id: i64,
    /// 2025年3月.
    pub label: String,
    /// State in words.
    pub state: String,
    /// Published summary, e.g. "得分 86.50，第 3/10 名".
    pub summary: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    frame: Frame,
    rows: Vec<Row>,
    mine: Vec<Mine>,
    /// The caller reviews appeals (the 待复核申诉 column is shown).
    reviewer: bool,
    /// The rater's periods with people to rate.
    tasks: Vec<RatingTask>,
}

async fn dashboard(State(state): State<AppState>, web: Web) -> PageResult {
    let lang = web.lang;
    let names = crate::ctx::Names::load(&state).await;
    let Json(list) = periods::list(State(state.clone()), web.caller.clone())
        .await
        .page(lang)?;
    let reviewer = personal::REVIEWERS.contains(&web.caller.role);
    let mut tasks = Vec::new();
    if web.caller.role == Role::Rater {
        for v in &list {
            let Json(mine) =
                data::my_ratees(State(state.clone()), web.caller.clone(), Path(v.row.id))
                    .await
                    .page(lang)?;
            let ratees = mine["ratees"].as_array().cloned().unwrap_or_default();
            if ratees.is_empty() {
                continue;
            }
            tasks.push(RatingTask {
                id: v.row.id,
                label: period_text(&v.row.label, lang),
                policy: names.period(&v.row, lang),
                state: state_text(&v.row.state, lang),
                assigned: ratees.len(),
                rated: ratees.iter().filter(|r| !r["my_score"].is_null()).count(),
                open: v.row.state == "collecting",
            });
        }
    }
    let mut rows: Vec<Row> = list
        .into_iter()
        .map(|v| {
            let deadline = crate::ctx::deadlines_ahead(&v.row.state, &v.deadlines, lang)
                .into_iter()
                .map(|(what, day)| format!("{what} {day}"))
                .collect::<Vec<_>>()
                .join(match lang {
                    crate::ctx::Lang::Zh => "；",
                    crate::ctx::Lang::En => "; ",
                });
            Row {
                id: v.row.id,
                label: period_text(&v.row.label, lang),
                policy: names.period(&v.row, lang),
                state: state_text(&v.row.state, lang),
                deadline,
                overdue: v
                    .overdue
                    .iter()
                    .filter_map(|o| {
                        o[if lang == crate::ctx::Lang::Zh {
                            "zh"
                        } else {
                            "en"
                        }]
                        .as_str()
                        .map(str::to_string)
                    })
                    .collect(),
                appeals_open: 0,
            }
        })
        .collect();
    if reviewer {
        for r in &mut rows {
            let Json(appeals) =
                personal::list_appeals(State(state.clone()), web.caller.clone(), Path(r.id))
                    .await
                    .page(lang)?;
            r.appeals_open = appeals.iter().filter(|a| a.state == "filed").count();
        }
    }
    let Json(mine) = personal::my_periods(State(state), web.caller.clone())
        .await
        .page(lang)?;
    let mine = mine["periods"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| Mine {
                    id: p["period_id"].as_i64().unwrap_or_default(),
                    label: period_text(p["label"].as_str().unwrap_or(""), lang),
                    state: state_text(p["state"].as_str().unwrap_or(""), lang),
                    summary: p["mine"].as_object().map(|m| {
                        let score = m.get("score_shown").and_then(|s| s.as_str()).unwrap_or("—");
                        let rank = m
                            .get("rank")
                            .and_then(|s| s.as_u64())
                            .map(|r| r.to_string())
                            .unwrap_or_else(|| "—".into());
                        let size = m
                            .get("group_size")
                            .and_then(|s| s.as_u64())
                            .map(|r| r.to_string())
                            .unwrap_or_else(|| "—".into());
                        match lang {
                            crate::ctx::Lang::Zh => format!("得分 {score}，第 {rank}/{size} 名"),
                            crate::ctx::Lang::En => format!("score {score}, rank {rank} of {size}"),
                        }
                    }),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(render(&Dashboard {
        frame: web.frame("工作台", "Dashboard"),
        rows,
        mine,
        reviewer,
        tasks,
    }))
}
