//! The import wizard (导入向导): open or choose a period (制度版本 + 月份 + 组织), upload the
//! roster (花名册) and then the month's facts (考核数据) as XLSX/CSV, see a preview of every
//! cell with each bad cell highlighted and explained, and only then confirm.
//!
//! Nothing reaches the database before the confirm button: the preview parses the file with
//! the same readers the API uses (`kaohe_import::parse_roster` / `parse_facts`) and keeps the
//! uploaded bytes in a temporary file named by a random token, bound to the user and the
//! period. Confirming stores the file through `kaohe_server::api::data::{roster, facts}` —
//! the very code path of the JSON API.

use crate::ctx::{
    period_text, render, state_text, Frame, Lang, OrPage, PageError, PageResult, Web,
};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use kaohe_import::{Cell, ImportError};
use kaohe_server::api::{admin, data, periods};
use kaohe_server::error::ApiError;
use kaohe_server::{compute, AppState};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;

/// Rows of a sheet shown in the preview (the rest are checked but not drawn).
pub const PREVIEW_ROWS: usize = 500;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import", get(page))
        .route("/import/periods", post(open_period))
        .route("/import/{id}/preview", post(preview))
        .route("/import/{id}/confirm", post(confirm))
        .layer(DefaultBodyLimit::max(
            kaohe_import::MAX_FILE_BYTES as usize + (1 << 20),
        ))
}

/// An API error in the page's language, with its list of problems (import errors).
pub struct Problem {
    /// The message.
    pub message: String,
    /// Each problem (file, row, column, value and what was expected).
    pub details: Vec<String>,
}

impl Problem {
    /// From an API error.
    pub fn from_api(e: &ApiError, lang: Lang) -> Problem {
        let details = e
            .extra
            .as_ref()
            .and_then(|x| x["problems"].as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["message"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Problem {
            message: match lang {
                Lang::Zh => e.zh.clone(),
                Lang::En => e.en.clone(),
            },
            details,
        }
    }
}

/// A stored policy version to choose.
pub struct VersionOption {
    /// Version row id.
    pub id: i64,
    /// `p4-group-sales v1`.
    pub label: String,
}

/// A unit to choose.
pub struct UnitOption {
    /// Unit id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A period row.
pub struct PeriodItem {
    /// Period id.
    pub id: i64,
    /// 2025年3月.
    pub label: String,
    /// Policy and version.
    pub policy: String,
    /// State in words.
    pub state: String,
}

/// The selected period.
pub struct Selected {
    /// Period id.
    pub id: i64,
    /// 2025年3月.
    pub label: String,
    /// Policy and version.
    pub policy: String,
    /// State in words.
    pub state: String,
    /// People on the stored roster.
    pub people: usize,
    /// People with stored facts.
    pub with_facts: usize,
}

#[derive(Template)]
#[template(path = "import_page.html")]
struct ImportPage {
    frame: Frame,
    may_import: bool,
    versions: Vec<VersionOption>,
    units: Vec<UnitOption>,
    periods: Vec<PeriodItem>,
    selected: Option<Selected>,
    notice: Option<String>,
    problem: Option<Problem>,
}

/// `?period=&done=&n=`.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// Selected period.
    #[serde(default)]
    pub period: Option<i64>,
    /// What was just stored (`roster`, `facts`).
    #[serde(default)]
    pub done: Option<String>,
    /// How many people.
    #[serde(default)]
    pub n: Option<u64>,
}

fn may_import(web: &Web) -> bool {
    periods::OPERATORS.contains(&web.caller.role)
}

async fn page(State(state): State<AppState>, web: Web, Query(q): Query<PageQuery>) -> PageResult {
    let notice = match (q.done.as_deref(), q.n) {
        (Some("roster"), Some(n)) => Some(match web.lang {
            Lang::Zh => format!("花名册已导入：{n} 人。下一步：导入本月考核数据。"),
            Lang::En => format!("Roster imported: {n} people. Next: import the month's figures."),
        }),
        (Some("facts"), Some(n)) => Some(match web.lang {
            Lang::Zh => format!("考核数据已导入：{n} 人。可以在考核期间页面计算。"),
            Lang::En => format!("Figures imported for {n} people. The period can now be computed."),
        }),
        (Some("opened"), _) => Some(
            web.frame("", "")
                .t(
                    "考核期间已开启并进入数据收集。请上传花名册。",
                    "The period is open and collecting data. Upload the roster.",
                )
                .to_string(),
        ),
        _ => None,
    };
    show(&state, &web, q.period, notice, None).await
}

/// Render the wizard's page.
async fn show(
    state: &AppState,
    web: &Web,
    period: Option<i64>,
    notice: Option<String>,
    problem: Option<Problem>,
) -> PageResult {
    let lang = web.lang;
    let names = crate::ctx::Names::load(state).await;
    let frame = web.frame("导入数据", "Import data");
    if !may_import(web) {
        return Ok(render(&ImportPage {
            frame,
            may_import: false,
            versions: vec![],
            units: vec![],
            periods: vec![],
            selected: None,
            notice,
            problem,
        }));
    }
    let Json(list) = admin::list_policies(State(state.clone()), web.caller.clone())
        .await
        .page(lang)?;
    let versions = list
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| {
                    let id = v["id"].as_i64().unwrap_or_default();
                    VersionOption {
                        id,
                        label: names.policy(id, lang),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let Json(units) = admin::list_units(State(state.clone()), web.caller.clone())
        .await
        .page(lang)?;
    let units = units
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|u| u["kind"] != "department")
                .map(|u| UnitOption {
                    id: u["id"].as_i64().unwrap_or_default(),
                    name: u["name"].as_str().unwrap_or("").to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let Json(all) = periods::list(State(state.clone()), web.caller.clone())
        .await
        .page(lang)?;
    let mut items = Vec::new();
    for v in &all {
        if matches!(
            v.row.state.as_str(),
            "open" | "collecting" | "computed" | "published"
        ) {
            items.push(PeriodItem {
                id: v.row.id,
                label: period_text(&v.row.label, lang),
                policy: names.period(&v.row, lang),
                state: state_text(&v.row.state, lang),
            });
        }
    }
    let selected = match period {
        Some(id) => {
            let Json(v) = periods::get(State(state.clone()), web.caller.clone(), Path(id))
                .await
                .page(lang)?;
            let people = compute::members(state, id).await.page(lang)?.len();
            let with_facts = compute::facts(state, id).await.page(lang)?.len();
            Some(Selected {
                id,
                label: period_text(&v.row.label, lang),
                policy: names.period(&v.row, lang),
                state: state_text(&v.row.state, lang),
                people,
                with_facts,
            })
        }
        None => None,
    };
    Ok(render(&ImportPage {
        frame,
        may_import: true,
        versions,
        units,
        periods: items,
        selected,
        notice,
        problem,
    }))
}

/// The open-a-period form.
#[derive(Debug, Deserialize)]
pub struct OpenForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// Stored policy version.
    pub policy_version_id: i64,
    /// Month, e.g. `2025-03`.
    pub label: String,
    /// Unit.
    pub unit_id: i64,
}

async fn open_period(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Form(f): Form<OpenForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let created = periods::create(
        State(state.clone()),
        web.caller.clone(),
        Json(periods::NewPeriod {
            policy_version_id: f.policy_version_id,
            label: f.label.clone(),
            unit_id: f.unit_id,
        }),
    )
    .await;
    let row = match created {
        Ok(Json(row)) => row,
        Err(e) => {
            let p = Problem::from_api(&e, web.lang);
            return show(&state, &web, None, None, Some(p)).await;
        }
    };
    let started = periods::transition(
        State(state.clone()),
        web.caller.clone(),
        Path(row.id),
        Json(periods::TransitionRequest {
            action: kaohe_process::cycle::Action::StartCollecting,
            expected_version: row.row_version,
        }),
    )
    .await;
    if let Err(e) = started {
        let p = Problem::from_api(&e, web.lang);
        return show(&state, &web, Some(row.id), None, Some(p)).await;
    }
    Ok(Redirect::to(&format!("/import?period={}&done=opened", row.id)).into_response())
}

/// What an upload is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 花名册.
    Roster,
    /// 考核数据.
    Facts,
}

/// What the preview keeps next to the uploaded bytes.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    user_id: i64,
    period_id: i64,
    kind: Kind,
    file: String,
}

fn pending_dir() -> PathBuf {
    std::env::temp_dir().join("kaohe-web-imports")
}

/// A token is what `random_token` makes: URL-safe base64, nothing that walks a path.
fn token_ok(t: &str) -> bool {
    (16..=64).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Remove uploads left unconfirmed for more than a day.
fn sweep(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 86_400);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// One cell of the preview.
pub struct PreviewCell {
    /// Text as written.
    pub text: String,
    /// A number (right-aligned).
    pub num: bool,
    /// What is wrong with it, if anything.
    pub error: Option<String>,
}

/// One row of the preview.
pub struct PreviewRow {
    /// Excel row number.
    pub number: usize,
    /// Cells.
    pub cells: Vec<PreviewCell>,
    /// A problem of the whole row.
    pub error: Option<String>,
}

/// One sheet of the preview.
pub struct PreviewSheet {
    /// Sheet name (none for CSV).
    pub name: Option<String>,
    /// Column letters.
    pub letters: Vec<String>,
    /// Rows shown.
    pub rows: Vec<PreviewRow>,
    /// Rows not shown.
    pub hidden: usize,
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    frame: Frame,
    period_id: i64,
    period_label: String,
    kind_text: String,
    file: String,
    sheets: Vec<PreviewSheet>,
    errors: Vec<String>,
    summary: Option<String>,
    token: Option<String>,
}

fn error_text(e: &ImportError, lang: Lang) -> String {
    let mut place = Vec::new();
    if let Some(s) = &e.sheet {
        place.push(match lang {
            Lang::Zh => format!("工作表「{s}」"),
            Lang::En => format!("sheet {s}"),
        });
    }
    if let Some(r) = e.row {
        place.push(match lang {
            Lang::Zh => format!("第{r}行"),
            Lang::En => format!("row {r}"),
        });
    }
    if let Some(c) = &e.column {
        place.push(match lang {
            Lang::Zh => format!("{c}列"),
            Lang::En => format!("column {c}"),
        });
    }
    let value = e
        .value
        .as_ref()
        .map(|v| match lang {
            Lang::Zh => format!("值“{v}”："),
            Lang::En => format!("value \"{v}\": "),
        })
        .unwrap_or_default();
    let what = match lang {
        Lang::Zh => &e.expected_zh,
        Lang::En => &e.expected_en,
    };
    if place.is_empty() {
        format!("{}：{value}{what}", e.file)
    } else {
        format!("{}：{value}{what}", place.join(" "))
    }
}

/// Column index of an error's column (`"D 日常考勤"` → 3).
fn column_index(c: &str) -> Option<usize> {
    let letters = c.split(' ').next()?;
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut n = 0usize;
    for b in letters.bytes() {
        n = n.checked_mul(26)?.checked_add((b - b'A' + 1) as usize)?;
    }
    n.checked_sub(1)
}

fn cell_view(c: &Cell) -> (String, bool) {
    match c {
        Cell::Number(_) => (c.text(), true),
        _ => (c.text(), false),
    }
}

/// The sheets of a file with every error placed on its cell (or row).
fn preview_sheets(
    bytes: &[u8],
    file: &str,
    errors: &[ImportError],
    lang: Lang,
) -> Vec<PreviewSheet> {
    let Ok(sheets) = kaohe_import::load_sheets(bytes, file) else {
        return vec![];
    };
    let many = sheets.len() > 1;
    sheets
        .into_iter()
        .filter(|s| !s.rows.is_empty())
        .map(|s| {
            let mine: Vec<&ImportError> = errors
                .iter()
                .filter(|e| !many || e.sheet.is_none() || e.sheet == s.name)
                .collect();
            let width = s.rows.iter().map(Vec::len).max().unwrap_or(0);
            let shown = s.rows.len().min(PREVIEW_ROWS);
            let rows = (0..shown)
                .map(|r| {
                    let number = r + 1;
                    let at_row: Vec<&&ImportError> = mine
                        .iter()
                        .filter(|e| e.row == Some(number as u32))
                        .collect();
                    let cells = (0..width)
                        .map(|c| {
                            let (text, num) = cell_view(s.cell(r, c));
                            let error = at_row
                                .iter()
                                .filter(|e| e.column.as_deref().and_then(column_index) == Some(c))
                                .map(|e| error_text(e, lang))
                                .collect::<Vec<_>>();
                            PreviewCell {
                                text,
                                num,
                                error: (!error.is_empty()).then(|| error.join("；")),
                            }
                        })
                        .collect();
                    let row_errors: Vec<String> = at_row
                        .iter()
                        .filter(|e| e.column.as_deref().and_then(column_index).is_none())
                        .map(|e| error_text(e, lang))
                        .collect();
                    PreviewRow {
                        number,
                        cells,
                        error: (!row_errors.is_empty()).then(|| row_errors.join("；")),
                    }
                })
                .collect();
            PreviewSheet {
                name: s.name.clone(),
                letters: (0..width).map(kaohe_import::col_letter).collect(),
                rows,
                hidden: s.rows.len() - shown,
            }
        })
        .collect()
}

fn bad_request(web: &Web, zh: &str, en: &str) -> PageError {
    PageError::from_api(ApiError::bad(zh.to_string(), en.to_string()), web.lang)
}

/// A file with a header and nothing below it (the API refuses it too).
fn no_rows(lang: Lang) -> String {
    match lang {
        Lang::Zh => "表头下没有数据行；导入它不会写入任何数据".into(),
        Lang::En => "no data rows below the header; there is nothing to import".into(),
    }
}

async fn preview(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> PageResult {
    let lang = web.lang;
    let mut csrf = None;
    let mut kind = None;
    let mut file: Option<(String, Bytes)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return Err(bad_request(
                    &web,
                    "上传未完成或文件过大，请重试",
                    "the upload did not complete or the file is too large; try again",
                ))
            }
        };
        match field.name().unwrap_or("") {
            "_csrf" => csrf = field.text().await.ok(),
            "kind" => {
                kind = match field.text().await.ok().as_deref() {
                    Some("roster") => Some(Kind::Roster),
                    Some("facts") => Some(Kind::Facts),
                    _ => None,
                }
            }
            "file" => {
                let name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_string())
                    .unwrap_or_default();
                let bytes = field.bytes().await.map_err(|_| {
                    bad_request(
                        &web,
                        "上传未完成或文件过大，请重试",
                        "the upload did not complete or the file is too large; try again",
                    )
                })?;
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    web.check_csrf(&headers, csrf.as_deref())?;
    let Some(kind) = kind else {
        return Err(bad_request(
            &web,
            "请选择导入的内容",
            "choose what to import",
        ));
    };
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        let p = Problem {
            message: web
                .frame("", "")
                .t("请选择一个 XLSX 或 CSV 文件", "choose an XLSX or CSV file")
                .to_string(),
            details: vec![],
        };
        return show(&state, &web, Some(id), None, Some(p)).await;
    };
    let Json(v) = periods::get(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .page(lang)?;
    let row = v.row.clone();
    let mut errors: Vec<ImportError> = Vec::new();
    let mut extra: Vec<String> = Vec::new();
    let mut summary = None;
    match kind {
        Kind::Roster => match kaohe_import::parse_roster(&bytes, &name) {
            Ok(people) if people.is_empty() => extra.push(no_rows(lang)),
            Ok(people) => {
                summary = Some(match lang {
                    Lang::Zh => format!("共 {} 人，没有发现问题。", people.len()),
                    Lang::En => format!("{} people, no problems found.", people.len()),
                })
            }
            Err(e) => errors = e.0,
        },
        Kind::Facts => {
            let (_, policy) = compute::policy(&state, row.policy_version_id)
                .await
                .page(lang)?;
            let period = compute::engine_period(&row, policy.policy.cycle).page(lang)?;
            let roster: Vec<_> = compute::members(&state, id)
                .await
                .page(lang)?
                .into_iter()
                .map(|m| m.person)
                .collect();
            if roster.is_empty() {
                extra.push(
                    web.frame("", "")
                        .t(
                            "请先导入本期花名册，再导入考核数据",
                            "import this period's roster before its figures",
                        )
                        .to_string(),
                );
            } else {
                match kaohe_import::parse_facts(&bytes, &name, &policy, &roster, Some(&period)) {
                    Ok(parsed) => {
                        let others: Vec<String> = parsed
                            .keys()
                            .filter(|k| **k != period)
                            .map(|k| period_text(&k.label, lang))
                            .collect();
                        if !others.is_empty() {
                            extra.push(match lang {
                                Lang::Zh => format!(
                                    "文件含有其他期间（{}）的数据；本期为 {}",
                                    others.join("、"),
                                    period_text(&period.label, lang)
                                ),
                                Lang::En => format!(
                                    "the file holds rows for other periods ({}); this period is {}",
                                    others.join(", "),
                                    period_text(&period.label, lang)
                                ),
                            });
                        } else {
                            let people = parsed.get(&period).map_or(0, |m| m.len());
                            let values: usize = parsed
                                .get(&period)
                                .map_or(0, |m| m.values().map(|f| f.values.len()).sum());
                            if values == 0 {
                                extra.push(no_rows(lang));
                            } else {
                                summary = Some(match lang {
                                    Lang::Zh => {
                                        format!("共 {people} 人、{values} 项数据，没有发现问题。")
                                    }
                                    Lang::En => format!(
                                        "{people} people, {values} values, no problems found."
                                    ),
                                });
                            }
                        }
                    }
                    Err(e) => errors = e.0,
                }
            }
        }
    }
    let sheets = preview_sheets(&bytes, &name, &errors, lang);
    let mut messages: Vec<String> = errors.iter().map(|e| error_text(e, lang)).collect();
    messages.extend(extra);
    let token = if messages.is_empty() {
        let dir = pending_dir();
        sweep(&dir);
        let token = kaohe_server::auth::random_token();
        let meta = Pending {
            user_id: web.caller.user.id,
            period_id: id,
            kind,
            file: name.clone(),
        };
        let stored = std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(dir.join(format!("{token}.bin")), &bytes))
            .and_then(|_| {
                std::fs::write(
                    dir.join(format!("{token}.json")),
                    serde_json::to_vec(&meta).unwrap_or_default(),
                )
            });
        if stored.is_err() {
            return Err(PageError::from_api(
                ApiError::internal("could not keep the upload in the temp directory"),
                lang,
            ));
        }
        Some(token)
    } else {
        summary = None;
        None
    };
    let kind_text = match kind {
        Kind::Roster => web.frame("", "").t("花名册", "roster").to_string(),
        Kind::Facts => web.frame("", "").t("考核数据", "figures").to_string(),
    };
    Ok(render(&PreviewPage {
        frame: web.frame("导入预览", "Import preview"),
        period_id: id,
        period_label: period_text(&row.label, lang),
        kind_text,
        file: name,
        sheets,
        errors: messages,
        summary,
        token,
    }))
}

/// The confirm form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// The preview's token.
    pub token: String,
}

async fn confirm(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<ConfirmForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let expired = || {
        bad_request(
            &web,
            "预览已过期，请重新上传文件",
            "the preview has expired; upload the file again",
        )
    };
    if !token_ok(&f.token) {
        return Err(expired());
    }
    let dir = pending_dir();
    let meta_path = dir.join(format!("{}.json", f.token));
    let bin_path = dir.join(format!("{}.bin", f.token));
    let meta: Pending = std::fs::read(&meta_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(expired)?;
    if meta.user_id != web.caller.user.id || meta.period_id != id {
        return Err(expired());
    }
    let bytes = std::fs::read(&bin_path).map_err(|_| expired())?;
    let q = Query(data::FileName {
        file: meta.file.clone(),
    });
    let stored = match meta.kind {
        Kind::Roster => {
            data::roster(
                State(state.clone()),
                web.caller.clone(),
                Path(id),
                q,
                Bytes::from(bytes),
            )
            .await
        }
        Kind::Facts => {
            data::facts(
                State(state.clone()),
                web.caller.clone(),
                Path(id),
                q,
                Bytes::from(bytes),
            )
            .await
        }
    };
    match stored {
        Ok(Json(v)) => {
            let _ = std::fs::remove_file(&meta_path);
            let _ = std::fs::remove_file(&bin_path);
            let n = v["people"].as_u64().unwrap_or(0);
            let done = match meta.kind {
                Kind::Roster => "roster",
                Kind::Facts => "facts",
            };
            Ok(Redirect::to(&format!("/import?period={id}&done={done}&n={n}")).into_response())
        }
        Err(e) => {
            let p = Problem::from_api(&e, web.lang);
            show(&state, &web, Some(id), None, Some(p)).await
        }
    }
}

/// The stored value of a JSON field as text (helper for the other pages of this set).
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
