//! Reading results (结果查看): the ranking of a period for those whose scope covers it, one
//! person's result with its explanation to the rule, and the publication (公示).
//!
//! Decision: the 公示 an employee sees lists their own group's ranks, names and line
//! positions, never another person's score or indicators ("an employee cannot read another's
//! score"); managers in scope see the scores too.

use crate::api::periods::{is_published, parse_state};
use crate::auth::Caller;
use crate::compute::{self, Member};
use crate::error::{ApiError, ApiResult};
use crate::scope::{self, member_visible, visible_period, Scope};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kaohe_engine::PeriodResult;
use kaohe_process::role::Role;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

/// Roles that read whole rankings in their scope.
pub const READERS: &[Role] = &[
    Role::Admin,
    Role::HqHr,
    Role::GmOffice,
    Role::RegionalHead,
    Role::BranchHead,
    Role::DepartmentHead,
    Role::SalesManager,
];

async fn computed(
    state: &AppState,
    period_id: i64,
) -> ApiResult<(kaohe_store::RunRow, PeriodResult)> {
    compute::effective_result(state, period_id)
        .await?
        .ok_or_else(|| ApiError::not_found("计算结果（尚未计算）", "result (not computed yet)"))
}

/// Keep only the people (and their groups, ties and data errors) the caller may see.
fn filter(mut r: PeriodResult, visible: &HashSet<String>) -> PeriodResult {
    r.people.retain(|p| visible.contains(&p.id));
    let groups: HashSet<String> = r.people.iter().map(|p| p.group.clone()).collect();
    r.groups.retain(|g| groups.contains(&g.key));
    r.ties.retain(|t| groups.contains(&t.group));
    r.data_errors.retain(|e| visible.contains(&e.person));
    r
}

/// Ids of the members the caller may see in full.
fn visible_ids(members: &[Member], s: &Scope, c: &Caller) -> HashSet<String> {
    members
        .iter()
        .filter(|m| member_visible(s, c, m))
        .map(|m| m.person.id.clone())
        .collect()
}

/// `?view=`: `full` (default) for the whole result with every explanation, `ranking` for the
/// ranking without the texts (see [`kaohe_export::ranking`]).
#[derive(Debug, Deserialize, Default)]
pub struct ViewQuery {
    /// `full` or `ranking`.
    #[serde(default)]
    pub view: Option<String>,
}

/// `GET /api/periods/{id}/results[?view=ranking]`: the ranking, limited to the caller's scope.
/// When the caller's scope covers the whole period (the usual case: HR, the branch head of the
/// branch) the stored result (or its ranking view, made once per run) is sent as it is, without
/// parsing or serialising it again.
pub async fn results(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Query(q): Query<ViewQuery>,
) -> ApiResult<Response> {
    c.require(READERS)?;
    let lean = match q.view.as_deref() {
        None | Some("full") => false,
        Some("ranking") => true,
        Some(other) => {
            return Err(ApiError::bad(
                format!("view 参数只能是 full（完整结果）或 ranking（排名），收到“{other}”"),
                format!("view must be full or ranking, got \"{other}\""),
            ))
        }
    };
    let (p, run, partial) = scope::visible_period_run(&state, &c, id).await?;
    let cached = match run {
        Some(run) => compute::run_by_id(&state, run).await?,
        None => {
            return Err(ApiError::not_found(
                "计算结果（尚未计算）",
                "result (not computed yet)",
            ))
        }
    };
    let period = serde_json::to_string(&p).map_err(ApiError::internal)?;
    let at = serde_json::to_string(&cached.run.created_at).map_err(ApiError::internal)?;
    let filtered;
    let result: &str = if let Some(s) = partial {
        let members = compute::members(&state, id).await?;
        let r = filter(cached.result.clone(), &visible_ids(&members, &s, &c));
        filtered = if lean {
            serde_json::to_string(&kaohe_export::ranking::view(&r))
        } else {
            serde_json::to_string(&r)
        }
        .map_err(ApiError::internal)?;
        &filtered
    } else if lean {
        &cached.ranking_json
    } else {
        &cached.json
    };
    let head = format!(
        "{{\"period\":{period},\"run_id\":{},\"computed_at\":{at},\"result\":",
        cached.run.id
    );
    let mut body = String::with_capacity(head.len() + result.len() + 1);
    body.push_str(&head);
    body.push_str(result);
    body.push('}');
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `?lang=en`.
#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    /// `zh` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

/// `GET /api/periods/{id}/people/{person}`: one person's result with its explanation, their
/// signatures, appeals and documents. The person themself sees it once it is published.
pub async fn person(
    State(state): State<AppState>,
    c: Caller,
    Path((id, person)): Path<(i64, String)>,
    Query(q): Query<LangQuery>,
) -> ApiResult<Json<Value>> {
    let p = visible_period(&state, &c, id).await?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, id).await?;
    let m = members
        .iter()
        .find(|m| m.person.id == person)
        .filter(|m| member_visible(&s, &c, m))
        .ok_or_else(|| ApiError::not_found("该人员", "person"))?;
    let own = c.user.person_id.as_deref() == Some(m.person.id.as_str());
    if own && !s.covers(m.unit_id) && !is_published(parse_state(&p.state)?) {
        return Err(ApiError::not_found("已公示的结果", "published result"));
    }
    let (run, r) = computed(&state, id).await?;
    let (_, policy) = compute::policy(&state, p.policy_version_id).await?;
    let lang = if q.lang.as_deref() == Some("en") {
        kaohe_export::Lang::En
    } else {
        kaohe_export::Lang::Zh
    };
    let explanation = kaohe_export::person(&policy, &r, &person, lang);
    let result = r.people.iter().find(|x| x.id == person);
    let group = result.and_then(|x| r.groups.iter().find(|g| g.key == x.group));
    let signatures: Vec<_> = state
        .db
        .signatures(id)
        .await?
        .into_iter()
        .filter(|x| x.person_id == person)
        .collect();
    let appeals: Vec<_> = state
        .db
        .appeals(id)
        .await?
        .into_iter()
        .filter(|x| x.person_id == person)
        .collect();
    let documents = state.db.documents(Some(id), Some(&person)).await?;
    Ok(Json(json!({
        "period": p,
        "run_id": run.id,
        "person": m.person,
        "result": result,
        "group": group,
        "explanation": explanation,
        "signatures": signatures,
        "appeals": appeals,
        "documents": documents,
    })))
}

/// `GET /api/periods/{id}/publication`: the 公示. Managers in scope see every group they cover
/// with scores; an employee sees their own group's ranks, names and line positions only.
pub async fn publication(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let p = visible_period(&state, &c, id).await?;
    if !is_published(parse_state(&p.state)?) {
        return Err(ApiError::not_found(
            "公示（尚未公示）",
            "publication (not published yet)",
        ));
    }
    let (_, r) = computed(&state, id).await?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, id).await?;
    let with_scores = READERS.contains(&c.role);
    let groups: HashSet<String> = if with_scores {
        let ids = visible_ids(&members, &s, &c);
        r.people
            .iter()
            .filter(|x| ids.contains(&x.id))
            .map(|x| x.group.clone())
            .collect()
    } else {
        let me = c.user.person_id.clone().unwrap_or_default();
        r.people
            .iter()
            .filter(|x| x.id == me)
            .map(|x| x.group.clone())
            .collect()
    };
    let visible = visible_ids(&members, &s, &c);
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for x in r.people.iter().filter(|x| groups.contains(&x.group)) {
        if with_scores && !visible.contains(&x.id) {
            continue;
        }
        let mut row = json!({
            "id": x.id, "name": x.name, "rank": x.rank, "group_size": x.group_size,
            "status": x.status, "line": x.line,
        });
        if with_scores {
            row["score"] = json!(x.score);
            row["grade"] = json!(x.grade);
        }
        out.entry(x.group.clone()).or_default().push(row);
    }
    let published_on = crate::api::periods::published_on(&state, id).await?;
    let d = crate::api::periods::deadlines(&state, &p).await?;
    Ok(Json(json!({
        "period": p.label,
        "published_on": published_on,
        "appeal_until": d.appeal_until,
        "groups": out,
    })))
}

/// `GET /api/periods/{id}/export.xlsx`: the score sheet in the seed's layout (P2.5), limited
/// to the caller's scope.
pub async fn export_xlsx(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    c.require(READERS)?;
    let p = visible_period(&state, &c, id).await?;
    let (_, r) = computed(&state, id).await?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, id).await?;
    let r = filter(r, &visible_ids(&members, &s, &c));
    let (_, policy) = compute::policy(&state, p.policy_version_id).await?;
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let dir = tempfile_dir()?;
        let path = dir.join("export.xlsx");
        kaohe_export::xlsx(&policy, std::slice::from_ref(&r), &path).map_err(|e| e.to_string())?;
        let b = std::fs::read(&path).map_err(|e| e.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        b
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let name = format!("attachment; filename=\"kaohe-{}.xlsx\"", p.label);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

/// A private temporary folder for one export.
fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("kaohe-export-{}", crate::auth::random_token()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// `GET /api/periods/{id}/runs`: every computed run of the period, oldest first, and the
/// amendments with their reasons — the original stays visible after a correction.
pub async fn runs(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    c.require(READERS)?;
    visible_period(&state, &c, id).await?;
    let runs: Vec<Value> = state
        .db
        .runs(id)
        .await?
        .into_iter()
        .map(|r| {
            json!({
                "id": r.id, "created_at": r.created_at, "created_by": r.created_by,
                "inputs_hash": r.inputs_hash, "policy_version_id": r.policy_version_id,
            })
        })
        .collect();
    let amendments = state.db.amendments(id).await?;
    Ok(Json(json!({ "runs": runs, "amendments": amendments })))
}

/// `GET /api/periods/{id}/runs/{run}`: an earlier run's result, limited to the caller's scope.
pub async fn run(
    State(state): State<AppState>,
    c: Caller,
    Path((id, run_id)): Path<(i64, i64)>,
) -> ApiResult<Json<Value>> {
    c.require(READERS)?;
    let p = visible_period(&state, &c, id).await?;
    let run = match state.db.run(run_id).await {
        Ok(r) if r.period_id == p.id => r,
        _ => return Err(ApiError::not_found("计算结果", "run")),
    };
    let r: PeriodResult = serde_json::from_str(&run.result_json).map_err(ApiError::internal)?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, id).await?;
    let r = filter(r, &visible_ids(&members, &s, &c));
    Ok(Json(
        json!({ "run_id": run.id, "computed_at": run.created_at, "created_by": run.created_by, "result": r }),
    ))
}
