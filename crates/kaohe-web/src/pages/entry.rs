//! Data-entry grids (录入表): the typed values of a period (P2.2 日常工作分 and any decimal,
//! integer, percent or yes/no input of the policy) for the people in the caller's scope, and
//! the rater's view (评分, P7.2) of the people assigned to them.
//!
//! The grid is keyboard-driven (Tab, Enter and the arrow keys move between cells) and takes a
//! block pasted from Excel (tab-separated rows). One form POST carries every cell; each changed
//! cell is saved through `kaohe_server::api::data::put_fact` (ratings through `data::rate`),
//! so the API's rules (role, scope, state, declared range) apply cell by cell, and each refused
//! cell is shown with its reason while the others are saved.

use crate::ctx::{period_text, render, state_text, Frame, Lang, OrPage, PageResult, Web};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::{Form, Json, Router};
use kaohe_engine::data::Value;
use kaohe_policy::model::{Input, InputType};
use kaohe_process::role::Role;
use kaohe_server::api::{data, periods};
use kaohe_server::{compute, scope, AppState};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Roles that type values (the API's `PUT …/facts/{person}/{input}`).
pub const TYPISTS: &[Role] = &[
    Role::Admin,
    Role::HqHr,
    Role::BranchHead,
    Role::SalesManager,
];

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/periods/{id}/entry", get(entry_page).post(entry_save))
        .route("/periods/{id}/rate", get(rate_page).post(rate_save))
}

/// A column of the grid.
pub struct Column {
    /// Input id.
    pub id: String,
    /// Name in the page's language.
    pub name: String,
    /// What may be typed, e.g. `0–100` or `是/否`.
    pub hint: String,
}

/// One cell.
pub struct GridCell {
    /// Form field name.
    pub field: String,
    /// Value shown.
    pub value: String,
    /// Refused, with why.
    pub error: Option<String>,
}

/// One row.
pub struct GridRow {
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// Cells, one per column.
    pub cells: Vec<GridCell>,
}

#[derive(Template)]
#[template(path = "entry_grid.html")]
struct EntryPage {
    frame: Frame,
    period_id: i64,
    period_label: String,
    state: String,
    columns: Vec<Column>,
    rows: Vec<GridRow>,
    notice: Option<String>,
    errors: usize,
    action: String,
    /// Values may still be typed (before the period is final); otherwise the grid is shown
    /// read-only with why.
    editable: bool,
}

/// `?saved=`.
#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    /// Cells saved by the last POST.
    #[serde(default)]
    pub saved: Option<usize>,
}

/// Inputs that can be typed as one value.
fn typed(i: &Input) -> bool {
    matches!(
        i.kind,
        InputType::Decimal | InputType::Integer | InputType::Percent | InputType::YesNo
    )
}

/// A stored value as it would be typed again.
pub fn value_text(v: &Value, kind: InputType, lang: Lang) -> String {
    match v {
        Value::Number(n) if kind == InputType::Percent => {
            format!("{}%", (*n * Decimal::from(100)).normalize())
        }
        Value::Number(n) => n.normalize().to_string(),
        Value::Bool(b) => match (b, lang) {
            (true, Lang::Zh) => "是".into(),
            (false, Lang::Zh) => "否".into(),
            (true, Lang::En) => "yes".into(),
            (false, Lang::En) => "no".into(),
        },
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Text(t) => t.clone(),
        _ => String::new(),
    }
}

fn hint(i: &Input, lang: Lang) -> String {
    if i.kind == InputType::YesNo {
        return match lang {
            Lang::Zh => "是/否".into(),
            Lang::En => "yes/no".into(),
        };
    }
    let pct = i.kind == InputType::Percent;
    let show = |d: Decimal| {
        if pct {
            format!("{}%", (d * Decimal::from(100)).normalize())
        } else {
            d.normalize().to_string()
        }
    };
    match (i.min.map(|m| m.value()), i.max.map(|m| m.value())) {
        (Some(lo), Some(hi)) => format!("{}–{}", show(lo), show(hi)),
        (Some(lo), None) => format!("≥ {}", show(lo)),
        (None, Some(hi)) => format!("≤ {}", show(hi)),
        (None, None) => String::new(),
    }
}

/// Field name of a cell: `cell/{person}/{input}`.
fn field(person: &str, input: &str) -> String {
    format!("cell/{person}/{input}")
}

/// The grid as stored now, with `typed` values (and errors) laid over it.
async fn grid(
    state: &AppState,
    web: &Web,
    id: i64,
    typed_now: &BTreeMap<String, String>,
    errors: &BTreeMap<String, String>,
) -> Result<(String, String, Vec<Column>, Vec<GridRow>), crate::ctx::PageError> {
    let lang = web.lang;
    web.caller.require(TYPISTS).page(lang)?;
    let Json(v) = periods::get(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .page(lang)?;
    let (_, policy) = compute::policy(state, v.row.policy_version_id)
        .await
        .page(lang)?;
    let inputs: Vec<&Input> = policy.inputs.iter().filter(|i| typed(i)).collect();
    let s = scope::scope(state, &web.caller).await.page(lang)?;
    let members: Vec<_> = compute::members(state, id)
        .await
        .page(lang)?
        .into_iter()
        .filter(|m| s.covers(m.unit_id))
        .collect();
    let facts = compute::facts(state, id).await.page(lang)?;
    let columns = inputs
        .iter()
        .map(|i| Column {
            id: i.id.clone(),
            name: match lang {
                Lang::Zh => i.name.clone(),
                Lang::En => i.name_en.clone().unwrap_or_else(|| i.name.clone()),
            },
            hint: hint(i, lang),
        })
        .collect();
    let rows = members
        .iter()
        .map(|m| GridRow {
            id: m.person.id.clone(),
            name: m.person.name.clone(),
            cells: inputs
                .iter()
                .map(|i| {
                    let f = field(&m.person.id, &i.id);
                    let stored = facts
                        .get(&m.person.id)
                        .and_then(|x| x.values.get(&i.id))
                        .map(|v| value_text(v, i.kind, lang))
                        .unwrap_or_default();
                    GridCell {
                        value: typed_now.get(&f).cloned().unwrap_or(stored),
                        error: errors.get(&f).cloned(),
                        field: f,
                    }
                })
                .collect(),
        })
        .collect();
    Ok((
        period_text(&v.row.label, lang),
        v.row.state.clone(),
        columns,
        rows,
    ))
}

fn saved_notice(n: Option<usize>, lang: Lang) -> Option<String> {
    n.map(|n| match lang {
        Lang::Zh => format!("已保存 {n} 个单元格。"),
        Lang::En => format!("{n} cell(s) saved."),
    })
}

/// The rater's grid: one column, the score.
async fn rate_grid(
    state: &AppState,
    web: &Web,
    id: i64,
    typed_now: &BTreeMap<String, String>,
    errors: &BTreeMap<String, String>,
) -> Result<(String, String, Vec<Column>, Vec<GridRow>), crate::ctx::PageError> {
    let lang = web.lang;
    let Json(v) = periods::get(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .page(lang)?;
    let Json(list) = data::my_ratees(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .page(lang)?;
    let rows = list["ratees"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    let ratee = r["ratee"].as_str().unwrap_or("").to_string();
                    let f = format!("score/{ratee}");
                    let stored = r["my_score"].as_str().unwrap_or("").to_string();
                    GridRow {
                        name: format!(
                            "{}（{}）",
                            r["name"].as_str().unwrap_or(""),
                            r["group"].as_str().unwrap_or("")
                        ),
                        id: ratee,
                        cells: vec![GridCell {
                            value: typed_now.get(&f).cloned().unwrap_or(stored),
                            error: errors.get(&f).cloned(),
                            field: f,
                        }],
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let columns = vec![Column {
        id: "score".into(),
        name: web.frame("", "").t("评分", "Score").to_string(),
        hint: String::new(),
    }];
    Ok((
        period_text(&v.row.label, lang),
        v.row.state.clone(),
        columns,
        rows,
    ))
}

/// Which grid a request is for: the typed values or the rater's scores.
#[derive(Clone, Copy)]
enum Kind {
    /// 数据录入: `cell/{person}/{input}` through `data::put_fact`.
    Entry,
    /// 评分: `score/{ratee}` through `data::rate`.
    Rate,
}

impl Kind {
    fn title(self) -> (&'static str, &'static str) {
        match self {
            Kind::Entry => ("数据录入", "Data entry"),
            Kind::Rate => ("评分", "Ratings"),
        }
    }

    fn action(self, id: i64) -> String {
        match self {
            Kind::Entry => format!("/periods/{id}/entry"),
            Kind::Rate => format!("/periods/{id}/rate"),
        }
    }

    async fn grid(
        self,
        state: &AppState,
        web: &Web,
        id: i64,
        typed_now: &BTreeMap<String, String>,
        errors: &BTreeMap<String, String>,
    ) -> Result<(String, String, Vec<Column>, Vec<GridRow>), crate::ctx::PageError> {
        match self {
            Kind::Entry => grid(state, web, id, typed_now, errors).await,
            Kind::Rate => rate_grid(state, web, id, typed_now, errors).await,
        }
    }

    /// Save one posted cell through the API; `None` when the field is not a cell of this grid.
    async fn save(
        self,
        state: &AppState,
        web: &Web,
        id: i64,
        field: &str,
        value: &str,
    ) -> Option<Result<(), kaohe_server::error::ApiError>> {
        match self {
            Kind::Entry => {
                let (person, input) = field.strip_prefix("cell/")?.rsplit_once('/')?;
                let r = data::put_fact(
                    State(state.clone()),
                    web.caller.clone(),
                    Path((id, person.to_string(), input.to_string())),
                    Json(data::TypedValue {
                        value: value.to_string(),
                    }),
                )
                .await;
                Some(r.map(|_| ()))
            }
            Kind::Rate => {
                let ratee = field.strip_prefix("score/")?;
                let r = data::rate(
                    State(state.clone()),
                    web.caller.clone(),
                    Path(id),
                    Json(data::NewRating {
                        ratee: ratee.to_string(),
                        score: value.to_string(),
                    }),
                )
                .await;
                Some(r.map(|_| ()))
            }
        }
    }
}

async fn entry_page(
    state: State<AppState>,
    web: Web,
    id: Path<i64>,
    q: Query<Saved>,
) -> PageResult {
    show(Kind::Entry, state, web, id, q).await
}

async fn rate_page(state: State<AppState>, web: Web, id: Path<i64>, q: Query<Saved>) -> PageResult {
    show(Kind::Rate, state, web, id, q).await
}

async fn entry_save(
    state: State<AppState>,
    web: Web,
    headers: HeaderMap,
    id: Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> PageResult {
    save(Kind::Entry, state, web, headers, id, form).await
}

async fn rate_save(
    state: State<AppState>,
    web: Web,
    headers: HeaderMap,
    id: Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> PageResult {
    save(Kind::Rate, state, web, headers, id, form).await
}

async fn show(
    kind: Kind,
    State(state): State<AppState>,
    web: Web,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> PageResult {
    let grid = kind
        .grid(&state, &web, id, &BTreeMap::new(), &BTreeMap::new())
        .await?;
    Ok(page(kind, &web, id, grid, q.saved, 0))
}

/// The grid page with the last save's count and the number of refused cells.
fn page(
    kind: Kind,
    web: &Web,
    id: i64,
    (period_label, state_code, columns, rows): (String, String, Vec<Column>, Vec<GridRow>),
    saved: Option<usize>,
    errors: usize,
) -> axum::response::Response {
    let (zh, en) = kind.title();
    render(&EntryPage {
        frame: web.frame(zh, en),
        period_id: id,
        period_label,
        state: state_text(&state_code, web.lang),
        editable: matches!(
            state_code.as_str(),
            "open" | "collecting" | "computed" | "published"
        ),
        columns,
        rows,
        notice: saved_notice(saved, web.lang),
        errors,
        action: kind.action(id),
    })
}

/// Save every changed cell; refused cells come back with their reasons, the rest are saved.
async fn save(
    kind: Kind,
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let csrf = form
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.as_str());
    web.check_csrf(&headers, csrf)?;
    let lang = web.lang;
    // What is stored now, to save only the cells that changed.
    let (_, _, _, before) = kind
        .grid(&state, &web, id, &BTreeMap::new(), &BTreeMap::new())
        .await?;
    let stored: BTreeMap<String, String> = before
        .into_iter()
        .flat_map(|r| r.cells.into_iter().map(|c| (c.field, c.value)))
        .collect();
    let mut typed_now = BTreeMap::new();
    let mut errors = BTreeMap::new();
    let mut saved = 0usize;
    for (k, v) in &form {
        let v = v.trim();
        if v.is_empty() || stored.get(k).map(String::as_str) == Some(v) {
            continue;
        }
        let Some(r) = kind.save(&state, &web, id, k, v).await else {
            continue;
        };
        typed_now.insert(k.clone(), v.to_string());
        match r {
            Ok(()) => saved += 1,
            Err(e) => {
                errors.insert(
                    k.clone(),
                    match lang {
                        Lang::Zh => e.zh,
                        Lang::En => e.en,
                    },
                );
            }
        }
    }
    if errors.is_empty() {
        return Ok(Redirect::to(&format!("{}?saved={saved}", kind.action(id))).into_response());
    }
    let grid = kind.grid(&state, &web, id, &typed_now, &errors).await?;
    Ok(page(kind, &web, id, grid, Some(saved), errors.len()))
}
