//! The onboarding cohort board (入职考核看板, P3): for a period whose policy assesses by gates
//! (关卡), one row per trainee and one column per gate. Each gate fails on its own (P3.3: every
//! failure is listed, not only the first); a cell says 通过 / 未通过 / 记录 (a gate that only
//! records, e.g. P3.2's first warning) / 待定 (data missing), with the reason and rule id in its
//! `title` and, for a phone, in the text of the last column. The per-day series (每日电话量) is
//! shown day by day with the days below the threshold marked, as the result carries it.
//!
//! The overall outcome is 通过 / 未通过入职考核. A failure happens in probation: the page says
//! that it needs the hiring conditions made known beforehand and a written reason listing each
//! failed gate (劳动合同法第21条、第39条第1项), decided by a person — never a termination as an
//! automatic outcome (LABOUR-LAW.md).
//!
//! Data comes only through the API: `periods::get` (the period, 404 outside the caller's scope),
//! `results::results` (the ranking limited to the caller's scope, for the roles that read
//! rankings) and, for an employee, `results::person` (their own row, once published). The
//! helpers here ([`seen`], [`cond_text`], [`BoardKind`]) are shared with the promotion round
//! (`pages::promotion`). `GET /periods/{id}/boards` is the small fragment the period page loads
//! (htmx) to link to the board that fits its policy.

use crate::ctx::{
    period_text, render, state_text, Frame, Lang, OrPage, PageError, PageResult, Web,
};
use crate::pages::period::tr;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use kaohe_engine::display::show;
use kaohe_engine::result::{DataError, GroupResult, PersonResult, Status};
use kaohe_policy::model::{Cond, InputType, Op};
use kaohe_policy::Policy;
use kaohe_server::api::{periods, results};
use kaohe_server::error::ApiError;
use kaohe_server::{compute, AppState};
use serde::Deserialize;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/periods/{id}/onboarding", get(page))
        .route("/periods/{id}/boards", get(boards))
}

// ------------------------------------------------------------------ shared with promotion

/// Which board a policy has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoardKind {
    /// Gates (P3): the onboarding cohort board.
    Onboarding,
    /// Level changes (P5): the promotion round.
    Promotion,
}

impl BoardKind {
    /// The boards that fit a policy.
    pub fn of(policy: &Policy) -> Vec<BoardKind> {
        let mut out = Vec::new();
        if !policy.gates.is_empty() {
            out.push(BoardKind::Onboarding);
        }
        if policy
            .levels
            .as_ref()
            .is_some_and(|l| !l.changes.is_empty())
        {
            out.push(BoardKind::Promotion);
        }
        out
    }
}

/// The part of a period's result the caller may see.
pub struct Seen {
    /// People in scope (or only the caller, for an employee).
    pub people: Vec<PersonResult>,
    /// Their groups.
    pub groups: Vec<GroupResult>,
    /// Data errors of people in scope.
    pub data_errors: Vec<DataError>,
    /// When it was computed (China time), if known.
    pub computed_at: String,
    /// Only the caller's own row (employee view).
    pub own_only: bool,
}

/// Why nothing is shown.
pub enum Unseen {
    /// Not computed yet.
    NotComputed,
    /// The caller's own result is not published (or not in this period).
    NotPublished,
    /// The role reads no results and has no own row.
    NoRole,
}

/// The result in the caller's scope, through the API: `results::results` for the roles that
/// read rankings (already limited to their subtree), `results::person` for the caller's own row
/// otherwise (published results only).
pub async fn seen(state: &AppState, web: &Web, id: i64) -> Result<Result<Seen, Unseen>, PageError> {
    let lang = web.lang;
    if results::READERS.contains(&web.caller.role) {
        let resp = match results::results(
            State(state.clone()),
            web.caller.clone(),
            Path(id),
            Query(results::ViewQuery::default()),
        )
        .await
        {
            Ok(r) => r,
            Err(e) if e.status == StatusCode::NOT_FOUND => return Ok(Err(Unseen::NotComputed)),
            Err(e) => return Err(PageError::from_api(e, lang)),
        };
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .map_err(ApiError::internal)
            .page(lang)?;
        let j: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(ApiError::internal)
            .page(lang)?;
        let r: kaohe_engine::PeriodResult = serde_json::from_value(j["result"].clone())
            .map_err(ApiError::internal)
            .page(lang)?;
        let computed_at = crate::ctx::json_time_text(&j["computed_at"], lang);
        return Ok(Ok(Seen {
            people: r.people,
            groups: r.groups,
            data_errors: r.data_errors,
            computed_at,
            own_only: false,
        }));
    }
    let Some(me) = web.caller.user.person_id.clone() else {
        return Ok(Err(Unseen::NoRole));
    };
    let j = match results::person(
        State(state.clone()),
        web.caller.clone(),
        Path((id, me)),
        Query(results::LangQuery { lang: None }),
    )
    .await
    {
        Ok(Json(j)) => j,
        Err(e) if e.status == StatusCode::NOT_FOUND => return Ok(Err(Unseen::NotPublished)),
        Err(e) => return Err(PageError::from_api(e, lang)),
    };
    let person: Option<PersonResult> = serde_json::from_value(j["result"].clone()).ok();
    let group: Option<GroupResult> = serde_json::from_value(j["group"].clone()).ok();
    match person {
        Some(p) => Ok(Ok(Seen {
            people: vec![p],
            groups: group.into_iter().collect(),
            data_errors: Vec::new(),
            computed_at: String::new(),
            own_only: true,
        })),
        None => Ok(Err(Unseen::NotPublished)),
    }
}

/// The empty-state text of an [`Unseen`].
pub fn unseen_text(u: &Unseen, lang: Lang) -> String {
    match u {
        Unseen::NotComputed => tr(
            lang,
            "本期尚未计算。导入花名册和考核数据后在期间页点“计算”。",
            "Not computed yet. Import the roster and the figures, then press Compute on the period page.",
        ),
        Unseen::NotPublished => tr(
            lang,
            "您的结果尚未公示。公示后可在此查看本人的结果。",
            "Your result is not published yet; once it is, you will see it here.",
        ),
        Unseen::NoRole => tr(
            lang,
            "您的角色不查看本期结果。",
            "Your role does not see this period's results.",
        ),
    }
}

/// The link to a person's page (their own page for the caller).
pub fn person_href(web: &Web, period: i64, person: &str) -> String {
    if web.caller.user.person_id.as_deref() == Some(person) {
        format!("/periods/{period}/me")
    } else {
        format!("/periods/{period}/people/{}", crate::ctx::encode(person))
    }
}

/// A name of the policy (input, indicator, roster field or built-in) in the page's language.
pub fn var_name(policy: &Policy, var: &str, lang: Lang) -> String {
    if let Some(i) = policy.indicators.iter().find(|i| i.id == var) {
        return match lang {
            Lang::Zh => i.name.clone(),
            Lang::En => i.name_en.clone().unwrap_or_else(|| i.name.clone()),
        };
    }
    if let Some(i) = policy.inputs.iter().find(|i| i.id == var) {
        return match lang {
            Lang::Zh => i.name.clone(),
            Lang::En => i.name_en.clone().unwrap_or_else(|| i.name.clone()),
        };
    }
    let (zh, en) = match var {
        "rank" => ("组内名次", "rank in group"),
        "group_size" => ("组内人数", "group size"),
        "rank_percent" => ("组内排名百分比", "rank % in group"),
        "periods_at_level" => ("任本级期数", "periods at level"),
        "tenure_months" => ("司龄（月）", "months of service"),
        "post" => ("岗位", "post"),
        "level" => ("级别", "level"),
        "status" => ("状态", "status"),
        "branch" => ("分公司", "branch"),
        "department" => ("部门", "department"),
        "region" => ("区域", "region"),
        _ => (var, var),
    };
    tr(lang, zh, en)
}

/// A condition in words, e.g. `技能测试通过：是；且 任本级期数 ≥ 1`.
pub fn cond_text(c: &Cond, policy: &Policy, lang: Lang) -> String {
    let join = |cs: &[Cond], zh: &str, en: &str| {
        cs.iter()
            .map(|x| {
                let t = cond_text(x, policy, lang);
                if x.all.is_some() || x.any.is_some() || x.of.is_some() {
                    format!("（{t}）")
                } else {
                    t
                }
            })
            .collect::<Vec<_>>()
            .join(match lang {
                Lang::Zh => zh,
                Lang::En => en,
            })
    };
    if let Some(all) = &c.all {
        return join(all, "，且 ", "; and ");
    }
    if let Some(any) = &c.any {
        return join(any, "，或 ", "; or ");
    }
    if let Some(not) = &c.not {
        return match lang {
            Lang::Zh => format!("并非（{}）", cond_text(not, policy, lang)),
            Lang::En => format!("not ({})", cond_text(not, policy, lang)),
        };
    }
    if let Some(of) = &c.of {
        let k = c.at_least.unwrap_or(1);
        let mandatory = c
            .mandatory
            .as_deref()
            .filter(|m| !m.is_empty())
            .map(|m| match lang {
                Lang::Zh => format!("必须：{}；", join(m, "，且 ", "")),
                Lang::En => format!("must: {}; ", join(m, "", "; and ")),
            })
            .unwrap_or_default();
        return match lang {
            Lang::Zh => format!(
                "{mandatory}另需以下 {} 项中至少 {k} 项：{}",
                of.len(),
                join(of, "；", "")
            ),
            Lang::En => format!(
                "{mandatory}plus at least {k} of these {}: {}",
                of.len(),
                join(of, "", "; ")
            ),
        };
    }
    if let Some(e) = &c.expr {
        return e.clone();
    }
    let Some(var) = &c.var else {
        return String::new();
    };
    let name = var_name(policy, var, lang);
    let rhs = match (&c.value, &c.other) {
        (Some(v), _) => v.value().normalize().to_string(),
        (None, Some(o)) => var_name(policy, o, lang),
        _ => String::new(),
    };
    let yes = tr(lang, "是", "yes");
    let no = tr(lang, "否", "no");
    match c.op {
        Some(Op::Lt) => format!("{name} < {rhs}"),
        Some(Op::Le) => format!("{name} ≤ {rhs}"),
        Some(Op::Gt) => format!("{name} > {rhs}"),
        Some(Op::Ge) => format!("{name} ≥ {rhs}"),
        Some(Op::Eq) => format!("{name} = {rhs}"),
        Some(Op::Ne) => format!("{name} ≠ {rhs}"),
        Some(Op::IsTrue) => format!("{name}：{yes}"),
        Some(Op::IsFalse) => format!("{name}：{no}"),
        Some(op @ (Op::In | Op::NotIn)) => {
            let vals = c.values.clone().unwrap_or_default().join("、");
            match (op == Op::In, lang) {
                (true, Lang::Zh) => format!("{name}属于 {vals}"),
                (false, Lang::Zh) => format!("{name}不属于 {vals}"),
                (true, Lang::En) => format!("{name} is one of {vals}"),
                (false, Lang::En) => format!("{name} is none of {vals}"),
            }
        }
        Some(Op::Present) => match lang {
            Lang::Zh => format!("{name}已填写"),
            Lang::En => format!("{name} is present"),
        },
        Some(Op::Missing) => match lang {
            Lang::Zh => format!("{name}未填写"),
            Lang::En => format!("{name} is missing"),
        },
        None => name,
    }
}

/// An indicator's value as shown (label, or the number with the policy's decimals).
pub fn indicator_value(p: &PersonResult, id: &str, dp: u32) -> Option<String> {
    let i = p.indicators.iter().find(|i| i.id == id)?;
    match (&i.label, i.value) {
        (Some(l), _) => Some(l.clone()),
        (None, Some(v)) => Some(show(v, dp)),
        (None, None) => None,
    }
}

/// `（P3.3）` / ` (P3.3)` for an optional rule id.
pub fn rule_tag(rule: Option<&str>, lang: Lang) -> String {
    match (rule, lang) {
        (Some(r), Lang::Zh) => format!("（{r}）"),
        (Some(r), Lang::En) => format!(" ({r})"),
        (None, _) => String::new(),
    }
}

/// The fragment the period page loads: links to the boards its policy has (nothing otherwise,
/// and nothing when the caller may not see the period).
async fn boards(
    State(state): State<AppState>,
    web: Result<Web, axum::response::Response>,
    Path(id): Path<i64>,
) -> Html<String> {
    // Signed out meanwhile: no links (not the sign-in page inside the period page).
    let Ok(web) = web else {
        return Html(String::new());
    };
    let Ok(Json(v)) = periods::get(State(state.clone()), web.caller.clone(), Path(id)).await else {
        return Html(String::new());
    };
    let Ok((_, policy)) = compute::policy(&state, v.row.policy_version_id).await else {
        return Html(String::new());
    };
    let links: Vec<String> = BoardKind::of(&policy)
        .into_iter()
        .map(|k| match k {
            BoardKind::Onboarding => format!(
                "<a class=\"pc-board-link\" href=\"/periods/{id}/onboarding\">{}</a>",
                tr(web.lang, "入职考核看板", "Onboarding cohort board")
            ),
            BoardKind::Promotion => format!(
                "<a class=\"pc-board-link\" href=\"/periods/{id}/promotion\">{}</a>",
                tr(web.lang, "晋升评定", "Promotion round")
            ),
        })
        .collect();
    Html(links.join(" "))
}

// ------------------------------------------------------------------ the onboarding board

/// A gate column.
pub struct GateCol {
    /// Gate id.
    pub id: String,
    /// Name in the page's language.
    pub name: String,
    /// Rule id.
    pub rule: String,
    /// What fails it, in words.
    pub fails_when: String,
    /// Whether failing it fails the onboarding (false: only recorded, e.g. P3.2's first warning).
    pub eliminates: bool,
}

/// One cell: a trainee at a gate.
pub struct GateCell {
    /// `ok`, `bad`, `warn` or `pending`.
    pub class: &'static str,
    /// ✓ / ✗ / ! / ?
    pub mark: &'static str,
    /// 通过 / 未通过 / 记录 / 待定.
    pub word: String,
    /// The value the gate looks at, if the result carries it (e.g. the exam score).
    pub value: String,
    /// The reason with the rule id (the cell's title).
    pub title: String,
    /// Sort key: 0 failed, 1 recorded, 2 pending, 3 passed.
    pub sort: u8,
}

/// One day of a per-day series.
pub struct Day {
    /// Value as shown.
    pub value: String,
    /// Below the threshold.
    pub low: bool,
}

/// A per-day series column.
pub struct SeriesCol {
    /// Name.
    pub name: String,
    /// Threshold in words, e.g. `低于10为不足`.
    pub note: String,
}

/// One trainee.
pub struct TraineeRow {
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// Their page.
    pub href: String,
    /// One cell per gate.
    pub cells: Vec<GateCell>,
    /// Per series column: the days and how many are below.
    pub series: Vec<(Vec<Day>, usize)>,
    /// Overall outcome in words.
    pub outcome: String,
    /// Badge class.
    pub outcome_class: &'static str,
    /// Sort key of the outcome: 0 failed, 1 pending, 2 passed with a record, 3 passed.
    pub outcome_sort: u8,
    /// Number of eliminating gates failed.
    pub failed: usize,
    /// Every failed or recorded gate in words with its rule id (for a phone, and for print).
    pub reasons: Vec<(String, &'static str)>,
    /// Measures the outcomes name, with their rule ids.
    pub measures: Vec<String>,
}

#[derive(Template)]
#[template(path = "onboarding_board.html")]
struct OnboardingPage {
    frame: Frame,
    id: i64,
    label: String,
    policy: String,
    state: String,
    computed_at: String,
    applies: bool,
    note: Option<String>,
    own_only: bool,
    manager: bool,
    gates: Vec<GateCol>,
    series: Vec<SeriesCol>,
    rows: Vec<TraineeRow>,
    cohort: usize,
    passing: usize,
    failing: usize,
    pending: usize,
    data_errors: Vec<String>,
    filter: String,
}

/// `?show=failed|passed|pending` (every trainee without it).
#[derive(Debug, Deserialize, Default)]
pub struct BoardQuery {
    /// Which trainees to list.
    #[serde(default)]
    pub show: Option<String>,
}

/// Where a person stands at one gate.
fn gate_cell(
    gate: &kaohe_policy::model::Gate,
    p: &PersonResult,
    policy: &Policy,
    dp: u32,
    lang: Lang,
) -> GateCell {
    let name = match lang {
        Lang::Zh => gate.name.clone(),
        Lang::En => gate.name_en.clone().unwrap_or_else(|| gate.name.clone()),
    };
    let rule = rule_tag(gate.rule.as_deref(), lang);
    let var = gate.fails_when.var.as_deref().unwrap_or("");
    // A count of days is a whole number; other values use the policy's decimals.
    let counts = policy
        .indicators
        .iter()
        .any(|i| i.id == var && i.count_below.is_some());
    let value = indicator_value(p, var, if counts { 0 } else { dp }).unwrap_or_default();
    let seen_value = if value.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("；{} = {value}", var_name(policy, var, lang)),
            Lang::En => format!("; {} = {value}", var_name(policy, var, lang)),
        }
    };
    let fails = cond_text(&gate.fails_when, policy, lang);
    let hit = p.gates_failed.iter().find(|r| r.id == gate.id);
    let decided = matches!(p.status, Status::Passed | Status::Failed);
    let (class, mark, word, sort) = match (hit, gate.eliminates, decided) {
        (Some(_), true, _) => ("bad", "✗", tr(lang, "未通过", "failed"), 0),
        (Some(_), false, _) => ("warn", "!", tr(lang, "记录", "recorded"), 1),
        (None, _, true) => ("ok", "✓", tr(lang, "通过", "passed"), 3),
        (None, _, false) => ("pending", "?", tr(lang, "待定", "pending"), 2),
    };
    let head = match hit {
        Some(r) => match lang {
            Lang::Zh => r.zh.clone(),
            Lang::En => r.en.clone(),
        },
        None => match lang {
            Lang::Zh => format!("{word}：{name}"),
            Lang::En => format!("{word}: {name}"),
        },
    };
    let title = match lang {
        Lang::Zh => format!("{head}{rule}{seen_value}；未通过条件：{fails}"),
        Lang::En => format!("{head}{rule}{seen_value}; fails when: {fails}"),
    };
    GateCell {
        class,
        mark,
        word,
        value,
        title,
        sort,
    }
}

/// Series inputs with the threshold a `count_below` indicator compares them with.
fn series_inputs(
    policy: &Policy,
) -> Vec<(&kaohe_policy::model::Input, Option<rust_decimal::Decimal>)> {
    policy
        .inputs
        .iter()
        .filter(|i| i.kind == InputType::Series)
        .map(|i| {
            let below = policy.indicators.iter().find_map(|ind| {
                ind.count_below
                    .as_ref()
                    .filter(|c| c.input == i.id)
                    .map(|c| c.below.value())
            });
            (i, below)
        })
        .collect()
}

/// The days of a series as the result's explanations carry them (`12,11,10,13,10`).
fn days(p: &PersonResult, input: &str, below: Option<rust_decimal::Decimal>, dp: u32) -> Vec<Day> {
    let text = p
        .indicators
        .iter()
        .flat_map(|i| i.explanation.inputs.iter())
        .find(|(k, _)| k == input)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| match t.parse::<rust_decimal::Decimal>() {
            Ok(d) => Day {
                value: if d.fract().is_zero() {
                    d.trunc().to_string()
                } else {
                    show(d, dp)
                },
                low: below.is_some_and(|b| d < b),
            },
            Err(_) => Day {
                value: t.to_string(),
                low: false,
            },
        })
        .collect()
}

fn trainee_row(web: &Web, id: i64, p: &PersonResult, policy: &Policy, dp: u32) -> TraineeRow {
    let lang = web.lang;
    let cells: Vec<GateCell> = policy
        .gates
        .iter()
        .map(|g| gate_cell(g, p, policy, dp, lang))
        .collect();
    let series = series_inputs(policy)
        .into_iter()
        .map(|(i, below)| {
            let d = days(p, &i.id, below, dp);
            let low = d.iter().filter(|x| x.low).count();
            (d, low)
        })
        .collect();
    let failed = cells.iter().filter(|c| c.sort == 0).count();
    let recorded = cells.iter().any(|c| c.sort == 1);
    let (outcome, outcome_class, outcome_sort) = match p.status {
        Status::Failed => (tr(lang, "未通过入职考核", "failed onboarding"), "bad", 0),
        Status::Passed if recorded => (
            tr(lang, "通过（有记录）", "passed (with a record)"),
            "ok",
            2,
        ),
        Status::Passed => (tr(lang, "通过入职考核", "passed onboarding"), "ok", 3),
        Status::NeedsData => (tr(lang, "数据待补", "data missing"), "warn", 1),
        Status::Absent => (tr(lang, "未参加考核", "not assessed"), "warn", 1),
        Status::NewHire => (tr(lang, "新人不计", "new hire, not counted"), "", 1),
        Status::NotCovered => (tr(lang, "不在考核范围", "not covered"), "", 1),
        _ => {
            let (t, c) = crate::pages::period::status_text(p, lang);
            (t, c, 1)
        }
    };
    let reasons = p
        .gates_failed
        .iter()
        .map(|r| {
            let elim = policy
                .gates
                .iter()
                .find(|g| g.id == r.id)
                .is_none_or(|g| g.eliminates);
            let text = match lang {
                Lang::Zh => format!("{}{}", r.zh, rule_tag(r.rule.as_deref(), lang)),
                Lang::En => format!("{}{}", r.en, rule_tag(r.rule.as_deref(), lang)),
            };
            (text, if elim { "bad" } else { "warn" })
        })
        .collect();
    let measures = p
        .outcomes
        .iter()
        .map(|o| {
            let name = match lang {
                Lang::Zh => o.name.clone(),
                Lang::En => o.name_en.clone(),
            };
            format!("{name}{}", rule_tag(o.rule.as_deref(), lang))
        })
        .fold(Vec::new(), |mut acc: Vec<String>, m| {
            // One outcome per failed gate: the same measure once.
            if !acc.contains(&m) {
                acc.push(m);
            }
            acc
        });
    TraineeRow {
        id: p.id.clone(),
        name: p.name.clone(),
        href: person_href(web, id, &p.id),
        cells,
        series,
        outcome,
        outcome_class,
        outcome_sort,
        failed,
        reasons,
        measures,
    }
}

async fn page(
    State(state): State<AppState>,
    web: Web,
    Path(id): Path<i64>,
    Query(q): Query<BoardQuery>,
) -> PageResult {
    let lang = web.lang;
    let names = crate::ctx::Names::load(&state).await;
    let Json(v) = periods::get(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .page(lang)?;
    let (_, policy) = compute::policy(&state, v.row.policy_version_id)
        .await
        .page(lang)?;
    let dp = policy.policy.decimals;
    let applies = !policy.gates.is_empty();
    let gates: Vec<GateCol> = policy
        .gates
        .iter()
        .map(|g| GateCol {
            id: g.id.clone(),
            name: match lang {
                Lang::Zh => g.name.clone(),
                Lang::En => g.name_en.clone().unwrap_or_else(|| g.name.clone()),
            },
            rule: g.rule.clone().unwrap_or_default(),
            fails_when: cond_text(&g.fails_when, &policy, lang),
            eliminates: g.eliminates,
        })
        .collect();
    let series: Vec<SeriesCol> = series_inputs(&policy)
        .into_iter()
        .map(|(i, below)| SeriesCol {
            name: match lang {
                Lang::Zh => i.name.clone(),
                Lang::En => i.name_en.clone().unwrap_or_else(|| i.name.clone()),
            },
            note: below
                .map(|b| match lang {
                    Lang::Zh => format!("红色为低于{}的天", b.normalize()),
                    Lang::En => format!("red: days below {}", b.normalize()),
                })
                .unwrap_or_default(),
        })
        .collect();
    let mut rows = Vec::new();
    let mut note = None;
    let mut computed_at = String::new();
    let mut own_only = false;
    let mut data_errors = Vec::new();
    if !applies {
        note = Some(tr(
            lang,
            "本期制度没有入职考核关卡（P3），不适用此看板。",
            "This period's policy has no onboarding gates (P3); the board does not apply.",
        ));
    } else {
        match seen(&state, &web, id).await? {
            Ok(s) => {
                computed_at = s.computed_at;
                own_only = s.own_only;
                data_errors = s
                    .data_errors
                    .iter()
                    .map(|e| match lang {
                        Lang::Zh => format!("{}：{}", e.person, e.zh),
                        Lang::En => format!("{}: {}", e.person, e.en),
                    })
                    .collect();
                rows = s
                    .people
                    .iter()
                    .filter(|p| p.status != Status::NotCovered)
                    .map(|p| trainee_row(&web, id, p, &policy, dp))
                    .collect();
                if rows.is_empty() {
                    note = Some(tr(
                        lang,
                        "您的范围内没有本期学员。",
                        "Nobody of this cohort is in your scope.",
                    ));
                }
            }
            Err(u) => note = Some(unseen_text(&u, lang)),
        }
    }
    let cohort = rows.len();
    let passing = rows.iter().filter(|r| r.outcome_sort >= 2).count();
    let failing = rows.iter().filter(|r| r.outcome_sort == 0).count();
    let pending = rows.iter().filter(|r| r.outcome_sort == 1).count();
    let filter = q.show.unwrap_or_default();
    match filter.as_str() {
        "failed" => rows.retain(|r| r.outcome_sort == 0),
        "passed" => rows.retain(|r| r.outcome_sort >= 2),
        "pending" => rows.retain(|r| r.outcome_sort == 1),
        _ => {}
    }
    if cohort > 0 && rows.is_empty() {
        note = Some(tr(
            lang,
            "没有符合筛选条件的学员。",
            "No trainee matches the filter.",
        ));
    }
    let page = OnboardingPage {
        frame: web.frame(
            &format!("{} 入职考核看板", period_text(&v.row.label, Lang::Zh)),
            &format!("Onboarding cohort {}", period_text(&v.row.label, Lang::En)),
        ),
        id,
        label: period_text(&v.row.label, lang),
        policy: names.period(&v.row, lang),
        state: state_text(&v.row.state, lang),
        computed_at,
        applies,
        note,
        own_only,
        manager: web.frame("", "").manages(),
        gates,
        series,
        rows,
        cohort,
        passing,
        failing,
        pending,
        data_errors,
        filter,
    };
    Ok(render(&page))
}
