//! The period page (考核期间) and the publication (公示): state, deadlines and overdue steps,
//! the cycle steps the caller's role may take (计算、公示、定稿、处理措施、提交审批、审批), the
//! ranking per group with the line (末位线), exemptions (豁免), vetoes (否决), history marks
//! (连续第2个月…), ties awaiting a decision (并列裁决, P7.6) and a score-distribution chart per
//! group; letters (文书) once the measures have started.
//!
//! Every action calls the API's handler (`periods::transition`, `measures::decide_tie`,
//! `measures::letters`), which checks roles, scope and the cycle; a refusal (e.g. 409 for a
//! stale version) is shown on the page in words.

use crate::charts::{self, Dot};
use crate::ctx::{
    date_text, period_text, render, state_text, Frame, Lang, OrPage, PageError, PageResult, Web,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use kaohe_engine::display::show;
use kaohe_engine::result::{LinePosition, LineState, PersonResult, Status};
use kaohe_engine::PeriodResult;
use kaohe_process::cycle::{self, Action, CycleContext, CycleError};
use kaohe_process::role::{policy_chain, Role};
use kaohe_server::api::{measures, periods, personal, results};
use kaohe_server::compute;
use kaohe_server::AppState;
use serde::Deserialize;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/periods/{id}", get(page))
        .route("/periods/{id}/transition", post(transition))
        .route("/periods/{id}/letters", post(letters))
        .route("/periods/{id}/ties", post(tie))
        .route("/periods/{id}/publication", get(publication))
}

/// The message of a page error in the page's language.
pub fn message(e: &PageError) -> String {
    match e.lang {
        Lang::Zh => e.zh.clone(),
        Lang::En => e.en.clone(),
    }
}

/// Pick by language.
pub fn tr(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// A person's status and line position in words, with a badge class.
pub fn status_text(p: &PersonResult, lang: Lang) -> (String, &'static str) {
    let (zh, en, class) = match (p.status, p.line) {
        (Status::Vetoed, _) => ("否决", "vetoed", "bad"),
        (_, LinePosition::VetoPlace) => ("末位（否决占位）", "in the line (veto place)", "bad"),
        (_, LinePosition::InLine) => ("进入末位线", "in the line", "bad"),
        (_, LinePosition::TiePending) => ("并列待裁决", "tie awaiting a decision", "warn"),
        (_, LinePosition::Fallback) => ("兜底措施", "fallback measure", "warn"),
        (Status::Exempt, _) => ("豁免", "exempt", "ok"),
        (Status::Ranked, _) => ("正常", "ranked", ""),
        (Status::NewHire, _) => ("新人不计", "new hire, not counted", ""),
        (Status::Absent, _) => ("未参加考核", "not assessed", ""),
        (Status::NeedsData, _) => ("数据待补", "data missing", "warn"),
        (Status::NotCovered, _) => ("不在考核范围", "not covered", ""),
        (Status::Passed, _) => ("通过", "passed", "ok"),
        (Status::Failed, _) => ("未通过", "failed", "bad"),
    };
    (tr(lang, zh, en), class)
}

/// Whether a person is on the far side of the line.
pub fn in_line(p: &PersonResult) -> bool {
    matches!(
        p.line,
        LinePosition::InLine | LinePosition::VetoPlace | LinePosition::TiePending
    )
}

/// A cycle step as a button.
pub struct ActionButton {
    /// Action code posted.
    pub code: &'static str,
    /// Label.
    pub label: String,
    /// Needs a reason field (reject, amend).
    pub reason: bool,
    /// Shown as a warning button.
    pub danger: bool,
}

/// The actions a page may offer, in cycle order.
const ACTIONS: &[(&str, &str, &str)] = &[
    ("start_collecting", "开始收集数据", "Start collecting"),
    ("compute", "计算", "Compute"),
    ("reopen_collecting", "退回收集", "Back to collecting"),
    ("publish", "公示", "Publish"),
    ("finalize", "定稿", "Finalize"),
    ("start_measures", "进入处理措施", "Start measures"),
    ("submit_for_approval", "提交审批", "Submit for approval"),
    ("approve", "审批通过", "Approve"),
    ("reject", "退回", "Reject"),
    ("close", "关闭", "Close"),
    ("amend", "更正结果", "Amend the result"),
];

/// An action from its form code.
pub fn action_of(code: &str, reason: &str) -> Option<Action> {
    Some(match code {
        "start_collecting" => Action::StartCollecting,
        "compute" => Action::Compute,
        "reopen_collecting" => Action::ReopenCollecting,
        "publish" => Action::Publish,
        "finalize" => Action::Finalize,
        "start_measures" => Action::StartMeasures,
        "submit_for_approval" => Action::SubmitForApproval,
        "approve" => Action::Approve,
        "reject" => Action::Reject {
            reason: reason.to_string(),
        },
        "close" => Action::Close,
        "amend" => Action::Amend {
            reason: reason.to_string(),
        },
        _ => return None,
    })
}

/// The steps the role may take from this state: asks the cycle itself with every guard
/// satisfied (a guard that fails later is answered by the server in words).
pub fn offered(state: &str, role: Role, chain: &[Role], lang: Lang) -> Vec<ActionButton> {
    let Ok(st) = periods::parse_state(state) else {
        return Vec::new();
    };
    let ctx = CycleContext {
        now: chrono::NaiveDate::from_ymd_opt(2100, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default(),
        has_result: true,
        ties_pending: 0,
        appeal_deadline: chrono::NaiveDate::from_ymd_opt(2000, 1, 1),
        open_appeals: 0,
        signatures_missing: 0,
        measure_signatures_missing: 0,
        approval_chain: chain,
    };
    ACTIONS
        .iter()
        .filter_map(|(code, zh, en)| {
            let a = action_of(code, "x")?;
            match cycle::transition(st, &a, role, &ctx) {
                // Closing past an approval chain is never possible: no button for it (a
                // second blue button next to 提交审批 read as a way round the approvals).
                Err(CycleError::Guard {
                    guard: cycle::Guard::ApprovalChainPending,
                    ..
                }) => None,
                Ok(_) | Err(CycleError::Guard { .. }) => Some(ActionButton {
                    code,
                    label: tr(lang, zh, en),
                    reason: matches!(a, Action::Reject { .. } | Action::Amend { .. }),
                    danger: matches!(a, Action::Reject { .. } | Action::Amend { .. }),
                }),
                Err(_) => None,
            }
        })
        .collect()
}

/// The policy's approval chain as roles.
pub fn chain_of(policy: &kaohe_policy::Policy) -> Vec<Role> {
    policy_chain(&policy.process).unwrap_or_default()
}

/// One row of the ranking.
pub struct RankRow {
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// Rank as shown ("—" when unranked).
    pub rank: String,
    /// Rank for sorting.
    pub rank_sort: String,
    /// Score as shown.
    pub score: String,
    /// Exact score for sorting.
    pub score_sort: String,
    /// Indicator values as shown.
    pub indicators: Vec<String>,
    /// Status words.
    pub status: String,
    /// Badge class.
    pub status_class: &'static str,
    /// In the line.
    pub line: bool,
    /// First row in the line (the line is drawn above it).
    pub line_mark: bool,
    /// Exemptions, vetoes and history marks in words.
    pub marks: Vec<(String, &'static str)>,
}

/// A tie awaiting a decision.
pub struct TieView {
    /// Group key.
    pub group: String,
    /// Places to fill.
    pub slots: u32,
    /// (id, name) of the candidates.
    pub candidates: Vec<(String, String)>,
    /// The tied score.
    pub score: String,
    /// Rule id.
    pub rule: String,
}

/// One ranking group.
pub struct GroupView {
    /// Key.
    pub key: String,
    /// How the line was drawn, in words.
    pub line_state: String,
    /// The group's line note.
    pub note: String,
    /// Header of the score column: the name of the indicator the policy ranks by (e.g.
    /// 考核总分), or 得分 / Score when it ranks by something else.
    pub score_head: String,
    /// Indicator names (columns), without the one the score already shows.
    pub indicators: Vec<String>,
    /// Rows.
    pub rows: Vec<RankRow>,
    /// Someone of the group is in the line (the legend of the red line is shown only then).
    pub has_line: bool,
    /// The distribution chart (SVG made by [`charts`]).
    pub svg: String,
    /// Ties awaiting a decision.
    pub ties: Vec<TieView>,
}

fn line_state_text(s: &LineState, lang: Lang) -> String {
    match s {
        LineState::Drawn => tr(lang, "已划线", "line drawn"),
        LineState::None => tr(lang, "不划线", "no line"),
        LineState::Skipped => tr(lang, "本期未划线（全员达标）", "skipped this period"),
        LineState::Fallback => tr(lang, "兜底措施代替末位线", "fallback measure instead"),
        LineState::Blocked { people } => match lang {
            Lang::Zh => format!("数据待补，暂不划线：{}", people.join("、")),
            Lang::En => format!("blocked by missing data: {}", people.join(", ")),
        },
        LineState::TiePending => tr(
            lang,
            "末位并列，待裁决",
            "tie at the line awaiting a decision",
        ),
    }
}

/// Marks of a person: exemptions and vetoes with reasons, history hits, ladder.
pub fn marks(p: &PersonResult, lang: Lang) -> Vec<(String, &'static str)> {
    let rule = |r: &Option<String>| r.as_ref().map(|x| format!("（{x}）")).unwrap_or_default();
    let mut out = Vec::new();
    for e in &p.exemptions {
        let t = match lang {
            Lang::Zh => format!("豁免：{}{}", e.zh, rule(&e.rule)),
            Lang::En => format!("exempt: {}{}", e.en, rule(&e.rule)),
        };
        out.push((t, "ok"));
    }
    for v in &p.vetoes {
        let t = match lang {
            Lang::Zh => format!("否决：{}{}", v.zh, rule(&v.rule)),
            Lang::En => format!("veto: {}{}", v.en, rule(&v.rule)),
        };
        out.push((t, "bad"));
    }
    for h in p.history.iter().filter(|h| h.fired || h.consecutive > 1) {
        let t = match lang {
            Lang::Zh => format!("{}{}", h.zh, rule(&h.rule)),
            Lang::En => format!("{}{}", h.en, rule(&h.rule)),
        };
        out.push((t, if h.fired { "bad" } else { "warn" }));
    }
    out
}

/// An indicator's name in the page's language: in English the policy's English name where it
/// has one, else the Chinese name the result carries.
pub fn indicator_name(policy: &kaohe_policy::Policy, id: &str, zh: &str, lang: Lang) -> String {
    let en = policy
        .indicators
        .iter()
        .find(|i| i.id == id)
        .and_then(|i| i.name_en.clone());
    match (lang, en) {
        (Lang::En, Some(en)) => en,
        _ => zh.to_string(),
    }
}

/// The ranking groups as the period page shows them. The indicator the policy ranks by
/// (`[ranking] by`, e.g. 考核总分) heads the score column and gets no second column.
fn group_views(
    r: &PeriodResult,
    policy: &kaohe_policy::Policy,
    dp: u32,
    lang: Lang,
) -> Vec<GroupView> {
    let by = policy.ranking.as_ref().map_or("", |k| k.by.as_str());
    let head = |id: &str, zh: &str| indicator_name(policy, id, zh, lang);
    r.groups
        .iter()
        .map(|g| {
            let people: Vec<&PersonResult> = r.people.iter().filter(|p| p.group == g.key).collect();
            let heads: Vec<(String, String)> = people
                .iter()
                .max_by_key(|p| p.indicators.len())
                .map(|p| {
                    p.indicators
                        .iter()
                        .map(|i| (i.id.clone(), head(&i.id, &i.name)))
                        .collect()
                })
                .unwrap_or_default();
            let score_head = heads
                .iter()
                .find(|(id, _)| id == by)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| tr(lang, "得分", "Score"));
            let (ids, indicators): (Vec<String>, Vec<String>) =
                heads.into_iter().filter(|(id, _)| id != by).unzip();
            let mut seen_line = false;
            let rows: Vec<RankRow> = people
                .iter()
                .map(|p| {
                    let line = in_line(p);
                    let line_mark = line && !seen_line;
                    seen_line |= line;
                    let (status, status_class) = status_text(p, lang);
                    RankRow {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        rank: p.rank.map(|x| x.to_string()).unwrap_or_else(|| "—".into()),
                        rank_sort: p
                            .rank
                            .map(|x| x.to_string())
                            .unwrap_or_else(|| "99999".into()),
                        score: p.score.map(|s| show(s, dp)).unwrap_or_else(|| "—".into()),
                        score_sort: p.score.map(|s| s.to_string()).unwrap_or_default(),
                        indicators: ids
                            .iter()
                            .map(|id| {
                                p.indicators
                                    .iter()
                                    .find(|i| &i.id == id)
                                    .map(|i| match (&i.label, i.value) {
                                        (Some(l), _) => l.clone(),
                                        (None, Some(v)) => show(v, dp),
                                        (None, None) => "—".into(),
                                    })
                                    .unwrap_or_else(|| "—".into())
                            })
                            .collect(),
                        status,
                        status_class,
                        line,
                        line_mark,
                        marks: marks(p, lang),
                    }
                })
                .collect();
            let dots: Vec<Dot> = people
                .iter()
                .filter_map(|p| {
                    p.score.map(|s| Dot {
                        score: s,
                        shown: show(s, dp),
                        name: p.name.clone(),
                        in_line: in_line(p),
                    })
                })
                .collect();
            let svg = charts::distribution(
                &dots,
                &match lang {
                    Lang::Zh => format!("{} 分数分布", g.key),
                    Lang::En => format!("{} score distribution", g.key),
                },
                &tr(lang, "末位线", "line"),
            );
            let name_of = |id: &str| {
                r.people
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default()
            };
            let ties = r
                .ties
                .iter()
                .filter(|t| t.group == g.key)
                .map(|t| TieView {
                    group: t.group.clone(),
                    slots: t.slots,
                    candidates: t
                        .candidates
                        .iter()
                        .map(|c| (c.clone(), name_of(c)))
                        .collect(),
                    score: t.score.map(|s| show(s, dp)).unwrap_or_default(),
                    rule: t.rule.clone().unwrap_or_default(),
                })
                .collect();
            GroupView {
                key: g.key.clone(),
                line_state: line_state_text(&g.line, lang),
                note: match lang {
                    Lang::Zh => g.note.clone(),
                    Lang::En => g.note_en.clone(),
                },
                score_head,
                indicators,
                has_line: rows.iter().any(|r| r.line),
                rows,
                svg,
                ties,
            }
        })
        .collect()
}

/// The ranking in the caller's scope, as the API answers it (`results::results`).
async fn ranking(
    state: &AppState,
    web: &Web,
    id: i64,
) -> Result<serde_json::Value, kaohe_server::error::ApiError> {
    let resp = results::results(
        State(state.clone()),
        web.caller.clone(),
        Path(id),
        Query(results::ViewQuery::default()),
    )
    .await?;
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .map_err(kaohe_server::error::ApiError::internal)?;
    serde_json::from_slice(&bytes).map_err(kaohe_server::error::ApiError::internal)
}

#[derive(Template)]
#[template(path = "period_page.html")]
struct PeriodPage {
    frame: Frame,
    id: i64,
    label: String,
    policy: String,
    state: String,
    version: i64,
    deadlines: Vec<String>,
    overdue: Vec<String>,
    chain: String,
    actions: Vec<ActionButton>,
    letters: bool,
    /// The caller may type values and the period still takes them: link the entry grid.
    entry: bool,
    /// Accepted appeals still to correct, in words.
    appeal_note: Option<String>,
    /// Rater assignments (P7.2), for the roles that run the cycle of a policy with raters.
    raters: Option<crate::pages::raters::RaterCard>,
    published: bool,
    error: Option<String>,
    ranking_note: Option<String>,
    computed_at: String,
    groups: Vec<GroupView>,
    data_errors: Vec<String>,
    documents: Vec<(i64, String)>,
}

async fn page(State(state): State<AppState>, web: Web, Path(id): Path<i64>) -> PageResult {
    if web.caller.role == Role::Employee {
        return Ok(Redirect::to(&format!("/periods/{id}/me")).into_response());
    }
    period_page(&state, &web, id, None, StatusCode::OK).await
}

/// Render the period page, with an error message from a refused action if any.
pub async fn period_page(
    state: &AppState,
    web: &Web,
    id: i64,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = web.lang;
    let names = crate::ctx::Names::load(state).await;
    let Json(v) = periods::get(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .page(lang)?;
    let (_, policy) = compute::policy(state, v.row.policy_version_id)
        .await
        .page(lang)?;
    let dp = policy.policy.decimals;
    let chain = chain_of(&policy);
    let deadlines = crate::ctx::deadlines_ahead(&v.row.state, &v.deadlines, lang)
        .into_iter()
        .map(|(what, day)| match lang {
            Lang::Zh => format!("{what}：{day}"),
            Lang::En => format!("{what}: {day}"),
        })
        .collect();
    let overdue = v
        .overdue
        .iter()
        .filter_map(|o| {
            o[if lang == Lang::Zh { "zh" } else { "en" }]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    let published = periods::parse_state(&v.row.state)
        .map(periods::is_published)
        .unwrap_or(false);
    // The chain with each step's progress: ✓ approved, ▶ now, plain for later (P4.11).
    let step_now: Option<usize> = v
        .row
        .state
        .strip_prefix("approvals:")
        .and_then(|n| n.parse().ok());
    let closed = v.row.state == "closed";
    let chain_text = chain
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // A step the policy maps to a role itself (chain_roles) shows both: who the
            // policy names and who acts for it (P7.4: 办公室（总部人事）).
            let mapped = policy
                .process
                .approval_chain
                .get(i)
                .map(|l| l.trim())
                .filter(|l| policy.process.chain_roles.contains_key(*l));
            let name = match (lang, mapped) {
                (Lang::Zh, Some(l)) => format!("{l}（{}）", r.zh()),
                (Lang::En, Some(l)) => format!("{l} ({})", r.en()),
                (Lang::Zh, None) => r.zh().to_string(),
                (Lang::En, None) => r.en().to_string(),
            };
            match step_now {
                Some(n) if i < n => format!("✓ {name}"),
                Some(n) if i == n => format!("▶ {name}{}", tr(lang, "（待审批）", " (now)")),
                _ if closed => format!("✓ {name}"),
                _ => name.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" → ");
    let mut groups = Vec::new();
    let mut data_errors = Vec::new();
    let mut ranking_note = None;
    let mut computed_at = String::new();
    if results::READERS.contains(&web.caller.role) {
        match ranking(state, web, id).await {
            Ok(j) => match serde_json::from_value::<PeriodResult>(j["result"].clone()) {
                Ok(r) => {
                    groups = group_views(&r, &policy, dp, lang);
                    data_errors = r
                        .data_errors
                        .iter()
                        .map(|e| match lang {
                            Lang::Zh => format!("{}：{}", e.person, e.zh),
                            Lang::En => format!("{}: {}", e.person, e.en),
                        })
                        .collect();
                    computed_at = crate::ctx::json_time_text(&j["computed_at"], lang);
                    if groups.is_empty() {
                        ranking_note = Some(tr(
                            lang,
                            "您的范围内没有参与排名的人员。",
                            "Nobody in your scope is ranked in this period.",
                        ));
                    }
                }
                Err(_) => {
                    ranking_note = Some(tr(
                        lang,
                        "计算结果无法读取。",
                        "The stored result could not be read.",
                    ))
                }
            },
            Err(e) if e.status == StatusCode::NOT_FOUND => {
                ranking_note = Some(if periods::OPERATORS.contains(&web.caller.role) {
                    tr(
                        lang,
                        "本期尚未计算。导入花名册和考核数据后点“计算”。",
                        "Not computed yet. Import the roster and the figures, then press Compute.",
                    )
                } else {
                    tr(lang, "本期尚未计算。", "Not computed yet.")
                })
            }
            Err(e) => ranking_note = Some(message(&PageError::from_api(e, lang))),
        }
    } else {
        ranking_note = Some(tr(
            lang,
            "您的角色不查看整体排名。",
            "Your role does not see the whole ranking.",
        ));
    }
    // Appeals accepted and not yet corrected (P4.10): say what is left to do, where.
    let accepted = if personal::REVIEWERS.contains(&web.caller.role) {
        personal::list_appeals(State(state.clone()), web.caller.clone(), Path(id))
            .await
            .map(|Json(a)| a.iter().filter(|a| a.state == "accepted").count())
            .unwrap_or(0)
    } else {
        0
    };
    let appeal_note = (accepted > 0).then(|| match lang {
        Lang::Zh => format!(
            "有 {accepted} 件申诉已采纳，待更正：在录入表中更正数据，重新计算，再重新公示（P4.10）。"
        ),
        Lang::En => format!(
            "{accepted} accepted appeal(s) await the correction: correct the data in the entry grid, recompute, then publish again (P4.10)."
        ),
    });
    let raters = crate::pages::raters::card(state, web, id, &v.row.state, &policy).await;
    let documents =
        match measures::list_documents(State(state.clone()), web.caller.clone(), Path(id)).await {
            Ok(Json(docs)) => docs
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|d| {
                            Some((
                                d["id"].as_i64()?,
                                d["title"].as_str()?.to_string()
                                    + "（"
                                    + d["file_name"].as_str().unwrap_or("")
                                    + "）",
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
    let st = v.row.state.clone();
    let letters = periods::OPERATORS.contains(&web.caller.role)
        && (st == "measures" || st == "closed" || st.starts_with("approvals:"));
    let page = PeriodPage {
        frame: web.frame(
            &format!(
                "{} {} 考核",
                names.unit(v.row.unit_id),
                period_text(&v.row.label, Lang::Zh)
            ),
            &format!(
                "Assessment {} {}",
                names.unit(v.row.unit_id),
                period_text(&v.row.label, Lang::En)
            ),
        ),
        id,
        label: period_text(&v.row.label, lang),
        policy: names.period(&v.row, lang),
        state: state_text(&v.row.state, lang),
        version: v.row.row_version,
        deadlines,
        overdue,
        chain: chain_text,
        actions: offered(&v.row.state, web.caller.role, &chain, lang),
        letters,
        entry: crate::pages::entry::TYPISTS.contains(&web.caller.role)
            && matches!(
                v.row.state.as_str(),
                "open" | "collecting" | "computed" | "published"
            ),
        appeal_note,
        raters,
        published,
        error,
        ranking_note,
        computed_at,
        groups,
        data_errors,
        documents,
    };
    Ok((status, render(&page)).into_response())
}

/// The transition form.
#[derive(Debug, Deserialize)]
pub struct TransitionForm {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
    /// Action code.
    pub action: String,
    /// Reason (reject, amend).
    #[serde(default)]
    pub reason: Option<String>,
    /// The period's row version when the page was shown.
    pub expected_version: String,
    /// Where to go back to (a local path: `/approvals`).
    #[serde(default)]
    pub back: Option<String>,
}

async fn transition(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<TransitionForm>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = web.lang;
    let back_to_approvals = f.back.as_deref() == Some("/approvals");
    let fail = |msg: String, status: StatusCode| {
        let state = state.clone();
        let web = web.clone();
        async move {
            if back_to_approvals {
                crate::pages::appeals::approvals_page(&state, &web, Some(msg), status).await
            } else {
                period_page(&state, &web, id, Some(msg), status).await
            }
        }
    };
    let Some(action) = action_of(&f.action, f.reason.as_deref().unwrap_or("").trim()) else {
        return fail(
            tr(lang, "未知的操作", "unknown action"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let Ok(expected_version) = f.expected_version.trim().parse::<i64>() else {
        return fail(
            tr(
                lang,
                "页面数据不完整，请刷新后重试",
                "the form is incomplete; reload and retry",
            ),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let req = periods::TransitionRequest {
        action,
        expected_version,
    };
    match periods::transition(
        State(state.clone()),
        web.caller.clone(),
        Path(id),
        Json(req),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(
            if back_to_approvals {
                "/approvals".to_string()
            } else {
                format!("/periods/{id}")
            }
            .as_str(),
        )
        .into_response()),
        Err(e) => {
            let status = e.status;
            fail(message(&PageError::from_api(e, lang)), status).await
        }
    }
}

/// A form that carries only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    /// CSRF token.
    #[serde(rename = "_csrf")]
    pub csrf: Option<String>,
}

async fn letters(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> PageResult {
    web.check_csrf(&headers, f.csrf.as_deref())?;
    match measures::letters(State(state.clone()), web.caller.clone(), Path(id)).await {
        Ok(_) => Ok(Redirect::to(&format!("/periods/{id}#documents")).into_response()),
        Err(e) => {
            let status = e.status;
            period_page(
                &state,
                &web,
                id,
                Some(message(&PageError::from_api(e, web.lang))),
                status,
            )
            .await
        }
    }
}

async fn tie(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    web.check_csrf(&headers, get("_csrf").as_deref())?;
    let req = measures::TieRequest {
        group: get("group").unwrap_or_default(),
        chosen: fields
            .iter()
            .filter(|(k, _)| k == "chosen")
            .map(|(_, v)| v.clone())
            .collect(),
        reason: get("reason").unwrap_or_default(),
    };
    match measures::decide_tie(
        State(state.clone()),
        web.caller.clone(),
        Path(id),
        Json(req),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/periods/{id}")).into_response()),
        Err(e) => {
            let status = e.status;
            period_page(
                &state,
                &web,
                id,
                Some(message(&PageError::from_api(e, web.lang))),
                status,
            )
            .await
        }
    }
}

/// One row of the 公示.
pub struct PubRow {
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// Rank.
    pub rank: String,
    /// Score as shown (managers only).
    pub score: Option<String>,
    /// Status words.
    pub status: String,
    /// In the line.
    pub line: bool,
}

#[derive(Template)]
#[template(path = "period_publication.html")]
struct PublicationPage {
    frame: Frame,
    id: i64,
    label: String,
    published_on: String,
    appeal_until: String,
    with_scores: bool,
    groups: Vec<(String, Vec<PubRow>)>,
    employee: bool,
}

fn pub_status(status: &str, line: &str, lang: Lang) -> String {
    let (zh, en) = match (status, line) {
        ("vetoed", _) => ("否决", "vetoed"),
        (_, "in_line" | "veto_place") => ("进入末位线", "in the line"),
        (_, "tie_pending") => ("并列待裁决", "tie awaiting a decision"),
        ("exempt", _) => ("豁免", "exempt"),
        ("ranked", _) => ("正常", "ranked"),
        ("new_hire", _) => ("新人不计", "new hire"),
        ("absent", _) => ("未参加考核", "not assessed"),
        ("needs_data", _) => ("数据待补", "data missing"),
        ("passed", _) => ("通过", "passed"),
        ("failed", _) => ("未通过", "failed"),
        _ => ("—", "—"),
    };
    tr(lang, zh, en)
}

async fn publication(State(state): State<AppState>, web: Web, Path(id): Path<i64>) -> PageResult {
    let lang = web.lang;
    let Json(v) = periods::get(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .page(lang)?;
    let (_, policy) = compute::policy(&state, v.row.policy_version_id)
        .await
        .page(lang)?;
    let dp = policy.policy.decimals;
    let j = match results::publication(State(state.clone()), web.caller.clone(), Path(id)).await {
        Ok(Json(j)) => Some(j),
        Err(e) if e.status == StatusCode::NOT_FOUND => None,
        Err(e) => return Err(PageError::from_api(e, lang)),
    };
    let date = |x: &serde_json::Value| {
        x.as_str()
            .and_then(|s| s.parse::<chrono::NaiveDate>().ok())
            .map(|d| date_text(d, lang))
            .unwrap_or_default()
    };
    let mut with_scores = false;
    let groups = j
        .as_ref()
        .and_then(|j| j["groups"].as_object())
        .map(|g| {
            g.iter()
                .map(|(key, rows)| {
                    let rows = rows
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|r| {
                                    let score = r.get("score").map(|s| {
                                        s.as_str()
                                            .and_then(|t| t.parse::<rust_decimal::Decimal>().ok())
                                            .map(|d| show(d, dp))
                                            .unwrap_or_else(|| "—".into())
                                    });
                                    with_scores |= score.is_some();
                                    let line = r["line"].as_str().unwrap_or("");
                                    PubRow {
                                        id: r["id"].as_str().unwrap_or("").to_string(),
                                        name: r["name"].as_str().unwrap_or("").to_string(),
                                        rank: r["rank"]
                                            .as_u64()
                                            .map(|x| x.to_string())
                                            .unwrap_or_else(|| "—".into()),
                                        score,
                                        status: pub_status(
                                            r["status"].as_str().unwrap_or(""),
                                            line,
                                            lang,
                                        ),
                                        line: matches!(line, "in_line" | "veto_place"),
                                    }
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    (key.clone(), rows)
                })
                .collect()
        })
        .unwrap_or_default();
    let page = PublicationPage {
        frame: web.frame(
            &format!("{} 考核结果公示", period_text(&v.row.label, Lang::Zh)),
            &format!(
                "Results {} (publication)",
                period_text(&v.row.label, Lang::En)
            ),
        ),
        id,
        label: period_text(&v.row.label, lang),
        published_on: j
            .as_ref()
            .map(|j| date(&j["published_on"]))
            .unwrap_or_default(),
        appeal_until: j
            .as_ref()
            .map(|j| date(&j["appeal_until"]))
            .unwrap_or_default(),
        with_scores,
        groups,
        employee: web.caller.role == Role::Employee,
    };
    Ok(render(&page))
}
