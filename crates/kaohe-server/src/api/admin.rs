//! Administration (管理): accounts and API tokens, the organisation tree, policy versions and
//! their acknowledgements (Art. 4, P4.3), the working-day calendar, the audit log and its
//! verification, and the test clock of a test server.

use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::scope;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use kaohe_process::calendar::YearData;
use kaohe_process::role::Role;
use kaohe_store::{NewUser, UnitKind};
use serde::Deserialize;
use serde_json::{json, Value};

/// New account.
#[derive(Debug, Deserialize)]
pub struct UserRequest {
    /// Login name.
    pub login: String,
    /// Password (at least 8 characters).
    pub password: String,
    /// Role code (`admin`, `hq_hr`, `gm_office`, `regional_head`, `branch_head`,
    /// `department_head`, `sales_manager`, `rater`, `employee`) or its Chinese name.
    pub role: String,
    /// Organisation scope (the subtree the account works in).
    #[serde(default)]
    pub scope_unit_id: Option<i64>,
    /// 工号 of the person the account belongs to.
    #[serde(default)]
    pub person_id: Option<String>,
}

/// `POST /api/users` (admin).
pub async fn create_user(
    State(state): State<AppState>,
    c: Caller,
    Json(req): Json<UserRequest>,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin])?;
    let role = Role::from_label(&req.role).ok_or_else(|| {
        ApiError::bad(
            format!("未知角色“{}”", req.role),
            format!("unknown role \"{}\"", req.role),
        )
    })?;
    auth::check_password_policy(&req.password)?;
    if let Some(u) = req.scope_unit_id {
        state.db.unit(u).await?;
    }
    if role == Role::Employee && req.person_id.is_none() {
        return Err(ApiError::bad(
            "员工账号须关联工号",
            "an employee account needs a person_id",
        ));
    }
    if let Some(pid) = &req.person_id {
        if state.db.person(pid).await?.is_none() {
            return Err(ApiError::bad(
                format!("工号 {pid} 尚无记录，请先导入包含此人的花名册"),
                format!("no person {pid} on record; import a roster with them first"),
            ));
        }
    }
    let pw = req.password.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&pw))
        .await
        .map_err(ApiError::internal)??;
    let row = state
        .db
        .create_user(
            &NewUser {
                login: req.login.trim().to_string(),
                password_hash: Some(hash),
                role: role.code().to_string(),
                scope_unit_id: req.scope_unit_id,
                person_id: req.person_id.clone(),
            },
            c.actor(),
        )
        .await?;
    Ok(Json(
        json!({ "id": row.id, "login": row.login, "role": row.role }),
    ))
}

/// `GET /api/users` (admin).
pub async fn list_users(State(state): State<AppState>, c: Caller) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin])?;
    let users: Vec<Value> = state
        .db
        .users()
        .await?
        .into_iter()
        .map(|u| json!({ "id": u.id, "login": u.login, "role": u.role, "scope_unit_id": u.scope_unit_id, "person_id": u.person_id, "active": u.active }))
        .collect();
    Ok(Json(json!(users)))
}

/// Token request.
#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    /// What the token is for.
    pub label: String,
}

/// `POST /api/tokens`: an API token for the caller's own account, shown once.
pub async fn create_token(
    State(state): State<AppState>,
    c: Caller,
    Json(req): Json<TokenRequest>,
) -> ApiResult<Json<Value>> {
    let token = auth::random_token();
    let row = state
        .db
        .create_token(
            c.user.id,
            &auth::sha256_hex(token.as_bytes()),
            req.label.trim(),
            c.actor(),
        )
        .await?;
    Ok(Json(
        json!({ "id": row.id, "token": token, "label": row.label }),
    ))
}

/// Unit request.
#[derive(Debug, Deserialize)]
pub struct UnitRequest {
    /// Parent (none for the group).
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// `group`, `region`, `branch`, `department` or `project`.
    pub kind: String,
    /// Name.
    pub name: String,
}

/// `POST /api/org/units` (admin, HQ HR).
pub async fn create_unit(
    State(state): State<AppState>,
    c: Caller,
    Json(req): Json<UnitRequest>,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin, Role::HqHr])?;
    let kind = UnitKind::parse(&req.kind).ok_or_else(|| {
        ApiError::bad(
            format!(
                "组织类型“{}”无效，应为 group/region/branch/department/project",
                req.kind
            ),
            format!(
                "unit kind \"{}\" is not one of group/region/branch/department/project",
                req.kind
            ),
        )
    })?;
    let u = state
        .db
        .add_unit(req.parent_id, kind, req.name.trim(), c.actor())
        .await?;
    Ok(Json(json!(u)))
}

/// `GET /api/org/units`: the units in the caller's scope.
pub async fn list_units(State(state): State<AppState>, c: Caller) -> ApiResult<Json<Value>> {
    let s = scope::scope(&state, &c).await?;
    let units: Vec<_> = state
        .db
        .units()
        .await?
        .into_iter()
        .filter(|u| s.covers(u.id))
        .collect();
    Ok(Json(json!(units)))
}

/// `POST /api/policies?version=…`: store a policy file (TOML) after validating it; every
/// problem is answered with its line and column.
pub async fn upload_policy(
    State(state): State<AppState>,
    c: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin, Role::HqHr])?;
    let text = String::from_utf8(body.to_vec()).map_err(|_| {
        ApiError::bad(
            "制度文件须为 UTF-8 文本",
            "the policy file must be UTF-8 text",
        )
    })?;
    let policy = kaohe_policy::load_str(&text, "policy.toml").map_err(|errs| {
        let list: Vec<Value> = errs
            .iter()
            .map(|e| json!({ "message": e.to_string(), "hint": e.hint }))
            .collect();
        ApiError::bad(
            format!("制度文件有 {} 处问题，未保存", errs.len()),
            format!("the policy file has {} problem(s); not stored", errs.len()),
        )
        .with(json!({ "problems": list }))
    })?;
    // The approval chain must say who acts at each step before anything is stored (P4.11, P7.4).
    kaohe_process::role::policy_chain(&policy.process)
        .map_err(|e| ApiError::bad(e.zh(), e.en()))?;
    let (v, new) = state
        .db
        .store_policy(
            &policy.policy.id,
            &policy.policy.version,
            &text,
            policy.policy.adopted,
            policy.policy.published,
            c.actor(),
        )
        .await?;
    Ok(Json(
        json!({ "id": v.id, "policy_id": v.policy_id, "version": v.version, "new": new }),
    ))
}

/// `GET /api/policies`: every stored version (without the text).
pub async fn list_policies(State(state): State<AppState>, _c: Caller) -> ApiResult<Json<Value>> {
    let list: Vec<Value> = state
        .db
        .all_policy_versions()
        .await?
        .into_iter()
        .map(|v| json!({ "id": v.id, "policy_id": v.policy_id, "version": v.version, "hash": v.hash, "adopted": v.adopted, "published": v.published }))
        .collect();
    Ok(Json(json!(list)))
}

/// `GET /api/policies/{id}`: one version, its text and its plain-language explanation.
pub async fn get_policy(
    State(state): State<AppState>,
    _c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (v, p) = crate::compute::policy(&state, id).await?;
    Ok(Json(json!({
        "id": v.id, "policy_id": v.policy_id, "version": v.version, "toml": v.toml,
        "explain_zh": kaohe_policy::explain::render(&p, kaohe_policy::explain::Lang::Zh),
    })))
}

/// Acknowledgement request.
#[derive(Debug, Deserialize)]
pub struct AckRequest {
    /// 工号; default the caller's own person.
    #[serde(default)]
    pub person: Option<String>,
    /// How: `online` (the person, here) or `paper` (HR records a signed paper copy).
    #[serde(default)]
    pub method: Option<String>,
}

/// `POST /api/policies/{id}/acknowledgements`: the person confirms they received the policy
/// version (Art. 4, P4.3); HR may record a paper confirmation for someone in scope.
pub async fn acknowledge(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<AckRequest>,
) -> ApiResult<Json<Value>> {
    state.db.policy_version(id).await?;
    let own = c.user.person_id.clone();
    let (person, method) = match (&req.person, &own) {
        (None, Some(me)) => (me.clone(), "online".to_string()),
        (Some(p), Some(me)) if p == me => (me.clone(), "online".to_string()),
        (Some(p), _) => {
            c.require(&[Role::Admin, Role::HqHr, Role::BranchHead])?;
            let s = scope::scope(&state, &c).await?;
            if !state
                .db
                .person_history(p)
                .await?
                .iter()
                .any(|h| s.covers(h.unit_id))
            {
                return Err(ApiError::not_found("该人员", "person"));
            }
            (
                p.clone(),
                req.method.clone().unwrap_or_else(|| "paper".into()),
            )
        }
        (None, None) => {
            return Err(ApiError::bad("请指定工号", "name the person (person)"));
        }
    };
    Ok(Json(json!(
        state
            .db
            .acknowledge(id, &person, &method, c.actor())
            .await?
    )))
}

/// `GET /api/policies/{id}/acknowledgements` (HR).
pub async fn acknowledgements(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin, Role::HqHr, Role::BranchHead])?;
    Ok(Json(json!(state.db.acknowledgements(id).await?)))
}

/// `GET /api/calendar`: the years the working-day calendar knows.
pub async fn calendar(State(state): State<AppState>, _c: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "years": state.calendar().years() })))
}

/// `POST /api/calendar`: an admin adds (or replaces) a year, in the shipped TOML format, after
/// the State Council publishes it.
pub async fn add_calendar_year(
    State(state): State<AppState>,
    c: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin])?;
    let text = String::from_utf8(body.to_vec()).map_err(|_| {
        ApiError::bad(
            "日历文件须为 UTF-8 文本",
            "the calendar file must be UTF-8 text",
        )
    })?;
    let year = YearData::parse("calendar.toml", &text).map_err(|e| {
        let (zh, en) = crate::error::split_bilingual(&e.to_string());
        ApiError::bad(zh, en)
    })?;
    state
        .db
        .add_calendar_year(year.year, &text, c.actor())
        .await?;
    let mut cal = state.calendar.write().unwrap_or_else(|p| p.into_inner());
    *cal = cal.clone().with_year(year.clone());
    Ok(Json(json!({ "year": year.year, "years": cal.years() })))
}

/// `?after=&limit=`.
#[derive(Debug, Deserialize)]
pub struct Page {
    /// Last sequence number seen.
    #[serde(default)]
    pub after: i64,
    /// Rows (at most 1000).
    #[serde(default)]
    pub limit: Option<i64>,
}

/// `GET /api/audit` (admin, HQ HR).
pub async fn audit(
    State(state): State<AppState>,
    c: Caller,
    Query(q): Query<Page>,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin, Role::HqHr])?;
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    Ok(Json(json!(state.db.audit_rows(q.after, limit).await?)))
}

/// `GET /api/audit/verify` (admin): checks the hash chain; names any edited or missing row.
pub async fn audit_verify(State(state): State<AppState>, c: Caller) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin])?;
    let r = state.db.verify_audit().await?;
    Ok(Json(json!({ "ok": r.ok(), "report": r })))
}

/// How far one request may move the test clock, in days, either way.
pub const MAX_CLOCK_DAYS: i64 = 3_660;

/// Clock request.
#[derive(Debug, Deserialize)]
pub struct ClockRequest {
    /// Days to move forward.
    pub days: i64,
}

/// `POST /api/test/clock` (admin, test servers only): move the clock forward.
pub async fn advance_clock(
    State(state): State<AppState>,
    c: Caller,
    Json(req): Json<ClockRequest>,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin])?;
    if !state.config.test_clock {
        return Err(ApiError::not_found("接口", "endpoint"));
    }
    // Bounded, so that neither the offset nor the clock can overflow (a decade either way is
    // more than any cycle needs).
    if !(-MAX_CLOCK_DAYS..=MAX_CLOCK_DAYS).contains(&req.days) {
        return Err(ApiError::bad(
            format!(
                "时钟移动天数 {} 超出范围，应在 -{MAX_CLOCK_DAYS} 到 {MAX_CLOCK_DAYS} 之间",
                req.days
            ),
            format!(
                "{} days is out of range: move the clock by -{MAX_CLOCK_DAYS} to {MAX_CLOCK_DAYS} days",
                req.days
            ),
        ));
    }
    if !state.clock.try_advance(req.days * 86_400) {
        return Err(ApiError::bad(
            "时钟已移动过远，请重启测试服务器",
            "the clock has been moved too far; restart the test server",
        ));
    }
    Ok(Json(
        json!({ "now": state.clock.now(), "china_now": state.clock.china_now() }),
    ))
}
