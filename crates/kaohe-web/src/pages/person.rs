//! The person page (个人结果页): one person's result in a period — the score broken down to
//! the rule (指标明细与规则编号), a 12-month trend chart (近12个月趋势), line entries and ladder
//! steps (末位记录与阶梯), outcomes with their measures (处理结果) and, for managers, the
//! labour-law requirements of each (法律要件，条款与说明), documents (文书), signatures
//! (签字确认 / 记录拒签) and appeals (申诉, P4.10).
//!
//! `/periods/{id}/me` is the signed-in employee's own page. What is shown comes from the API's
//! `results::person` (which enforces who may see whom: another employee gets 404); the trend
//! reads the same person's effective results in the same policy's earlier periods of the same
//! unit, and only those the caller may see. A termination is never offered as a button.

use crate::charts::{self, Point};
use crate::ctx::{
    date_text, period_text, render, state_text, Frame, Lang, OrPage, PageError, PageResult, Web,
};
use crate::pages::period::{in_line, marks, message, status_text, tr};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use kaohe_engine::display::show;
use kaohe_engine::result::PersonResult;
use kaohe_server::api::{periods, personal, results};
use kaohe_server::auth::Caller;
use kaohe_server::error::{ApiError, ApiResult};
use kaohe_server::{compute, scope, AppState};
use kaohe_store::{AppealRow, DocumentMeta, PeriodRow, SignatureRow};
use serde::Deserialize;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/periods/{id}/me", get(me))
        .route("/periods/{id}/people/{person}", get(page))
        .route("/periods/{id}/people/{person}/sign", post(sign))
        .route("/periods/{id}/appeal", post(appeal))
}

/// An indicator row.
pub struct IndicatorRow {
    /// Name.
    pub name: String,
    /// Rule id.
    pub rule: String,
    /// Value as shown.
    pub value: String,
    /// How it was reached.
    pub explanation: String,
    /// Inputs used.
    pub inputs: String,
}

/// An outcome with its measure and requirements.
pub struct OutcomeRow {
    /// Name.
    pub name: String,
    /// Rule id.
    pub rule: String,
    /// What triggered it.
    pub because: String,
    /// Measure in words.
    pub measure: String,
    /// Legal path in words.
    pub path: String,
    /// Requirements: (article, text).
    pub requires: Vec<(String, String)>,
}

/// An appeal as shown.
pub struct AppealView {
    /// Filed on.
    pub filed: String,
    /// Text.
    pub reason: String,
    /// State in words.
    pub state: String,
    /// Reviewer's note.
    pub note: String,
}

#[derive(Template)]
#[template(path = "person_page.html")]
struct PersonPage {
    frame: Frame,
    id: i64,
    person: String,
    name: String,
    period: String,
    period_state: String,
    own: bool,
    manager: bool,
    published: bool,
    error: Option<String>,
    computed: bool,
    score: String,
    rank: String,
    group: String,
    status: String,
    status_class: &'static str,
    grade: String,
    line: bool,
    marks: Vec<(String, &'static str)>,
    explanation: String,
    indicators: Vec<IndicatorRow>,
    trend: String,
    history: Vec<String>,
    ladder: String,
    outcomes: Vec<OutcomeRow>,
    suggestions: Vec<String>,
    documents: Vec<(i64, String)>,
    signatures: Vec<String>,
    can_sign: bool,
    can_sign_list: bool,
    can_refuse: bool,
    appeals: Vec<AppealView>,
    appeal_open: bool,
    appeal_until: String,
}

/// `?lang` is not needed: the page language decides.
#[derive(Debug, Deserialize, Default)]
pub struct NoQuery {}

async fn me(State(state): State<AppState>, web: Web, Path(id): Path<i64>) -> PageResult {
    let Some(person) = web.caller.user.person_id.clone() else {
        return Err(PageError::from_api(
            ApiError::not_found(
                "您的账号未关联工号，没有本人结果",
                "your account is not linked to a person: no own result",
            ),
            web.lang,
        ));
    };
    person_page(&state, &web, id, &person, None, StatusCode::OK).await
}

async fn page(
    State(state): State<AppState>,
    web: Web,
    Path((id, person)): Path<(i64, String)>,
    Query(_): Query<NoQuery>,
) -> PageResult {
    person_page(&state, &web, id, &person, None, StatusCode::OK).await
}

fn appeal_state(s: &str, lang: Lang) -> String {
    let (zh, en) = match s {
        "filed" => ("已提交，待复核", "filed, awaiting review"),
        "accepted" => (
            "已采纳，待更正后重新公示",
            "accepted; to be corrected and republished",
        ),
        "rejected" => ("已驳回", "rejected"),
        "republished" => ("已采纳，已重新公示", "accepted and republished"),
        other => (other, other),
    };
    tr(lang, zh, en)
}

/// The person's points in the same policy's periods of the same unit, up to this one (the last
/// 12), only those the caller may see: in their scope, or their own once published.
async fn trend_points(
    state: &AppState,
    c: &Caller,
    row: &PeriodRow,
    policy_id: &str,
    person: &str,
    dp: u32,
    lang: Lang,
) -> ApiResult<Vec<Point>> {
    let s = scope::scope(state, c).await?;
    let own = c.user.person_id.as_deref() == Some(person);
    let mut rows = Vec::new();
    for v in state.db.policy_versions(policy_id).await? {
        for p in state.db.periods(v.id).await? {
            if p.unit_id == row.unit_id && p.idx <= row.idx {
                rows.push(p);
            }
        }
    }
    rows.sort_by_key(|p| p.idx);
    let rows = rows.split_off(rows.len().saturating_sub(12));
    let mut out = Vec::new();
    for p in rows {
        if !scope::period_visible(state, c, &p).await? {
            continue;
        }
        let members = compute::members(state, p.id).await?;
        let Some(m) = members.iter().find(|m| m.person.id == person) else {
            continue;
        };
        let published = periods::parse_state(&p.state)
            .map(periods::is_published)
            .unwrap_or(false);
        if !(s.covers(m.unit_id) || (own && published)) {
            continue;
        }
        let Some((_, r)) = compute::effective_result(state, p.id).await? else {
            continue;
        };
        let x = r.people.iter().find(|x| x.id == person);
        out.push(Point {
            label: period_text(&p.label, lang),
            score: x.and_then(|x| x.score),
            shown: x
                .and_then(|x| x.score)
                .map(|v| show(v, dp))
                .unwrap_or_default(),
            in_line: x.is_some_and(in_line),
        });
    }
    Ok(out)
}

/// Render a person's page, with an error from a refused action if any.
pub async fn person_page(
    state: &AppState,
    web: &Web,
    id: i64,
    person: &str,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = web.lang;
    let c = &web.caller;
    let Json(v) = periods::get(State(state.clone()), c.clone(), Path(id))
        .await
        .page(lang)?;
    let Json(j) = results::person(
        State(state.clone()),
        c.clone(),
        Path((id, person.to_string())),
        Query(results::LangQuery {
            lang: Some(if lang == Lang::En { "en" } else { "zh" }.into()),
        }),
    )
    .await
    .map_err(|e| {
        if e.status == StatusCode::NOT_FOUND && c.user.person_id.as_deref() == Some(person) {
            ApiError::not_found(
                "本人结果（本期尚未公示）",
                "your result (not published yet)",
            )
        } else {
            e
        }
    })
    .page(lang)?;
    let (_, policy) = compute::policy(state, v.row.policy_version_id)
        .await
        .page(lang)?;
    let dp = policy.policy.decimals;
    let own = c.user.person_id.as_deref() == Some(person);
    let manager = crate::ctx::Frame::manages(&web.frame("", ""));
    let st = periods::parse_state(&v.row.state).page(lang)?;
    let published = periods::is_published(st);
    let r: Option<PersonResult> = serde_json::from_value(j["result"].clone()).ok();
    let run_id = j["run_id"].as_i64();
    let name = j["person"]["name"].as_str().unwrap_or(person).to_string();
    let signatures: Vec<SignatureRow> =
        serde_json::from_value(j["signatures"].clone()).unwrap_or_default();
    let appeals: Vec<AppealRow> = serde_json::from_value(j["appeals"].clone()).unwrap_or_default();
    let documents: Vec<DocumentMeta> =
        serde_json::from_value(j["documents"].clone()).unwrap_or_default();
    let trend = trend_points(state, c, &v.row, &v.policy_id, person, dp, lang)
        .await
        .page(lang)?;
    let trend_svg = charts::trend(
        &trend,
        &match lang {
            Lang::Zh => format!("{name} 近12个月得分趋势"),
            Lang::En => format!("{name}: score over the last 12 months"),
        },
    );
    let signed = |subject: &str| {
        signatures
            .iter()
            .any(|s| s.subject == subject && s.run_id == run_id)
    };
    let on_list = r.as_ref().is_some_and(|r| {
        r.outcomes
            .iter()
            .any(|o| o.measure == kaohe_policy::model::Measure::EliminationList)
    });
    let list_time = matches!(v.row.state.as_str(), "final" | "measures")
        || v.row.state.starts_with("approvals:");
    let today = state.clock.china_now().date();
    let appeal_until = v.deadlines.appeal_until;
    let appeal_open = own
        && v.row.state == "published"
        && appeal_until.is_some_and(|d| today <= d)
        && !appeals.iter().any(|a| a.state == "filed");
    let (status_words, status_class) = r
        .as_ref()
        .map(|r| status_text(r, lang))
        .unwrap_or_else(|| (tr(lang, "不在本期结果中", "not in this result"), ""));
    let page = PersonPage {
        frame: web.frame(
            &format!("{name} · {}", period_text(&v.row.label, Lang::Zh)),
            &format!("{name} · {}", period_text(&v.row.label, Lang::En)),
        ),
        id,
        person: person.to_string(),
        name: name.clone(),
        period: period_text(&v.row.label, lang),
        period_state: state_text(&v.row.state, lang),
        own,
        manager,
        published,
        error,
        computed: r.is_some(),
        score: r
            .as_ref()
            .and_then(|r| r.score)
            .map(|s| show(s, dp))
            .unwrap_or_else(|| "—".into()),
        rank: r
            .as_ref()
            .and_then(|r| Some(format!("{}/{}", r.rank?, r.group_size?)))
            .unwrap_or_else(|| "—".into()),
        group: r.as_ref().map(|r| r.group.clone()).unwrap_or_default(),
        status: status_words,
        status_class,
        grade: r.as_ref().and_then(|r| r.grade.clone()).unwrap_or_default(),
        line: r.as_ref().is_some_and(in_line),
        marks: r.as_ref().map(|r| marks(r, lang)).unwrap_or_default(),
        explanation: j["explanation"].as_str().unwrap_or("").to_string(),
        indicators: r
            .as_ref()
            .map(|r| {
                r.indicators
                    .iter()
                    .map(|i| IndicatorRow {
                        name: crate::pages::period::indicator_name(&policy, &i.id, &i.name, lang),
                        rule: i.rule.clone().unwrap_or_default(),
                        value: match (&i.label, i.value) {
                            (Some(l), _) => l.clone(),
                            (None, Some(x)) => show(x, dp),
                            (None, None) => "—".into(),
                        },
                        explanation: match lang {
                            Lang::Zh => i.explanation.zh.clone(),
                            Lang::En => i.explanation.en.clone(),
                        },
                        inputs: i
                            .explanation
                            .inputs
                            .iter()
                            .map(|(k, v)| {
                                format!(
                                    "{} = {v}",
                                    kaohe_export::labels::field_name(&policy, k, lang.export())
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("；"),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        trend: trend_svg,
        history: r
            .as_ref()
            .map(|r| {
                r.history
                    .iter()
                    .map(|h| {
                        let rule = h
                            .rule
                            .as_ref()
                            .map(|x| format!("（{x}）"))
                            .unwrap_or_default();
                        // A rule without a rolling window counts 0 in it: say nothing of a
                        // window then, rather than "1 in a row, 0 in the window".
                        match lang {
                            Lang::Zh => format!(
                                "{}{rule}：连续 {} 次{}{}",
                                h.zh,
                                h.consecutive,
                                if h.in_window > 0 {
                                    format!("，滚动窗口内 {} 次", h.in_window)
                                } else {
                                    String::new()
                                },
                                if h.fired { "，本期触发" } else { "" }
                            ),
                            Lang::En => format!(
                                "{}{rule}: {} in a row{}{}",
                                h.en,
                                h.consecutive,
                                if h.in_window > 0 {
                                    format!(", {} in the rolling window", h.in_window)
                                } else {
                                    String::new()
                                },
                                if h.fired { ", fired this period" } else { "" }
                            ),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ladder: r
            .as_ref()
            .and_then(|r| r.ladder.as_ref())
            .map(|l| match lang {
                Lang::Zh => format!(
                    "阶梯计数 {}{}{}",
                    l.count,
                    l.step
                        .map(|s| format!("，已到第 {s} 级"))
                        .unwrap_or_default(),
                    if l.recovered {
                        "，本期已恢复"
                    } else {
                        ""
                    }
                ),
                Lang::En => format!(
                    "ladder count {}{}{}",
                    l.count,
                    l.step
                        .map(|s| format!(", step {s} reached"))
                        .unwrap_or_default(),
                    if l.recovered {
                        ", recovered this period"
                    } else {
                        ""
                    }
                ),
            })
            .unwrap_or_default(),
        outcomes: r
            .as_ref()
            .map(|r| {
                r.outcomes
                    .iter()
                    .map(|o| OutcomeRow {
                        name: match lang {
                            Lang::Zh => o.name.clone(),
                            Lang::En => o.name_en.clone(),
                        },
                        rule: o.rule.clone().unwrap_or_default(),
                        because: kaohe_export::because(&policy, &o.because, lang.export()),
                        measure: kaohe_export::labels::measure(o.measure, lang.export())
                            .to_string(),
                        path: kaohe_export::labels::legal_path(o.legal_path, lang.export())
                            .to_string(),
                        requires: o
                            .requires
                            .iter()
                            .map(|q| {
                                (
                                    q.article.clone(),
                                    match lang {
                                        Lang::Zh => q.zh.clone(),
                                        Lang::En => q.en.clone(),
                                    },
                                )
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        suggestions: r
            .as_ref()
            .map(|r| {
                r.suggestions
                    .iter()
                    .map(|s| match lang {
                        Lang::Zh => s.zh.clone(),
                        Lang::En => s.en.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        documents: documents
            .iter()
            .map(|d| (d.id, format!("{}（{}）", d.title, d.file_name)))
            .collect(),
        signatures: signatures
            .iter()
            .map(|s| {
                let what = if s.subject == "score" {
                    tr(lang, "考核结果", "result")
                } else {
                    tr(lang, "淘汰名单", "elimination list")
                };
                let kind = if s.kind == "signed" {
                    tr(lang, "已签字确认", "signed")
                } else {
                    tr(lang, "拒签（已记录）", "refused (recorded)")
                };
                let note = s
                    .note
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .map(|n| format!("：{n}"))
                    .unwrap_or_default();
                let current = if s.run_id == run_id {
                    String::new()
                } else {
                    tr(
                        lang,
                        "（针对之前的计算结果）",
                        " (on an earlier computation)",
                    )
                };
                format!(
                    "{} {what} {kind}{note}{current}",
                    crate::ctx::day_text(s.at, lang)
                )
            })
            .collect(),
        can_sign: own && published && r.is_some() && !signed("score"),
        can_sign_list: own && on_list && list_time && !signed("elimination_list"),
        can_refuse: manager && !own && published && r.is_some(),
        appeals: appeals
            .iter()
            .map(|a| AppealView {
                filed: crate::ctx::day_text(a.filed_at, lang),
                reason: a.reason.clone(),
                state: appeal_state(&a.state, lang),
                note: a.decision_note.clone().unwrap_or_default(),
            })
            .collect(),
        appeal_open,
        appeal_until: appeal_until.map(|d| date_text(d, lang)).unwrap_or_default(),
    };
    Ok((status, render(&page)).into_response())
}

fn back(web: &Web, id: i64, person: &str) -> String {
    if web.caller.user.person_id.as_deref() == Some(person) {
        format!("/periods/{id}/me")
    } else {
        format!("/periods/{id}/people/{}", crate::ctx::encode(person))
    }
}

/// The sign / refusal form.
#[derive(Debug, Deserialize)]
pub struct SignForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// `score` or `elimination_list`.
    pub subject: String,
    /// `signed` or `refused`.
    pub kind: String,
    /// Note (a refusal needs one).
    #[serde(default)]
    pub note: Option<String>,
}

async fn sign(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path((id, person)): Path<(i64, String)>,
    Form(f): Form<SignForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let req = personal::SignRequest {
        person: person.clone(),
        subject: f.subject,
        kind: f.kind,
        note: f.note.filter(|n| !n.trim().is_empty()),
    };
    match personal::sign(
        State(state.clone()),
        web.caller.clone(),
        Path(id),
        Json(req),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&back(&web, id, &person)).into_response()),
        Err(e) => {
            let status = e.status;
            person_page(
                &state,
                &web,
                id,
                &person,
                Some(message(&PageError::from_api(e, web.lang))),
                status,
            )
            .await
        }
    }
}

/// The appeal form.
#[derive(Debug, Deserialize)]
pub struct AppealForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// 申诉理由.
    pub reason: String,
}

async fn appeal(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<AppealForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let me = web.caller.user.person_id.clone().unwrap_or_default();
    let req = personal::AppealRequest { reason: f.reason };
    match personal::file_appeal(
        State(state.clone()),
        web.caller.clone(),
        Path(id),
        Json(req),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/periods/{id}/me#appeals")).into_response()),
        Err(e) => {
            let status = e.status;
            let msg = message(&PageError::from_api(e, web.lang));
            if me.is_empty() {
                return Err(PageError {
                    status,
                    zh: msg.clone(),
                    en: msg,
                    lang: web.lang,
                });
            }
            person_page(&state, &web, id, &me, Some(msg), status).await
        }
    }
}
