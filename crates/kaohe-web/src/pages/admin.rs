//! The document templates pages (文书模板): `/admin/templates` lists the four kinds of document
//! (警告函 P8.9, 末位淘汰通知书 P7.5, 书面通知 P6.2, 月度考核汇总 P2.6) with the template each
//! uses now (the default, or version N by whom and when); `/admin/templates/{kind}` is the
//! editor — the text, the variables a template may use, a reason, save, previews (PDF/DOCX
//! of the saved template or of the typed text, on sample data), revert to the default and
//! every saved version.
//!
//! The admin edits; HQ HR reads (`kaohe_server::api::templates::READERS`). Saving goes through
//! the API's handler: the text is checked and trial-rendered as PDF and DOCX first, a refused
//! text or a stale version shows the error in words and keeps the typed text, and nothing is
//! saved. Every form carries the session's CSRF token.

use crate::ctx::{render, Frame, Lang, OrPage, PageError, PageResult, Web};
use crate::pages::import::Problem;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use kaohe_docs::DocKind;
use kaohe_server::api::templates::{self, PreviewRequest, RevertRequest, SaveRequest};
use kaohe_server::error::ApiError;
use kaohe_server::AppState;
use kaohe_store::TemplateVersion;
use serde::Deserialize;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/templates", get(list))
        .route("/admin/templates/{kind}", get(edit).post(save))
        .route("/admin/templates/{kind}/revert", post(revert))
        .route("/admin/templates/{kind}/preview", post(preview))
        .layer(DefaultBodyLimit::max(1 << 20))
}

/// One kind on the list page.
pub struct KindItem {
    /// Code used in URLs.
    pub code: &'static str,
    /// Name in the page's language.
    pub name: &'static str,
    /// The rule it implements (P8.9 …).
    pub rule: &'static str,
    /// Which template it uses now, in words.
    pub status: String,
    /// Whether that is the built-in default.
    pub is_default: bool,
}

#[derive(Template)]
#[template(path = "admin_templates.html")]
struct ListPage {
    frame: Frame,
    kinds: Vec<KindItem>,
}

fn name(kind: DocKind, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => kind.zh(),
        Lang::En => kind.en(),
    }
}

/// "默认模板" or "第 N 版 · admin · 2025-04-02 10:30".
fn status(current: Option<&TemplateVersion>, lang: Lang) -> String {
    match current {
        None => match lang {
            Lang::Zh => "默认模板".into(),
            Lang::En => "default template".into(),
        },
        Some(t) => {
            let (v, by) = match lang {
                Lang::Zh => (format!("第 {} 版", t.version), "修改人"),
                Lang::En => (format!("version {}", t.version), "by"),
            };
            let default = if t.is_default {
                match lang {
                    Lang::Zh => "（恢复为默认）",
                    Lang::En => " (reverted to the default)",
                }
            } else {
                ""
            };
            format!(
                "{v}{default} · {by} {} · {}",
                t.updated_by,
                crate::ctx::time_text(t.updated_at, lang)
            )
        }
    }
}

fn readers_only(web: &Web) -> Result<(), PageError> {
    web.caller.require(templates::READERS).page(web.lang)
}

fn may_edit(web: &Web) -> bool {
    templates::EDITORS.contains(&web.caller.role)
}

async fn list(State(state): State<AppState>, web: Web) -> PageResult {
    readers_only(&web)?;
    let lang = web.lang;
    let current = state
        .db
        .current_templates()
        .await
        .map_err(ApiError::from)
        .page(lang)?;
    let kinds = DocKind::all()
        .into_iter()
        .map(|k| {
            let c = current.iter().find(|t| t.kind == k.code());
            KindItem {
                code: k.code(),
                name: name(k, lang),
                rule: k.rule(),
                status: status(c, lang),
                is_default: c.is_none_or(|t| t.is_default),
            }
        })
        .collect();
    Ok(render(&ListPage {
        frame: web.frame("文书模板", "Document templates"),
        kinds,
    }))
}

/// A variable a template may use.
pub struct Variable {
    /// `person.name` …
    pub name: String,
    /// 中文说明.
    pub zh: &'static str,
}

/// One saved version.
pub struct HistoryItem {
    /// Version number.
    pub version: i64,
    /// Whether it reverted to the default.
    pub is_default: bool,
    /// Who.
    pub by: String,
    /// When, in words.
    pub at: String,
    /// Why.
    pub reason: String,
}

#[derive(Template)]
#[template(path = "admin_template.html")]
struct EditPage {
    frame: Frame,
    code: &'static str,
    name: &'static str,
    rule: &'static str,
    status: String,
    is_default: bool,
    version: i64,
    text: String,
    reason: String,
    may_edit: bool,
    variables: Vec<Variable>,
    history: Vec<HistoryItem>,
    problem: Option<Problem>,
    /// On a conflict: the current text someone else saved.
    current_text: Option<String>,
    notice: Option<String>,
}

/// What a refused form brings back to the editor.
struct Refused {
    status: StatusCode,
    problem: Problem,
    text: String,
    reason: String,
    /// Version to base the next save on (the current one after a conflict).
    version: Option<i64>,
    current_text: Option<String>,
}

fn kind_of(code: &str, lang: Lang) -> Result<DocKind, PageError> {
    templates::parse_kind(code).page(lang)
}

async fn edit_page(
    state: &AppState,
    web: &Web,
    kind: DocKind,
    refused: Option<Refused>,
    notice: Option<String>,
) -> PageResult {
    readers_only(web)?;
    let lang = web.lang;
    let history = state
        .db
        .template_history(kind.code())
        .await
        .map_err(ApiError::from)
        .page(lang)?;
    let current = history.first();
    let item = templates::item(kind, current);
    let saved_text = item["text"].as_str().unwrap_or_default().to_string();
    let saved_version = current.map_or(0, |t| t.version);
    let mut page = EditPage {
        frame: web.frame("文书模板", "Document template"),
        code: kind.code(),
        name: name(kind, lang),
        rule: kind.rule(),
        status: status(current, lang),
        is_default: current.is_none_or(|t| t.is_default),
        version: saved_version,
        text: saved_text,
        reason: String::new(),
        may_edit: may_edit(web),
        variables: kaohe_docs::template_variables()
            .into_iter()
            .map(|(name, zh)| Variable { name, zh })
            .collect(),
        history: history
            .iter()
            .map(|t| HistoryItem {
                version: t.version,
                is_default: t.is_default,
                by: t.updated_by.clone(),
                at: crate::ctx::time_text(t.updated_at, lang),
                reason: t.reason.clone(),
            })
            .collect(),
        problem: None,
        current_text: None,
        notice,
    };
    let mut code = StatusCode::OK;
    if let Some(r) = refused {
        code = r.status;
        page.problem = Some(r.problem);
        page.text = r.text;
        page.reason = r.reason;
        page.current_text = r.current_text;
        if let Some(v) = r.version {
            page.version = v;
        }
    }
    let mut resp = render(&page);
    if resp.status() == StatusCode::OK {
        *resp.status_mut() = code;
    }
    Ok(resp)
}

/// `?saved=N` / `?reverted=N` after a successful form.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    /// The version just saved.
    #[serde(default)]
    pub saved: Option<i64>,
    /// The version that reverted to the default.
    #[serde(default)]
    pub reverted: Option<i64>,
}

async fn edit(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(done): Query<Done>,
) -> PageResult {
    let kind = kind_of(&code, web.lang)?;
    let notice = match (done.saved, done.reverted) {
        (Some(v), _) => Some(match web.lang {
            Lang::Zh => format!("已保存为第 {v} 版。之后生成的文书使用此版本。"),
            Lang::En => format!("Saved as version {v}. Documents generated from now on use it."),
        }),
        (None, Some(v)) => Some(match web.lang {
            Lang::Zh => format!("已恢复默认模板（第 {v} 版）。以前的版本仍保留在下方。"),
            Lang::En => format!(
                "Reverted to the default template (version {v}). The earlier versions stay below."
            ),
        }),
        _ => None,
    };
    edit_page(&state, &web, kind, None, notice).await
}

/// The editor's form.
#[derive(Debug, Deserialize)]
pub struct SaveForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// The template text.
    #[serde(default)]
    pub text: String,
    /// The version the page showed.
    #[serde(default)]
    pub expected_version: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// For a preview: `pdf` or `docx`.
    #[serde(default)]
    pub format: Option<String>,
}

fn parse_version(s: &str, lang: Lang) -> Result<i64, PageError> {
    s.trim().parse::<i64>().map_err(|_| {
        PageError::from_api(
            ApiError::bad(
                "页面缺少模板版本号，请刷新后重试",
                "the page has no template version; reload and retry",
            ),
            lang,
        )
    })
}

/// A refused save or revert, back to the editor with the typed text.
fn refused(e: &ApiError, lang: Lang, text: String, reason: String) -> Refused {
    let mut problem = Problem::from_api(e, lang);
    let conflict = e.status == StatusCode::CONFLICT;
    let current = e.extra.as_ref().map(|x| &x["current"]);
    let version = current
        .and_then(|c| c["version"].as_i64())
        .filter(|_| conflict);
    let current_text = current
        .and_then(|c| c["text"].as_str())
        .filter(|_| conflict)
        .map(str::to_string);
    if let Some(v) = version {
        problem.details.push(match lang {
            Lang::Zh => format!(
                "您填写的内容仍在编辑框中；他人保存的第 {v} 版见下方。确认后再次保存，将以您的内容作为第 {} 版。",
                v + 1
            ),
            Lang::En => format!(
                "Your text is still in the editor; version {v}, saved by someone else, is shown below. Saving again makes your text version {}.",
                v + 1
            ),
        });
    }
    Refused {
        status: e.status,
        problem,
        text,
        reason,
        version,
        current_text,
    }
}

async fn save(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<SaveForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    let kind = kind_of(&code, lang)?;
    let expected_version = parse_version(&f.expected_version, lang)?;
    let req = SaveRequest {
        text: f.text.replace("\r\n", "\n"),
        expected_version,
        reason: f.reason.clone(),
    };
    let text = req.text.clone();
    match templates::save(
        State(state.clone()),
        web.caller.clone(),
        Path(code),
        Json(req),
    )
    .await
    {
        Ok(Json(v)) => Ok(Redirect::to(&format!(
            "/admin/templates/{}?saved={}",
            kind.code(),
            v["version"].as_i64().unwrap_or_default()
        ))
        .into_response()),
        Err(e) if e.status == StatusCode::FORBIDDEN => Err(PageError::from_api(e, lang)),
        Err(e) => {
            let r = refused(&e, lang, text, f.reason);
            edit_page(&state, &web, kind, Some(r), None).await
        }
    }
}

/// The revert form.
#[derive(Debug, Deserialize)]
pub struct RevertForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// The version the page showed.
    #[serde(default)]
    pub expected_version: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

async fn revert(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<RevertForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    let kind = kind_of(&code, lang)?;
    let expected_version = parse_version(&f.expected_version, lang)?;
    let req = RevertRequest {
        expected_version,
        reason: f.reason.clone(),
    };
    match templates::revert(
        State(state.clone()),
        web.caller.clone(),
        Path(code),
        Json(req),
    )
    .await
    {
        Ok(Json(v)) => Ok(Redirect::to(&format!(
            "/admin/templates/{}?reverted={}",
            kind.code(),
            v["version"].as_i64().unwrap_or_default()
        ))
        .into_response()),
        Err(e) if e.status == StatusCode::FORBIDDEN => Err(PageError::from_api(e, lang)),
        Err(e) => {
            let mut problem = Problem::from_api(&e, lang);
            if e.status == StatusCode::CONFLICT {
                problem.details.push(
                    web.frame("", "")
                        .t(
                            "页面显示的版本已过期，下方为当前内容；请确认后再操作。",
                            "The page showed an old version; the current one is below. Check it and try again.",
                        )
                        .to_string(),
                );
            }
            let item = templates::item(
                kind,
                state
                    .db
                    .current_template(kind.code())
                    .await
                    .map_err(ApiError::from)
                    .page(lang)?
                    .as_ref(),
            );
            let r = Refused {
                status: e.status,
                problem,
                text: item["text"].as_str().unwrap_or_default().to_string(),
                reason: f.reason,
                version: None,
                current_text: None,
            };
            edit_page(&state, &web, kind, Some(r), None).await
        }
    }
}

/// Preview of the typed text: the PDF or DOCX, or the editor with the problem (the text kept).
async fn preview(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<SaveForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    let kind = kind_of(&code, lang)?;
    let text = f.text.replace("\r\n", "\n");
    let req = PreviewRequest {
        text: text.clone(),
        format: f.format.clone(),
    };
    match templates::preview_text(
        State(state.clone()),
        web.caller.clone(),
        Path(code),
        Json(req),
    )
    .await
    {
        Ok(resp) => Ok(resp),
        Err(e) if e.status == StatusCode::FORBIDDEN => Err(PageError::from_api(e, lang)),
        Err(e) => {
            let mut r = refused(&e, lang, text, f.reason);
            r.version = parse_version(&f.expected_version, lang).ok();
            edit_page(&state, &web, kind, Some(r), None).await
        }
    }
}
