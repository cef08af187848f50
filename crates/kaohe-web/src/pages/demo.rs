//! The demo page (演示): shown when the server runs as `kaohe demo` — the demo clock, the month
//! to walk, the demo logins, and for the administrator a button that moves the demo clock
//! forward by working days, so that the 3-working-day appeal window (P4.10) can pass and the
//! month can be finished. It calls the API's clock handler (test clock only). It also offers the
//! walkable month's figures as an XLSX file (`/demo/figures.xlsx`) to import with the wizard.

use crate::ctx::{date_text, period_text, render, Frame, OrPage, PageError, PageResult, Web};
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use kaohe_process::role::Role;
use kaohe_server::api::admin;
use kaohe_server::demo;
use kaohe_server::error::ApiError;
use kaohe_server::AppState;
use serde::Deserialize;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/demo", get(page))
        .route("/demo/clock", post(move_clock))
        .route("/demo/figures.xlsx", get(figures))
        .route("/demo/sign-others", post(sign_others))
}

/// One login row.
pub struct LoginRow {
    /// Role in words.
    pub role: String,
    /// Login.
    pub login: String,
    /// What to try.
    pub try_this: String,
}

#[derive(Template)]
#[template(path = "demo_page.html")]
struct DemoPage {
    frame: Frame,
    now: String,
    walk: Option<(i64, String)>,
    logins: Vec<LoginRow>,
    password: &'static str,
    is_admin: bool,
    test_clock: bool,
    may_sign_others: bool,
    signed: Option<usize>,
}

/// `?signed=N` after the demo signatures.
#[derive(Debug, Default, Deserialize)]
pub struct DemoQuery {
    /// How many signed.
    #[serde(default)]
    pub signed: Option<usize>,
}

fn not_demo(lang: crate::ctx::Lang) -> PageError {
    PageError::from_api(
        ApiError::not_found(
            "演示页面（仅在 kaohe demo 下提供）",
            "demo page (only under kaohe demo)",
        ),
        lang,
    )
}

async fn page(
    State(state): State<AppState>,
    web: Web,
    axum::extract::Query(q): axum::extract::Query<DemoQuery>,
) -> PageResult {
    let lang = web.lang;
    if !demo::active() {
        return Err(not_demo(lang));
    }
    let now = state.clock.china_now();
    let walk = match demo::walk_period(&state).await {
        Ok(id) => Some((
            id,
            format!(
                "{} {}",
                demo::WALK_BRANCH,
                period_text(demo::WALK_LABEL, lang)
            ),
        )),
        Err(_) => None,
    };
    let logins = demo::logins()
        .into_iter()
        .map(|l| LoginRow {
            role: Role::from_label(l.role)
                .map(|r| match lang {
                    crate::ctx::Lang::Zh => r.zh().to_string(),
                    crate::ctx::Lang::En => r.en().to_string(),
                })
                .unwrap_or_else(|| l.role.to_string()),
            login: l.login,
            try_this: match lang {
                crate::ctx::Lang::Zh => l.zh.to_string(),
                crate::ctx::Lang::En => l.en.to_string(),
            },
        })
        .collect();
    Ok(render(&DemoPage {
        frame: web.frame("演示", "Demo"),
        now: format!("{} {}", date_text(now.date(), lang), now.format("%H:%M")),
        walk,
        logins,
        password: demo::PASSWORD,
        is_admin: web.caller.role == Role::Admin,
        test_clock: state.config.test_clock,
        may_sign_others: matches!(web.caller.role, Role::Admin | Role::BranchHead),
        signed: q.signed,
    }))
}

/// The clock form.
#[derive(Debug, Deserialize)]
pub struct ClockForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// Working days to move forward (1 … 30).
    pub working_days: String,
}

async fn move_clock(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Form(f): Form<ClockForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    if !demo::active() {
        return Err(not_demo(lang));
    }
    let n: u32 = f
        .working_days
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=30).contains(n))
        .ok_or_else(|| {
            PageError::from_api(
                ApiError::bad(
                    format!("工作日数“{}”无效，应为 1 到 30 的整数", f.working_days),
                    format!(
                        "\"{}\" working days is not valid: expected a whole number from 1 to 30",
                        f.working_days
                    ),
                ),
                lang,
            )
        })?;
    // N working days after today, in calendar days (weekends and holidays skipped, P4.10).
    let today = state.clock.china_now().date();
    let target = state.calendar().add_working_days(today, n).map_err(|e| {
        PageError::from_api(
            ApiError::bad(
                format!("工作日历缺少所需年份：{e}"),
                format!("the working-day calendar lacks a year: {e}"),
            ),
            lang,
        )
    })?;
    let days = (target - today).num_days();
    let req: admin::ClockRequest = serde_json::from_value(serde_json::json!({ "days": days }))
        .map_err(|e| PageError::from_api(ApiError::internal(e), lang))?;
    let Json(_) = admin::advance_clock(State(state), web.caller.clone(), Json(req))
        .await
        .page(lang)?;
    // Sessions last 12 hours of this clock: the next page asks to sign in again.
    Ok(Redirect::to("/demo").into_response())
}

/// The download name of the walkable month's figures.
pub const FIGURES_FILE: &str = "杭州分公司-2025年3月-考核数据.xlsx";

/// `GET /demo/figures.xlsx`: the walkable month's figures ([`demo::walk_figures`]) as a
/// spreadsheet, the cells as the example holds them, for any signed-in demo user.
async fn figures(web: Web) -> PageResult {
    let lang = web.lang;
    if !demo::active() {
        return Err(not_demo(lang));
    }
    let fail = |e: String| PageError::from_api(ApiError::internal(e), lang);
    // The example's own cells as text; the table writer turns plain numbers back into numbers.
    let rows: Vec<Vec<String>> = demo::walk_figures()
        .map_err(fail)?
        .iter()
        .map(|r| r.iter().map(kaohe_import::Cell::text).collect())
        .collect();
    let bytes =
        crate::pages::table::xlsx(demo::WALK_LABEL, &rows).map_err(|e| fail(e.to_string()))?;
    Ok(crate::pages::table::xlsx_response(
        FIGURES_FILE,
        "figures.xlsx",
        bytes,
    ))
}

/// A form with only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
}

/// `POST /demo/sign-others` (admin or branch head, demo only): the walkable month's other
/// employees sign their published result ([`demo::sign_for_colleagues`]).
async fn sign_others(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    if !demo::active() {
        return Err(not_demo(lang));
    }
    web.caller
        .require(&[Role::Admin, Role::BranchHead])
        .page(lang)?;
    match demo::sign_for_colleagues(&state, &[]).await {
        Ok(n) => Ok(Redirect::to(&format!("/demo?signed={n}")).into_response()),
        Err(e) => {
            let (zh, en) = e.split_once(" / ").unwrap_or((e.as_str(), e.as_str()));
            Err(PageError::from_api(
                ApiError::conflict(zh.to_string(), en.to_string()),
                lang,
            ))
        }
    }
}
