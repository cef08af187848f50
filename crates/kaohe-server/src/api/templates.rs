//! Document templates (文书模板): the text of the warning letter (P8.9), the elimination notice
//! (P7.5), the written notice (P6.2) and the monthly summary (P2.6), edited by an admin.
//!
//! Who: the admin edits (saves, reverts); HQ HR reads (the list, a kind's history, previews)
//! because HR sends the letters, but does not change their wording — one accountable role
//! answers for the text of letters that carry labour-law consequences.
//!
//! A save names the version it started from (`expected_version`, 0 = the built-in default); a
//! stale one is 409 with the current template, and nothing is overwritten. Before anything is
//! stored the new text is checked (syntax, unknown variables, the labour-law guard of
//! `kaohe_docs::guard`) and rendered on the kind's sample data as PDF and as DOCX; any failure
//! is 400 naming the line where it can, and nothing is saved. Every version is kept
//! (`kaohe_store::templates`); a revert to the default is itself a new version. The letters of
//! [`crate::api::measures::letters`] use the current template of their kind and record its
//! version in the document's row and audit row.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kaohe_docs::{DocError, DocErrorKind, DocKind, Format};
use kaohe_process::role::Role;
use kaohe_store::TemplateVersion;
use serde::Deserialize;
use serde_json::{json, Value};

/// Who may change a template.
pub const EDITORS: &[Role] = &[Role::Admin];
/// Who may read templates and preview them.
pub const READERS: &[Role] = &[Role::Admin, Role::HqHr];

/// The kind named in a path, or 404.
pub fn parse_kind(code: &str) -> ApiResult<DocKind> {
    DocKind::parse(code).ok_or_else(|| {
        ApiError::not_found(
            &format!("文书类型“{code}”（可用：warning_letter、elimination_notice、written_notice、monthly_summary）"),
            &format!("document kind \"{code}\" (known: warning_letter, elimination_notice, written_notice, monthly_summary)"),
        )
    })
}

/// The template a document of `kind` is rendered with now: the admin's text (`None` = the
/// built-in default) and the stored version it comes from (`None` = never saved).
pub async fn current_for(
    state: &AppState,
    kind: DocKind,
) -> ApiResult<(Option<String>, Option<i64>)> {
    Ok(match state.db.current_template(kind.code()).await? {
        Some(t) if t.is_default => (None, Some(t.version)),
        Some(t) => (Some(t.text), Some(t.version)),
        None => (None, None),
    })
}

fn variables() -> Value {
    Value::Array(
        kaohe_docs::template_variables()
            .into_iter()
            .map(|(name, zh)| json!({ "name": name, "zh": zh }))
            .collect(),
    )
}

/// One kind as the API shows it: the current text (the built-in default's when the current
/// version is a revert or none is saved), its version (0 = never saved), whether it is the
/// default, who changed it when and why, and the variables a template may use.
pub fn item(kind: DocKind, current: Option<&TemplateVersion>) -> Value {
    let is_default = current.is_none_or(|t| t.is_default);
    let text = match current {
        Some(t) if !t.is_default => t.text.as_str(),
        _ => kaohe_docs::default_template(kind),
    };
    json!({
        "kind": kind.code(),
        "zh": kind.zh(),
        "en": kind.en(),
        "rule": kind.rule(),
        "text": text,
        "version": current.map_or(0, |t| t.version),
        "is_default": is_default,
        "updated_by": current.map(|t| t.updated_by.clone()),
        "updated_at": current.map(|t| t.updated_at),
        "reason": current.map(|t| t.reason.clone()),
        "variables": variables(),
    })
}

/// `GET /api/templates`: every kind with its current template.
pub async fn list(State(state): State<AppState>, c: Caller) -> ApiResult<Json<Value>> {
    c.require(READERS)?;
    let current = state.db.current_templates().await?;
    let items: Vec<Value> = DocKind::all()
        .into_iter()
        .map(|k| item(k, current.iter().find(|t| t.kind == k.code())))
        .collect();
    Ok(Json(Value::Array(items)))
}

/// `GET /api/templates/{kind}`: the kind's current template and every saved version, newest
/// first.
pub async fn get(
    State(state): State<AppState>,
    c: Caller,
    Path(kind): Path<String>,
) -> ApiResult<Json<Value>> {
    c.require(READERS)?;
    let kind = parse_kind(&kind)?;
    let history = state.db.template_history(kind.code()).await?;
    let mut v = item(kind, history.first());
    v["history"] = json!(history);
    Ok(Json(v))
}

/// Find the line of `text` that holds the termination wording the guard refused.
fn guard_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| kaohe_docs::guard::termination_wording(l).is_some())
        .map(|i| i + 1)
}

/// The line number in a documents-crate message ("第3行" / "at line 3"), if any.
fn message_line(e: &DocError) -> Option<usize> {
    let en = e.en();
    let at = en.find("at line ")?;
    en[at + 8..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
}

/// A refused template as a 400 that says nothing was saved and names the line when known.
fn refused(text: &str, e: &DocError) -> ApiError {
    let from_guard = e.zh().contains("解除劳动合同或劝退");
    let line = message_line(e).or_else(|| if from_guard { guard_line(text) } else { None });
    let (at_zh, at_en) = match (line, message_line(e)) {
        (Some(l), None) => (format!("（第{l}行）"), format!(" (line {l})")),
        _ => (String::new(), String::new()),
    };
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_template",
        format!("未保存：{}{at_zh}", e.zh()),
        format!("not saved: {}{at_en}", e.en()),
    )
    .with(json!({ "line": line }))
}

/// Check a template text before it is stored: syntax, unknown variables, the labour-law guard,
/// then a trial render of the kind's sample data as PDF and as DOCX. A failure is 400 (zh + en,
/// with the line when known).
pub async fn validate(kind: DocKind, text: &str) -> ApiResult<()> {
    let source = text.to_string();
    let outcome = tokio::task::spawn_blocking(move || -> Result<(), DocError> {
        kaohe_docs::check_template(kind, &source)?;
        let data = kaohe_docs::sample_data(kind);
        for format in [Format::Pdf, Format::Docx] {
            kaohe_docs::render(kind, format, &data, Some(&source))?;
        }
        Ok(())
    })
    .await
    .map_err(ApiError::internal)?;
    outcome.map_err(|e| refused(text, &e))
}

/// Render `text` (`None` = the built-in default) on the kind's sample data.
pub async fn render_sample(
    kind: DocKind,
    format: Format,
    text: Option<String>,
) -> ApiResult<Vec<u8>> {
    let out = tokio::task::spawn_blocking(move || {
        kaohe_docs::render(
            kind,
            format,
            &kaohe_docs::sample_data(kind),
            text.as_deref(),
        )
    })
    .await
    .map_err(ApiError::internal)?;
    out.map_err(|e| match e.kind() {
        DocErrorKind::Render => ApiError::internal(e),
        _ => ApiError::bad(e.zh().to_string(), e.en().to_string()),
    })
}

/// A stale save as 409 with the current template (nothing was written).
async fn stale(state: &AppState, kind: DocKind, expected: i64) -> ApiResult<ApiError> {
    let current = state.db.current_template(kind.code()).await?;
    let now = current.as_ref().map_or(0, |t| t.version);
    Ok(ApiError::conflict(
        format!("{}模板已被他人修改（您基于第 {expected} 版，当前为第 {now} 版），未保存任何内容；请在当前版本上重新修改", kind.zh()),
        format!("the {} template was changed by someone else (you started from version {expected}, it is now version {now}); nothing was saved: redo your change on the current version", kind.en()),
    )
    .with(json!({ "current": item(kind, current.as_ref()), "current_version": now })))
}

/// A save whose store call failed: a conflict becomes [`stale`], the rest as usual.
async fn store_error(
    state: &AppState,
    kind: DocKind,
    expected: i64,
    e: kaohe_store::Error,
) -> ApiError {
    match e {
        kaohe_store::Error::Conflict { .. } => match stale(state, kind, expected).await {
            Ok(e) | Err(e) => e,
        },
        other => other.into(),
    }
}

/// Save request.
#[derive(Debug, Deserialize)]
pub struct SaveRequest {
    /// The new template text.
    pub text: String,
    /// The version the edit started from (0 = the built-in default).
    pub expected_version: i64,
    /// Why (required; goes to the audit log).
    pub reason: String,
}

fn need_reason(reason: &str) -> ApiResult<()> {
    if reason.trim().is_empty() {
        return Err(ApiError::bad(
            "修改文书模板须说明理由",
            "a template change needs a reason",
        ));
    }
    Ok(())
}

/// `PUT /api/templates/{kind}` (admin): check, then store the text as the next version.
pub async fn save(
    State(state): State<AppState>,
    c: Caller,
    Path(kind): Path<String>,
    Json(req): Json<SaveRequest>,
) -> ApiResult<Json<Value>> {
    c.require(EDITORS)?;
    let kind = parse_kind(&kind)?;
    need_reason(&req.reason)?;
    if req.text.trim().is_empty() {
        return Err(ApiError::bad(
            "模板内容为空；如需使用默认模板，请选择“恢复默认”",
            "the template is empty; to use the default, revert to it",
        ));
    }
    // Refuse a stale edit before the (slow) trial render.
    let current = state.db.current_template(kind.code()).await?;
    if current.as_ref().map_or(0, |t| t.version) != req.expected_version {
        return Err(stale(&state, kind, req.expected_version).await?);
    }
    validate(kind, &req.text).await?;
    let row = state
        .db
        .save_template(
            kind.code(),
            &req.text,
            false,
            req.expected_version,
            &req.reason,
            c.actor(),
        )
        .await;
    match row {
        Ok(row) => Ok(Json(item(kind, Some(&row)))),
        Err(e) => Err(store_error(&state, kind, req.expected_version, e).await),
    }
}

/// Revert request.
#[derive(Debug, Deserialize)]
pub struct RevertRequest {
    /// The version the admin saw (0 = the built-in default).
    pub expected_version: i64,
    /// Why (required; goes to the audit log).
    pub reason: String,
}

/// `POST /api/templates/{kind}/revert` (admin): use the built-in default again, stored as a
/// new version (the versions before it stay).
pub async fn revert(
    State(state): State<AppState>,
    c: Caller,
    Path(kind): Path<String>,
    Json(req): Json<RevertRequest>,
) -> ApiResult<Json<Value>> {
    c.require(EDITORS)?;
    let kind = parse_kind(&kind)?;
    need_reason(&req.reason)?;
    let current = state.db.current_template(kind.code()).await?;
    if current.as_ref().map_or(0, |t| t.version) != req.expected_version {
        return Err(stale(&state, kind, req.expected_version).await?);
    }
    if current.as_ref().is_none_or(|t| t.is_default) {
        return Err(ApiError::bad(
            format!("{}已在使用默认模板，无需恢复", kind.zh()),
            format!("the {} already uses the default template", kind.en()),
        ));
    }
    let row = state
        .db
        .save_template(
            kind.code(),
            kaohe_docs::default_template(kind),
            true,
            req.expected_version,
            &req.reason,
            c.actor(),
        )
        .await;
    match row {
        Ok(row) => Ok(Json(item(kind, Some(&row)))),
        Err(e) => Err(store_error(&state, kind, req.expected_version, e).await),
    }
}

/// `?format=pdf|docx&version=N`.
#[derive(Debug, Default, Deserialize)]
pub struct PreviewQuery {
    /// `pdf` (default) or `docx`.
    #[serde(default)]
    pub format: Option<String>,
    /// A saved version to preview instead of the current one.
    #[serde(default)]
    pub version: Option<i64>,
}

fn parse_format(s: Option<&str>) -> ApiResult<Format> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Format::Pdf),
        Some(f) => Format::parse(f).ok_or_else(|| {
            ApiError::bad(
                format!("未知格式“{f}”（可用：pdf、docx）"),
                format!("unknown format \"{f}\" (use pdf or docx)"),
            )
        }),
    }
}

/// The bytes of a preview as a download.
pub fn preview_response(kind: DocKind, format: Format, bytes: Vec<u8>) -> Response {
    let ext = format.extension();
    (
        [
            (header::CONTENT_TYPE, format.mime().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}-preview.{ext}\"", kind.code()),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /api/templates/{kind}/preview?format=pdf|docx[&version=N]`: the current (or a saved)
/// template rendered on sample data.
pub async fn preview(
    State(state): State<AppState>,
    c: Caller,
    Path(kind): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> ApiResult<Response> {
    c.require(READERS)?;
    let kind = parse_kind(&kind)?;
    let format = parse_format(q.format.as_deref())?;
    let text = match q.version {
        Some(v) => {
            let t = state.db.template_version(kind.code(), v).await?;
            (!t.is_default).then_some(t.text)
        }
        None => current_for(&state, kind).await?.0,
    };
    let bytes = render_sample(kind, format, text).await?;
    Ok(preview_response(kind, format, bytes))
}

/// Preview of a text not saved yet.
#[derive(Debug, Deserialize)]
pub struct PreviewRequest {
    /// The template text.
    pub text: String,
    /// `pdf` (default) or `docx`.
    #[serde(default)]
    pub format: Option<String>,
}

/// `POST /api/templates/{kind}/preview` (admin): render a text on sample data without saving
/// it; a refused text is 400 as for a save.
pub async fn preview_text(
    State(_state): State<AppState>,
    c: Caller,
    Path(kind): Path<String>,
    Json(req): Json<PreviewRequest>,
) -> ApiResult<Response> {
    c.require(EDITORS)?;
    let kind = parse_kind(&kind)?;
    let format = parse_format(req.format.as_deref())?;
    let text = req.text.clone();
    let out = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, DocError> {
        kaohe_docs::check_template(kind, &text)?;
        kaohe_docs::render(kind, format, &kaohe_docs::sample_data(kind), Some(&text))
    })
    .await
    .map_err(ApiError::internal)?;
    match out {
        Ok(bytes) => Ok(preview_response(kind, format, bytes)),
        Err(e) => {
            let mut err = refused(&req.text, &e);
            err.zh = err.zh.replacen("未保存：", "无法预览：", 1);
            err.en = err.en.replacen("not saved: ", "cannot be previewed: ", 1);
            Err(err)
        }
    }
}
