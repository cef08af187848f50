//! Sign-in, sign-out and the language switch (登录、退出、语言).

use crate::ctx::{render, Frame, Lang, Web};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kaohe_server::auth;
use kaohe_server::AppState;
use serde::Deserialize;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/lang/{lang}", get(switch_lang))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    frame: Frame,
    next: String,
    error: Option<String>,
    login: String,
}

/// `?next=`.
#[derive(Debug, Deserialize, Default)]
pub struct Next {
    /// Where to go after signing in.
    #[serde(default)]
    pub next: Option<String>,
}

fn anonymous_frame(lang: Lang) -> Frame {
    Frame {
        title: match lang {
            Lang::Zh => "登录".into(),
            Lang::En => "Sign in".into(),
        },
        lang,
        login: None,
        role: String::new(),
        role_code: String::new(),
        csrf: String::new(),
    }
}

/// Only local paths are followed after sign-in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

async fn login_page(headers: HeaderMap, Query(q): Query<Next>) -> Response {
    let lang = Lang::of(&headers);
    render(&LoginPage {
        frame: anonymous_frame(lang),
        next: safe_next(q.next.as_deref()),
        error: None,
        login: String::new(),
    })
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    /// Login.
    pub login: String,
    /// Password.
    pub password: String,
    /// Where to go next.
    #[serde(default)]
    pub next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = Lang::of(&headers);
    let next = safe_next(f.next.as_deref());
    let fail = |msg: String| {
        render(&LoginPage {
            frame: anonymous_frame(lang),
            next: next.clone(),
            error: Some(msg),
            login: f.login.clone(),
        })
    };
    if !auth::is_same_origin(&headers) {
        return fail(match lang {
            Lang::Zh => "请求来自其他网站，已拒绝".into(),
            Lang::En => "the request came from another site and was refused".into(),
        });
    }
    let user = match auth::check_credentials(&state, &f.login, &f.password, &auth::peer(&ext)).await
    {
        Ok(u) => u,
        Err(e) => {
            return fail(match lang {
                Lang::Zh => e.zh,
                Lang::En => e.en,
            })
        }
    };
    match auth::start_session(&state, &user).await {
        Ok((cookie, _)) => {
            let mut resp = Redirect::to(&next).into_response();
            resp.headers_mut().insert(header::SET_COOKIE, cookie);
            resp
        }
        Err(e) => fail(match lang {
            Lang::Zh => e.zh,
            Lang::En => e.en,
        }),
    }
}

/// The sign-out form.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
}

async fn logout(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(e) = web.check_csrf(&headers, f.csrf.as_deref()) {
        return e.into_response();
    }
    let _ = auth::end_session(&state, &headers).await;
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(auth::CLEAR_COOKIE),
    );
    resp
}

async fn switch_lang(Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let value = if lang == "en" { "en" } else { "zh" };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.find("://")
                .and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_string()))
        })
        .unwrap_or_else(|| "/".into());
    let mut resp = Redirect::to(&safe_next(Some(&back))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}={value}; Path=/; Max-Age=31536000; SameSite=Lax",
        crate::ctx::LANG_COOKIE
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}
