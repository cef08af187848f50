//! Sign-in and who is calling (登录与身份): local accounts with Argon2id password hashes,
//! session cookies (HttpOnly, SameSite=Strict; only a SHA-256 of the session id is stored),
//! CSRF protection on every state-changing request made with a cookie (a per-session token in
//! the `X-CSRF-Token` header, and a same-origin check of `Origin`), API tokens for automation
//! (`Authorization: Bearer …`, exempt from CSRF because a browser never sends them by itself),
//! and a sign-in throttle.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use chrono::Duration;
use kaohe_process::role::Role;
use kaohe_store::{SessionRow, UserRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// Name of the session cookie.
pub const COOKIE: &str = "kaohe_session";
/// Header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts.
const SESSION_HOURS: i64 = 12;
/// Failed sign-ins allowed per login (and per client address, ×4) in the window.
const MAX_FAILURES: usize = 5;
/// The throttle window.
const WINDOW_SECS: u64 = 15 * 60;

/// SHA-256 as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A random token: 32 bytes from the OS, base64url without padding.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Hash a password with Argon2id (PHC string). Slow on purpose (~30 ms): call it from
/// `spawn_blocking`.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

/// Check a password against a stored hash; a malformed hash never matches.
fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the login is unknown, so that a wrong login takes as long as
/// a wrong password (no user enumeration by timing).
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash_password("kaohe-dummy-password").unwrap_or_default())
}

/// Minimum password length.
pub const MIN_PASSWORD: usize = 8;

/// Refuse a weak password with a clear message.
pub fn check_password_policy(pw: &str) -> ApiResult<()> {
    if pw.chars().count() < MIN_PASSWORD {
        return Err(ApiError::bad(
            format!("密码至少 {MIN_PASSWORD} 个字符"),
            format!("the password must have at least {MIN_PASSWORD} characters"),
        ));
    }
    Ok(())
}

/// The sign-in throttle (登录限速): failures per login and per client address in a sliding
/// window. Kept in memory: a restart forgets it, which only ever lets a user in sooner.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    fn keys(login: &str, ip: &str) -> [(String, usize); 2] {
        [
            (format!("login:{login}"), MAX_FAILURES),
            (format!("ip:{ip}"), MAX_FAILURES * 4),
        ]
    }

    /// Seconds to wait, if this login or address is throttled.
    pub fn blocked(&self, login: &str, ip: &str) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let mut wait = None;
        for (key, max) in LoginLimiter::keys(login, ip) {
            if let Some(list) = map.get_mut(&key) {
                list.retain(|t| now.duration_since(*t).as_secs() < WINDOW_SECS);
                if list.len() >= max {
                    let oldest = list.iter().min().copied().unwrap_or(now);
                    let left = WINDOW_SECS.saturating_sub(now.duration_since(oldest).as_secs());
                    wait = Some(wait.map_or(left, |w: u64| w.max(left)));
                }
            }
        }
        wait
    }

    /// Record a failure.
    pub fn fail(&self, login: &str, ip: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Keep memory bounded when someone tries many different logins: forget failures that
        // are out of the window.
        if map.len() > 10_000 {
            let now = Instant::now();
            map.retain(|_, list| {
                list.retain(|t| now.duration_since(*t).as_secs() < WINDOW_SECS);
                !list.is_empty()
            });
        }
        for (key, _) in LoginLimiter::keys(login, ip) {
            map.entry(key).or_default().push(Instant::now());
        }
    }

    /// Forget the failures of a login after a success.
    pub fn succeed(&self, login: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("login:{login}"));
    }
}

/// Who is calling (调用者).
#[derive(Clone, Debug)]
pub struct Caller {
    /// The account.
    pub user: UserRow,
    /// Its role.
    pub role: Role,
    /// Signed in with an API token (not a cookie).
    pub via_token: bool,
}

impl Caller {
    /// The login, as written to the audit log.
    pub fn actor(&self) -> &str {
        &self.user.login
    }

    /// Refuse unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let zh: Vec<&str> = roles.iter().map(|r| r.zh()).collect();
            let en: Vec<&str> = roles.iter().map(|r| r.en()).collect();
            Err(ApiError::forbidden(
                format!(
                    "您的角色（{}）无权执行此操作；需要：{}",
                    self.role.zh(),
                    zh.join("、")
                ),
                format!(
                    "your role ({}) may not do this; needed: {}",
                    self.role.en(),
                    en.join(", ")
                ),
            ))
        }
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Whether a browser request comes from this same site: `Sec-Fetch-Site` (when sent) must be
/// `same-origin` or `none`, and `Origin` (when sent) must name the `Host`.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            let o = origin
                .trim_start_matches("http://")
                .trim_start_matches("https://");
            o == host
        }
        (Some(_), None) => false,
        _ => true,
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Resolve the caller from a bearer token or the session cookie; checks CSRF for
/// state-changing cookie requests.
pub async fn caller_from(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
) -> ApiResult<Option<Caller>> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let Some(token) = auth.strip_prefix("Bearer ") else {
            return Err(ApiError::unauthenticated());
        };
        let user = state
            .db
            .user_by_token(&sha256_hex(token.trim().as_bytes()))
            .await?;
        return match user {
            Some(u) => Ok(Some(to_caller(u, true)?)),
            None => Err(ApiError::unauthenticated()),
        };
    }
    let Some(sid) = cookie_value(headers, COOKIE) else {
        return Ok(None);
    };
    let Some((session, user)) = state.db.session_user(&sha256_hex(sid.as_bytes())).await? else {
        return Ok(None);
    };
    if session.expires_at <= state.clock.now() {
        return Ok(None);
    }
    if !is_safe(method) {
        let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if token != Some(session.csrf_token.as_str()) || !same_origin(headers) {
            return Err(ApiError::forbidden(
                "请求缺少有效的防伪令牌（CSRF），请刷新页面后重试",
                "missing or wrong CSRF token (or cross-site request); reload the page and retry",
            ));
        }
    }
    if !user.active {
        return Ok(None);
    }
    Ok(Some(to_caller(user, false)?))
}

fn to_caller(user: UserRow, via_token: bool) -> ApiResult<Caller> {
    let role = Role::from_label(&user.role).ok_or_else(|| {
        ApiError::internal(format!(
            "user {} has unknown role {}",
            user.login, user.role
        ))
    })?;
    Ok(Caller {
        user,
        role,
        via_token,
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Caller> {
        if let Some(c) = parts.extensions.get::<Caller>() {
            return Ok(c.clone());
        }
        caller_from(state, &parts.method, &parts.headers)
            .await?
            .ok_or_else(ApiError::unauthenticated)
    }
}

/// Sign-in request.
#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    /// 登录名.
    pub login: String,
    /// 密码.
    pub password: String,
}

/// What a signed-in user may know about themself.
#[derive(Debug, Serialize)]
pub struct Me {
    /// Account id.
    pub id: i64,
    /// Login.
    pub login: String,
    /// Role code.
    pub role: String,
    /// Role in Chinese.
    pub role_zh: String,
    /// Scope unit.
    pub scope_unit_id: Option<i64>,
    /// The person this account belongs to.
    pub person_id: Option<String>,
    /// CSRF token to send back in `X-CSRF-Token` (cookie sessions).
    pub csrf_token: Option<String>,
}

fn me(c: &Caller, csrf: Option<String>) -> Me {
    Me {
        id: c.user.id,
        login: c.user.login.clone(),
        role: c.role.code().to_string(),
        role_zh: c.role.zh().to_string(),
        scope_unit_id: c.user.scope_unit_id,
        person_id: c.user.person_id.clone(),
        csrf_token: csrf,
    }
}

/// The client's address from the socket (`X-Forwarded-For` is deliberately not trusted: the
/// server is not meant to sit behind an unknown proxy).
fn client_ip(ext: &axum::http::Extensions) -> String {
    ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Check a login and password (with the throttle); the account on success. Used by the API's
/// and the web pages' sign-in alike.
pub async fn check_credentials(
    state: &AppState,
    login: &str,
    password: &str,
    ip: &str,
) -> ApiResult<UserRow> {
    let login = login.trim().to_string();
    if let Some(wait) = state.limiter.blocked(&login, ip) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("登录失败次数过多，请 {} 分钟后再试", wait.div_ceil(60)),
            format!(
                "too many failed sign-ins; try again in {} minutes",
                wait.div_ceil(60)
            ),
        ));
    }
    let user = state.db.user_by_login(&login).await?;
    let hash = user
        .as_ref()
        .filter(|u| u.active)
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    match (ok, user) {
        (true, Some(u)) if u.active && u.password_hash.is_some() => {
            state.limiter.succeed(&login);
            Ok(u)
        }
        _ => {
            state.limiter.fail(&login, ip);
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "登录名或密码不正确",
                "wrong login or password",
            ))
        }
    }
}

/// Open a session for `user`: returns the `Set-Cookie` value and the session's CSRF token.
pub async fn start_session(state: &AppState, user: &UserRow) -> ApiResult<(HeaderValue, String)> {
    let sid = random_token();
    let csrf = random_token();
    let now = state.clock.now();
    state
        .db
        .create_session(&SessionRow {
            id_hash: sha256_hex(sid.as_bytes()),
            user_id: user.id,
            csrf_token: csrf.clone(),
            created_at: now,
            expires_at: now + Duration::hours(SESSION_HOURS),
        })
        .await?;
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE}={sid}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        SESSION_HOURS * 3600
    );
    Ok((
        HeaderValue::from_str(&cookie).map_err(ApiError::internal)?,
        csrf,
    ))
}

/// The caller of a cookie session and its CSRF token, without any CSRF check (for the web
/// pages, which check the token sent in their forms themselves).
pub async fn session_caller(
    state: &AppState,
    headers: &HeaderMap,
) -> ApiResult<Option<(Caller, String)>> {
    let Some(sid) = cookie_value(headers, COOKIE) else {
        return Ok(None);
    };
    let Some((session, user)) = state.db.session_user(&sha256_hex(sid.as_bytes())).await? else {
        return Ok(None);
    };
    if session.expires_at <= state.clock.now() {
        return Ok(None);
    }
    if !user.active {
        return Ok(None);
    }
    Ok(Some((to_caller(user, false)?, session.csrf_token)))
}

/// End the cookie session of a request, if any.
pub async fn end_session(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    if let Some(sid) = cookie_value(headers, COOKIE) {
        state.db.delete_session(&sha256_hex(sid.as_bytes())).await?;
    }
    Ok(())
}

/// A `Set-Cookie` value that clears the session cookie.
pub const CLEAR_COOKIE: &str = "kaohe_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";

/// Whether a request with a browser `Origin`/`Sec-Fetch-Site` comes from this site.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    same_origin(headers)
}

/// The client address of a request (from the socket).
pub fn peer(ext: &axum::http::Extensions) -> String {
    client_ip(ext)
}

/// `POST /api/login`.
pub async fn login(
    State(state): State<AppState>,
    ext: axum::http::Extensions,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Response> {
    let user = check_credentials(&state, &req.login, &req.password, &client_ip(&ext)).await?;
    let (cookie, csrf) = start_session(&state, &user).await?;
    let caller = to_caller(user, false)?;
    let mut resp = Json(me(&caller, Some(csrf))).into_response();
    resp.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(resp)
}

/// `POST /api/logout`.
pub async fn logout(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
) -> ApiResult<Response> {
    end_session(&state, &headers).await?;
    let mut resp = Json(json!({ "ok": true })).into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_static(CLEAR_COOKIE));
    Ok(resp)
}

/// `GET /api/me`.
pub async fn whoami(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> ApiResult<Json<Me>> {
    let csrf = match cookie_value(&headers, COOKIE) {
        Some(sid) if !caller.via_token => state
            .db
            .session_user(&sha256_hex(sid.as_bytes()))
            .await?
            .map(|(s, _)| s.csrf_token),
        _ => None,
    };
    Ok(Json(me(&caller, csrf)))
}
