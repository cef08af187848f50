//! The policy pages (制度): every stored policy with its versions, one version in plain Chinese
//! (`kaohe_policy::explain`), the line-by-line difference between two versions (the `similar`
//! crate), the upload of a new version (admin, HQ HR; every problem with its line and column)
//! and the what-if (模拟): change a parameter — a weight, the line's `bottom` N, a threshold —
//! in the TOML text, or pick another stored version, and see over the stored periods of that
//! policy, unit by unit, which people would cross the line.
//!
//! The what-if writes nothing: it loads each stored period's input (`compute::input`), chains
//! the variant's own results month by month as history (`kaohe_engine::record`), evaluates
//! with `kaohe_engine::Engine` and compares with the effective stored result of each period.

use crate::ctx::{period_text, render, Frame, Lang, OrPage, PageResult, Web};
use crate::pages::import::Problem;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use kaohe_engine::data::History;
use kaohe_engine::display::show;
use kaohe_engine::result::{LinePosition, PersonResult};
use kaohe_engine::{Engine, PeriodInput, PeriodResult};
use kaohe_policy::Policy;
use kaohe_server::api::{admin, results};
use kaohe_server::error::ApiError;
use kaohe_server::{compute, scope, AppState};
use kaohe_store::PeriodRow;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/policies", get(list))
        .route("/policies/upload", post(upload))
        .route("/policies/{id}", get(detail))
        .route("/policies/{id}/whatif", post(whatif))
        .layer(DefaultBodyLimit::max(4 << 20))
}

/// One stored version.
pub struct VersionItem {
    /// Row id.
    pub id: i64,
    /// Version label.
    pub version: String,
    /// Adopted date in words.
    pub adopted: String,
    /// Published date in words.
    pub published: String,
}

/// A policy with its versions.
pub struct PolicyItem {
    /// Policy id.
    pub policy_id: String,
    /// Its name, as its newest version gives it.
    pub name: String,
    /// Versions, oldest first.
    pub versions: Vec<VersionItem>,
}

#[derive(Template)]
#[template(path = "policy_list.html")]
struct ListPage {
    frame: Frame,
    policies: Vec<PolicyItem>,
    may_upload: bool,
    problem: Option<Problem>,
}

fn may_upload(web: &Web) -> bool {
    matches!(
        web.caller.role,
        kaohe_process::role::Role::Admin | kaohe_process::role::Role::HqHr
    )
}

fn date_words(v: &serde_json::Value, lang: Lang) -> String {
    v.as_str()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .map(|d| crate::ctx::date_text(d, lang))
        .unwrap_or_else(|| "—".into())
}

async fn list_page(state: &AppState, web: &Web, problem: Option<Problem>) -> PageResult {
    let lang = web.lang;
    let Json(all) = admin::list_policies(State(state.clone()), web.caller.clone())
        .await
        .page(lang)?;
    let names = crate::ctx::Names::load(state).await;
    let mut by: BTreeMap<String, Vec<VersionItem>> = BTreeMap::new();
    for v in all.as_array().into_iter().flatten() {
        by.entry(v["policy_id"].as_str().unwrap_or("").to_string())
            .or_default()
            .push(VersionItem {
                id: v["id"].as_i64().unwrap_or_default(),
                version: v["version"].as_str().unwrap_or("").to_string(),
                adopted: date_words(&v["adopted"], lang),
                published: date_words(&v["published"], lang),
            });
    }
    Ok(render(&ListPage {
        frame: web.frame("制度", "Policies"),
        policies: by
            .into_iter()
            .map(|(policy_id, versions)| PolicyItem {
                name: versions
                    .iter()
                    .rev()
                    .find_map(|v| names.policy_name(v.id, lang))
                    .unwrap_or_default(),
                policy_id,
                versions,
            })
            .collect(),
        may_upload: may_upload(web),
        problem,
    }))
}

async fn list(State(state): State<AppState>, web: Web) -> PageResult {
    list_page(&state, &web, None).await
}

async fn upload(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    mut form: Multipart,
) -> PageResult {
    let mut csrf = None;
    let mut text: Option<Bytes> = None;
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "_csrf" => csrf = field.text().await.ok(),
            "file" => {
                if let Ok(b) = field.bytes().await {
                    if !b.is_empty() {
                        text = Some(b);
                    }
                }
            }
            "text" => {
                if let Ok(t) = field.text().await {
                    if !t.trim().is_empty() && text.is_none() {
                        text = Some(Bytes::from(t));
                    }
                }
            }
            _ => {}
        }
    }
    web.check_csrf(&headers, csrf.as_deref())?;
    let Some(body) = text else {
        let p = Problem {
            message: web
                .frame("", "")
                .t(
                    "请选择制度文件（TOML）或粘贴其内容",
                    "choose a policy file (TOML) or paste its text",
                )
                .to_string(),
            details: vec![],
        };
        return list_page(&state, &web, Some(p)).await;
    };
    match admin::upload_policy(State(state.clone()), web.caller.clone(), body).await {
        Ok(Json(v)) => Ok(Redirect::to(&format!(
            "/policies/{}",
            v["id"].as_i64().unwrap_or_default()
        ))
        .into_response()),
        Err(e) => list_page(&state, &web, Some(Problem::from_api(&e, web.lang))).await,
    }
}

/// One line of a difference.
pub struct DiffLine {
    /// `same`, `added`, `removed` or `gap`.
    pub tag: &'static str,
    /// Line number in the old version.
    pub old: String,
    /// Line number in the new version.
    pub new: String,
    /// Text.
    pub text: String,
}

/// One person whose place relative to the line would change.
pub struct Crossing {
    /// 2025年3月.
    pub period: String,
    /// Unit (the ranking group).
    pub group: String,
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// Score now.
    pub score_now: String,
    /// Place now in words.
    pub now: String,
    /// Score under the variant.
    pub score_variant: String,
    /// Place under the variant in words.
    pub variant: String,
    /// Whether the person enters the line under the variant (else leaves it).
    pub enters: bool,
}

/// The what-if's answer.
pub struct WhatIf {
    /// Periods compared.
    pub periods: usize,
    /// Periods skipped (not computed yet).
    pub skipped: usize,
    /// People in the line now / under the variant, over all periods.
    pub in_line_now: usize,
    /// Under the variant.
    pub in_line_variant: usize,
    /// Everyone whose place changes.
    pub crossings: Vec<Crossing>,
    /// What was compared with, in words.
    pub against: String,
}

#[derive(Template)]
#[template(path = "policy_detail.html")]
struct DetailPage {
    frame: Frame,
    id: i64,
    policy_id: String,
    version: String,
    name: String,
    explain: Vec<ExplainLine>,
    versions: Vec<VersionItem>,
    against: Option<i64>,
    against_version: String,
    diff: Vec<DiffLine>,
    toml: String,
    params: Vec<crate::params::Param>,
    may_whatif: bool,
    whatif: Option<WhatIf>,
    problem: Option<Problem>,
}

/// `?against=`.
#[derive(Debug, Default, Deserialize)]
pub struct DiffQuery {
    /// The version to compare with.
    #[serde(default)]
    pub against: Option<i64>,
}

/// Line-by-line difference, with three lines of context around each change.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let d = similar::TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in d.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine {
                tag: "gap",
                old: String::new(),
                new: String::new(),
                text: "⋯".into(),
            });
        }
        for op in group {
            for change in d.iter_changes(op) {
                let tag = match change.tag() {
                    similar::ChangeTag::Equal => "same",
                    similar::ChangeTag::Insert => "added",
                    similar::ChangeTag::Delete => "removed",
                };
                out.push(DiffLine {
                    tag,
                    old: change
                        .old_index()
                        .map(|n| (n + 1).to_string())
                        .unwrap_or_default(),
                    new: change
                        .new_index()
                        .map(|n| (n + 1).to_string())
                        .unwrap_or_default(),
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }
    out
}

fn may_whatif(web: &Web) -> bool {
    results::READERS.contains(&web.caller.role)
}

#[allow(clippy::too_many_arguments)]
/// One line of the policy in plain words: `# ` and `## ` lines of `kaohe policy explain` are
/// headings on the page, not text with hash marks.
pub struct ExplainLine {
    /// 1 the title, 2 a section, 0 text.
    pub level: u8,
    /// The text.
    pub text: String,
}

/// The explanation's lines with their heading level.
pub fn explain_lines(text: &str) -> Vec<ExplainLine> {
    text.lines()
        .map(|l| {
            let (level, t) = if let Some(t) = l.strip_prefix("## ") {
                (2, t)
            } else if let Some(t) = l.strip_prefix("# ") {
                (1, t)
            } else {
                (0, l)
            };
            ExplainLine {
                level,
                text: t.to_string(),
            }
        })
        .collect()
}

async fn detail_page(
    state: &AppState,
    web: &Web,
    id: i64,
    against: Option<i64>,
    toml_text: Option<String>,
    whatif: Option<WhatIf>,
    problem: Option<Problem>,
) -> PageResult {
    let lang = web.lang;
    let (v, p) = compute::policy(state, id).await.page(lang)?;
    let explain = kaohe_policy::explain::render(
        &p,
        match lang {
            Lang::Zh => kaohe_policy::explain::Lang::Zh,
            Lang::En => kaohe_policy::explain::Lang::En,
        },
    );
    let versions: Vec<VersionItem> = state
        .db
        .policy_versions(&v.policy_id)
        .await
        .map_err(ApiError::from)
        .page(lang)?
        .into_iter()
        .map(|x| VersionItem {
            id: x.id,
            version: x.version,
            adopted: x
                .adopted
                .map(|d| crate::ctx::date_text(d, lang))
                .unwrap_or_else(|| "—".into()),
            published: x
                .published
                .map(|d| crate::ctx::date_text(d, lang))
                .unwrap_or_else(|| "—".into()),
        })
        .collect();
    let (diff, against_version) = match against.filter(|a| *a != id) {
        Some(a) => {
            let (o, _) = compute::policy(state, a).await.page(lang)?;
            (diff_lines(&o.toml, &v.toml), o.version)
        }
        None => (vec![], String::new()),
    };
    Ok(render(&DetailPage {
        frame: web.frame("制度", "Policy"),
        id,
        policy_id: v.policy_id.clone(),
        version: v.version.clone(),
        name: match lang {
            Lang::Zh => p.policy.name.clone(),
            Lang::En => p.policy.name_en.clone().unwrap_or(p.policy.name.clone()),
        },
        explain: explain_lines(&explain),
        versions,
        against,
        against_version,
        diff,
        params: crate::params::list(toml_text.as_deref().unwrap_or(&v.toml)),
        toml: toml_text.unwrap_or(v.toml),
        may_whatif: may_whatif(web),
        whatif,
        problem,
    }))
}

async fn detail(
    State(state): State<AppState>,
    web: Web,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> PageResult {
    detail_page(&state, &web, id, q.against, None, None, None).await
}

/// The what-if form.
#[derive(Debug, Deserialize)]
pub struct WhatIfForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// A stored version to compare with (takes precedence over the text when set).
    #[serde(default)]
    pub version: Option<String>,
    /// The variant's TOML text.
    #[serde(default)]
    pub toml: Option<String>,
    /// The parameter fields, `param:{path}` → the value typed (see [`crate::params`]).
    #[serde(flatten)]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// In the line (进入末位线) or taking a place by veto.
fn in_line(p: &PersonResult) -> bool {
    matches!(p.line, LinePosition::InLine | LinePosition::VetoPlace)
}

fn place_words(p: &PersonResult, lang: Lang) -> String {
    let (zh, en) = match p.line {
        LinePosition::InLine => ("进入末位线", "in the line"),
        LinePosition::VetoPlace => ("因否决占末位名额", "in the line by veto"),
        LinePosition::TiePending => ("末位并列待定", "tied at the line"),
        LinePosition::Fallback => ("按替代措施选中", "chosen by the fallback"),
        LinePosition::Above => ("在线上", "above the line"),
        LinePosition::NotApplicable => ("不参与末位", "not ranked"),
    };
    match lang {
        Lang::Zh => zh.into(),
        Lang::En => en.into(),
    }
}

/// The stored periods of a policy (every version) that the caller may see, by unit, in order.
async fn stored_periods(
    state: &AppState,
    web: &Web,
    policy_id: &str,
) -> Result<BTreeMap<Option<i64>, Vec<PeriodRow>>, ApiError> {
    let mut by: BTreeMap<Option<i64>, Vec<PeriodRow>> = BTreeMap::new();
    for v in state.db.policy_versions(policy_id).await? {
        for p in state.db.periods(v.id).await? {
            if scope::period_visible(state, &web.caller, &p).await? {
                by.entry(p.unit_id).or_default().push(p);
            }
        }
    }
    for list in by.values_mut() {
        list.sort_by_key(|p| p.idx);
    }
    Ok(by)
}

/// Evaluate the variant over the stored periods and compare with the stored results.
async fn run_whatif(
    state: &AppState,
    web: &Web,
    policy_id: &str,
    variant: Policy,
    against: String,
) -> Result<WhatIf, ApiError> {
    let lang = web.lang;
    let by = stored_periods(state, web, policy_id).await?;
    let visible_scope = scope::scope(state, &web.caller).await?;
    // Load everything first (reads only), then evaluate off the async workers.
    let mut chains: Vec<Vec<(PeriodRow, PeriodInput, Option<PeriodResult>)>> = Vec::new();
    let mut skipped = 0;
    for (_, rows) in by {
        let mut chain = Vec::new();
        for row in rows {
            let stored = compute::effective_result(state, row.id)
                .await?
                .map(|(_, r)| r);
            if stored.is_none() {
                skipped += 1;
            }
            let input = compute::input(state, &row, &variant).await?;
            chain.push((row, input, stored));
        }
        chains.push(chain);
    }
    let decimals = variant.policy.decimals;
    let evaluated = tokio::task::spawn_blocking(move || -> Result<_, String> {
        let engine = Engine::new(&variant).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for chain in chains {
            let mut history = History::default();
            for (row, input, stored) in chain {
                let r = engine.evaluate(&input, &history);
                kaohe_engine::record(&r, &mut history);
                out.push((row, r, stored));
            }
        }
        Ok(out)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| {
        ApiError::bad(
            format!("该制度无法计算：{e}"),
            format!("the policy cannot be computed: {e}"),
        )
    })?;
    let mut answer = WhatIf {
        periods: 0,
        skipped,
        in_line_now: 0,
        in_line_variant: 0,
        crossings: vec![],
        against,
    };
    for (row, variant_result, stored) in evaluated {
        let Some(stored) = stored else {
            continue;
        };
        answer.periods += 1;
        let members = compute::members(state, row.id).await?;
        let visible = |id: &str| {
            members
                .iter()
                .find(|m| m.person.id == id)
                .is_some_and(|m| scope::member_visible(&visible_scope, &web.caller, m))
        };
        let now: BTreeMap<&str, &PersonResult> = stored
            .people
            .iter()
            .filter(|p| visible(&p.id))
            .map(|p| (p.id.as_str(), p))
            .collect();
        let var: BTreeMap<&str, &PersonResult> = variant_result
            .people
            .iter()
            .filter(|p| visible(&p.id))
            .map(|p| (p.id.as_str(), p))
            .collect();
        answer.in_line_now += now.values().filter(|p| in_line(p)).count();
        answer.in_line_variant += var.values().filter(|p| in_line(p)).count();
        let ids: std::collections::BTreeSet<&str> = now.keys().chain(var.keys()).copied().collect();
        for id in ids {
            let (a, b) = (now.get(id), var.get(id));
            let was = a.is_some_and(|p| in_line(p));
            let will = b.is_some_and(|p| in_line(p));
            if was == will {
                continue;
            }
            let score = |p: Option<&&PersonResult>| {
                p.and_then(|p| p.score)
                    .map(|s| show(s, decimals))
                    .unwrap_or_else(|| "—".into())
            };
            let any = a.or(b);
            answer.crossings.push(Crossing {
                period: period_text(&row.label, lang),
                group: any.map(|p| p.group.clone()).unwrap_or_default(),
                id: id.to_string(),
                name: any.map(|p| p.name.clone()).unwrap_or_default(),
                score_now: score(a),
                now: a
                    .map(|p| place_words(p, lang))
                    .unwrap_or_else(|| "—".into()),
                score_variant: score(b),
                variant: b
                    .map(|p| place_words(p, lang))
                    .unwrap_or_else(|| "—".into()),
                enters: will,
            });
        }
    }
    Ok(answer)
}

async fn whatif(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<WhatIfForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    if !may_whatif(&web) {
        return Err(crate::ctx::PageError::from_api(
            ApiError::forbidden(
                "您的角色不能查看排名模拟",
                "your role may not run the what-if over rankings",
            ),
            lang,
        ));
    }
    let (v, _) = compute::policy(&state, id).await.page(lang)?;
    let chosen = f
        .version
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse::<i64>().ok());
    let (variant, against, text) = match chosen {
        Some(other) => {
            let (o, p) = compute::policy(&state, other).await.page(lang)?;
            if o.policy_id != v.policy_id {
                let p = Problem {
                    message: web
                        .frame("", "")
                        .t(
                            "只能选择同一制度的版本",
                            "choose a version of the same policy",
                        )
                        .to_string(),
                    details: vec![],
                };
                return detail_page(&state, &web, id, None, None, None, Some(p)).await;
            }
            let words = match lang {
                Lang::Zh => format!("版本 {}", o.version),
                Lang::En => format!("version {}", o.version),
            };
            (p, words, None)
        }
        None => {
            let text = f.toml.clone().unwrap_or(v.toml.clone());
            let changes: Vec<(String, String)> = f
                .fields
                .iter()
                .filter_map(|(k, x)| k.strip_prefix("param:").map(|p| (p.to_string(), x.clone())))
                .collect();
            let text = match crate::params::apply(&text, &changes) {
                Ok(t) => t,
                Err(errs) => {
                    let p = Problem {
                        message: web
                            .frame("", "")
                            .t(
                                "参数有误，无法模拟",
                                "a parameter is wrong; nothing to simulate",
                            )
                            .to_string(),
                        details: errs
                            .into_iter()
                            .map(|e| match lang {
                                Lang::Zh => e.zh,
                                Lang::En => e.en,
                            })
                            .collect(),
                    };
                    return detail_page(&state, &web, id, None, Some(text), None, Some(p)).await;
                }
            };
            match kaohe_policy::load_str(&text, "policy.toml") {
                Ok(p) => (
                    p,
                    web.frame("", "")
                        .t("修改后的制度文本", "the edited text")
                        .to_string(),
                    Some(text),
                ),
                Err(errs) => {
                    let p = Problem {
                        message: match lang {
                            Lang::Zh => format!("制度文本有 {} 处问题，无法模拟", errs.len()),
                            Lang::En => {
                                format!(
                                    "the policy text has {} problem(s); nothing to simulate",
                                    errs.len()
                                )
                            }
                        },
                        details: errs
                            .iter()
                            .map(|e| match lang {
                                Lang::Zh => format!("第{}行第{}列：{}", e.line, e.column, e.zh),
                                Lang::En => {
                                    format!("line {}, column {}: {}", e.line, e.column, e.en)
                                }
                            })
                            .collect(),
                    };
                    return detail_page(&state, &web, id, None, Some(text), None, Some(p)).await;
                }
            }
        }
    };
    match run_whatif(&state, &web, &v.policy_id, variant, against).await {
        Ok(w) => detail_page(&state, &web, id, None, text, Some(w), None).await,
        Err(e) => {
            let p = Problem::from_api(&e, lang);
            detail_page(&state, &web, id, None, text, None, Some(p)).await
        }
    }
}
