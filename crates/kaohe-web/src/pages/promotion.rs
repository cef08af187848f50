//! The promotion round (晋升评定, P5): for a period whose policy has levels (职级) with change
//! rules, each person's current level (from the roster snapshot), the level proposed after the
//! round — up (晋级), down (降级) or stays (不变) — with the rule id and why: the condition of the
//! change that applied, or, for someone who stays, the conditions of the changes from their
//! level that did not all hold. Grouped by level in the policy's order (P5.1), filterable by
//! level and by move (`?level=junior&move=up`), with the counts per move at the top, the
//! allowance before and after (P5.1) and a "须人工确认" mark on every change that a person must
//! confirm (P5.7 Decision: never a demotion by rank alone).
//!
//! Data comes only through the API and its scope helpers: `periods::get` (404 outside the
//! caller's scope), `results::results` (limited to the caller's subtree) or, for an employee,
//! `results::person` (their own row, once published); the roster snapshot
//! (`compute::members`) is read only for the people those answers already contain, for their
//! current level and 定级日期.
//!
//! The result carries which change applied, not which parts of a condition held: for someone
//! who stays, the page shows the conditions in words next to the figures it has (score, rank
//! within the level), not a verdict per condition.

use crate::ctx::{
    date_text, period_text, render, state_text, Frame, Lang, OrPage, PageResult, Web,
};
use crate::pages::onboarding::{cond_text, person_href, rule_tag, seen, unseen_text};
use crate::pages::period::tr;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use kaohe_engine::display::show;
use kaohe_engine::result::{PersonResult, Status};
use kaohe_policy::model::Levels;
use kaohe_policy::Policy;
use kaohe_server::api::periods;
use kaohe_server::{compute, AppState};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/periods/{id}/promotion", get(page))
}

/// `?level=…&move=up|down|stays|pending`.
#[derive(Debug, Deserialize, Default)]
pub struct RoundQuery {
    /// A level id of the policy.
    #[serde(default)]
    pub level: Option<String>,
    /// A move.
    #[serde(default, rename = "move")]
    pub mv: Option<String>,
}

/// One person in the round.
#[derive(Clone)]
pub struct MoveRow {
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// Their page.
    pub href: String,
    /// 定级日期.
    pub since: String,
    /// Score as shown.
    pub score: String,
    /// Exact score for sorting.
    pub score_sort: String,
    /// Rank within the level, e.g. `1/5`.
    pub rank: String,
    /// Rank for sorting.
    pub rank_sort: String,
    /// Rank ÷ group size × 100, as shown.
    pub pct: String,
    /// For sorting.
    pub pct_sort: String,
    /// Proposed level in words.
    pub proposed: String,
    /// 晋级 ↑ / 降级 ↓ / 不变 / 待定.
    pub move_word: String,
    /// `up`, `down`, `stays`, `pending`.
    pub move_code: &'static str,
    /// Sort key of the move.
    pub move_sort: u8,
    /// Rule id of the change.
    pub rule: String,
    /// Why, in words.
    pub why: Vec<String>,
    /// Allowance now → after.
    pub allowance: String,
    /// A person must confirm the change.
    pub confirm: bool,
}

/// One level's section.
pub struct LevelSection {
    /// Level id (`""` for people whose level is not one of the policy's).
    pub id: String,
    /// Name.
    pub name: String,
    /// Allowance of the level, if set.
    pub allowance: String,
    /// Rows.
    pub rows: Vec<MoveRow>,
}

/// A filter link.
pub struct FilterLink {
    /// Label.
    pub label: String,
    /// Target.
    pub href: String,
    /// Currently chosen.
    pub current: bool,
}

#[derive(Template)]
#[template(path = "promotion_round.html")]
struct PromotionPage {
    frame: Frame,
    id: i64,
    label: String,
    policy: String,
    state: String,
    computed_at: String,
    manager: bool,
    own_only: bool,
    note: Option<String>,
    total: usize,
    up: usize,
    down: usize,
    stays: usize,
    pending: usize,
    sections: Vec<LevelSection>,
    level_links: Vec<FilterLink>,
    move_links: Vec<FilterLink>,
    data_errors: Vec<String>,
}

fn level_name(levels: &Levels, id: &str, lang: Lang) -> String {
    levels
        .order
        .iter()
        .find(|l| l.id == id)
        .map(|l| match lang {
            Lang::Zh => l.name.clone(),
            Lang::En => l.name_en.clone().unwrap_or_else(|| l.name.clone()),
        })
        .unwrap_or_else(|| id.to_string())
}

/// The policy level a roster text names (by id or by name, as the engine matches it).
fn level_of<'a>(levels: &'a Levels, text: &str) -> Option<&'a kaohe_policy::model::LevelDef> {
    let t = text.trim();
    levels.order.iter().find(|l| l.id == t || l.name == t)
}

fn allowance(levels: &Levels, id: &str) -> Option<Decimal> {
    levels
        .order
        .iter()
        .find(|l| l.id == id)
        .and_then(|l| l.allowance)
        .map(|a| a.value().normalize())
}

#[allow(clippy::too_many_arguments)]
fn move_row(
    web: &Web,
    id: i64,
    p: &PersonResult,
    level: Option<&kaohe_policy::model::LevelDef>,
    since: Option<chrono::NaiveDate>,
    levels: &Levels,
    policy: &Policy,
    errors: &[String],
) -> MoveRow {
    let lang = web.lang;
    let dp = policy.policy.decimals;
    let from_id = p
        .level_change
        .as_ref()
        .map(|c| c.from.clone())
        .or_else(|| level.map(|l| l.id.clone()))
        .unwrap_or_default();
    let pending = matches!(p.status, Status::NeedsData | Status::Absent)
        || !errors.is_empty()
        || (p.level_change.is_none() && level.is_none());
    let pct = match (p.rank, p.group_size) {
        (Some(r), Some(g)) if g > 0 => {
            Some(Decimal::from(r) * Decimal::ONE_HUNDRED / Decimal::from(g))
        }
        _ => None,
    };
    let (proposed, move_word, move_code, move_sort, rule, why) = match &p.level_change {
        Some(lc) => {
            let def = levels
                .changes
                .iter()
                .find(|c| c.from == lc.from && c.to == lc.to);
            let cond = def
                .map(|c| cond_text(&c.when, policy, lang))
                .unwrap_or_default();
            let (word, code, sort) = if lc.promotion {
                (tr(lang, "晋级 ↑", "up ↑"), "up", 0)
            } else {
                (tr(lang, "降级 ↓", "down ↓"), "down", 1)
            };
            let why = match lang {
                Lang::Zh => format!("满足{}：{cond}", rule_tag(lc.rule.as_deref(), lang)),
                Lang::En => format!("met{}: {cond}", rule_tag(lc.rule.as_deref(), lang)),
            };
            (
                level_name(levels, &lc.to, lang),
                word,
                code,
                sort,
                lc.rule.clone().unwrap_or_default(),
                vec![why],
            )
        }
        None if pending => {
            let mut why = vec![tr(
                lang,
                "数据待补，暂不评定",
                "data missing: not assessed yet",
            )];
            if level.is_none() {
                why.push(match lang {
                    Lang::Zh => "花名册的级别不在制度的职级序列中".to_string(),
                    Lang::En => "the roster's level is not one of the policy's levels".to_string(),
                });
            }
            why.extend(errors.iter().cloned());
            (
                "—".to_string(),
                tr(lang, "待定", "pending"),
                "pending",
                3,
                String::new(),
                why,
            )
        }
        None => {
            let why: Vec<String> = levels
                .changes
                .iter()
                .filter(|c| c.from == from_id)
                .map(|c| {
                    let rule = c.rule.as_deref().or(levels.rule.as_deref());
                    let up = levels.order.iter().position(|l| l.id == c.to)
                        > levels.order.iter().position(|l| l.id == c.from);
                    let to = level_name(levels, &c.to, lang);
                    let cond = cond_text(&c.when, policy, lang);
                    match (up, lang) {
                        (true, Lang::Zh) => {
                            format!("未满足晋级{to}的条件{}：{cond}", rule_tag(rule, lang))
                        }
                        (false, Lang::Zh) => {
                            format!("未触发降为{to}的条件{}：{cond}", rule_tag(rule, lang))
                        }
                        (true, Lang::En) => format!(
                            "conditions for {to} not met{}: {cond}",
                            rule_tag(rule, lang)
                        ),
                        (false, Lang::En) => format!(
                            "demotion to {to} not triggered{}: {cond}",
                            rule_tag(rule, lang)
                        ),
                    }
                })
                .collect();
            let why = if why.is_empty() {
                vec![tr(
                    lang,
                    "本级没有升降规则",
                    "no change rule from this level",
                )]
            } else {
                why
            };
            let rule = levels
                .changes
                .iter()
                .find(|c| c.from == from_id)
                .and_then(|c| c.rule.clone())
                .or_else(|| levels.rule.clone())
                .unwrap_or_default();
            (
                level_name(levels, &from_id, lang),
                tr(lang, "不变", "stays"),
                "stays",
                2,
                rule,
                why,
            )
        }
    };
    let now = allowance(levels, &from_id);
    let after = p
        .level_change
        .as_ref()
        .and_then(|lc| allowance(levels, &lc.to));
    let allowance = match (now, after, &p.level_change) {
        (Some(a), Some(b), Some(_)) => format!("{a} → {b}"),
        (Some(a), _, _) => a.to_string(),
        _ => String::new(),
    };
    MoveRow {
        id: p.id.clone(),
        name: p.name.clone(),
        href: person_href(web, id, &p.id),
        since: since.map(|d| date_text(d, lang)).unwrap_or_default(),
        score: p.score.map(|s| show(s, dp)).unwrap_or_else(|| "—".into()),
        score_sort: p.score.map(|s| s.to_string()).unwrap_or_default(),
        rank: match (p.rank, p.group_size) {
            (Some(r), Some(g)) => format!("{r}/{g}"),
            _ => "—".into(),
        },
        rank_sort: p
            .rank
            .map(|r| r.to_string())
            .unwrap_or_else(|| "99999".into()),
        pct: pct.map(|x| show(x, dp)).unwrap_or_else(|| "—".into()),
        pct_sort: pct.map(|x| x.to_string()).unwrap_or_default(),
        proposed,
        move_word,
        move_code,
        move_sort,
        rule,
        why,
        allowance,
        confirm: p.outcomes.iter().any(|o| o.needs_confirmation),
    }
}

async fn page(
    State(state): State<AppState>,
    web: Web,
    Path(id): Path<i64>,
    Query(q): Query<RoundQuery>,
) -> PageResult {
    let lang = web.lang;
    let names = crate::ctx::Names::load(&state).await;
    let Json(v) = periods::get(State(state.clone()), web.caller.clone(), Path(id))
        .await
        .page(lang)?;
    let (_, policy) = compute::policy(&state, v.row.policy_version_id)
        .await
        .page(lang)?;
    let levels = policy.levels.clone().filter(|l| !l.changes.is_empty());
    let mut note = None;
    let mut computed_at = String::new();
    let mut own_only = false;
    let mut data_errors = Vec::new();
    let mut rows: Vec<(String, MoveRow)> = Vec::new();
    match &levels {
        None => {
            note = Some(tr(
                lang,
                "本期制度没有职级升降规则（P5），不适用此页。",
                "This period's policy has no level changes (P5); the round does not apply.",
            ))
        }
        Some(levels) => match seen(&state, &web, id).await? {
            Ok(s) => {
                computed_at = s.computed_at;
                own_only = s.own_only;
                // The roster snapshot, only for the people the API already showed.
                let members: BTreeMap<String, kaohe_engine::Person> = compute::members(&state, id)
                    .await
                    .page(lang)?
                    .into_iter()
                    .filter(|m| s.people.iter().any(|p| p.id == m.person.id))
                    .map(|m| (m.person.id.clone(), m.person))
                    .collect();
                let mut errors: BTreeMap<&str, Vec<String>> = BTreeMap::new();
                for e in &s.data_errors {
                    let t = match lang {
                        Lang::Zh => e.zh.clone(),
                        Lang::En => e.en.clone(),
                    };
                    errors.entry(e.person.as_str()).or_default().push(t);
                }
                data_errors = s
                    .data_errors
                    .iter()
                    .map(|e| match lang {
                        Lang::Zh => format!("{}：{}", e.person, e.zh),
                        Lang::En => format!("{}: {}", e.person, e.en),
                    })
                    .collect();
                for p in s.people.iter().filter(|p| p.status != Status::NotCovered) {
                    let person = members.get(&p.id);
                    let level = person
                        .and_then(|x| x.level.as_deref())
                        .and_then(|t| level_of(levels, t))
                        .or_else(|| {
                            p.level_change
                                .as_ref()
                                .and_then(|c| levels.order.iter().find(|l| l.id == c.from))
                        });
                    let row = move_row(
                        &web,
                        id,
                        p,
                        level,
                        person.and_then(|x| x.level_since),
                        levels,
                        &policy,
                        errors.get(p.id.as_str()).map_or(&[][..], Vec::as_slice),
                    );
                    rows.push((level.map(|l| l.id.clone()).unwrap_or_default(), row));
                }
                if rows.is_empty() {
                    note = Some(tr(
                        lang,
                        "您的范围内没有参加本次评定的人员。",
                        "Nobody in your scope takes part in this round.",
                    ));
                }
            }
            Err(u) => note = Some(unseen_text(&u, lang)),
        },
    }
    let count = |code: &str| rows.iter().filter(|(_, r)| r.move_code == code).count();
    let (total, up, down, stays, pending) = (
        rows.len(),
        count("up"),
        count("down"),
        count("stays"),
        count("pending"),
    );
    let want_level = q.level.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let want_move =
        q.mv.as_deref()
            .map(str::trim)
            .filter(|m| ["up", "down", "stays", "pending"].contains(m));
    let href = |level: Option<&str>, mv: Option<&str>| {
        let mut qs = Vec::new();
        if let Some(l) = level {
            qs.push(format!("level={}", crate::ctx::encode(l)));
        }
        if let Some(m) = mv {
            qs.push(format!("move={m}"));
        }
        if qs.is_empty() {
            format!("/periods/{id}/promotion")
        } else {
            format!("/periods/{id}/promotion?{}", qs.join("&"))
        }
    };
    let mut level_links = Vec::new();
    let mut move_links = Vec::new();
    let mut sections = Vec::new();
    if let Some(levels) = &levels {
        level_links.push(FilterLink {
            label: tr(lang, "全部职级", "every level"),
            href: href(None, want_move),
            current: want_level.is_none(),
        });
        for l in &levels.order {
            level_links.push(FilterLink {
                label: level_name(levels, &l.id, lang),
                href: href(Some(&l.id), want_move),
                current: want_level == Some(l.id.as_str()),
            });
        }
        for (code, zh, en) in [
            ("", "全部", "all"),
            ("up", "晋级", "up"),
            ("down", "降级", "down"),
            ("stays", "不变", "stays"),
            ("pending", "待定", "pending"),
        ] {
            move_links.push(FilterLink {
                label: tr(lang, zh, en),
                href: href(want_level, (!code.is_empty()).then_some(code)),
                current: want_move.unwrap_or("") == code,
            });
        }
        let mut keys: Vec<String> = levels.order.iter().map(|l| l.id.clone()).collect();
        keys.push(String::new());
        for key in keys {
            if want_level.is_some_and(|w| w != key) {
                continue;
            }
            let mine: Vec<MoveRow> = rows
                .iter()
                .filter(|(k, r)| *k == key && want_move.is_none_or(|m| m == r.move_code))
                .map(|(_, r)| r.clone())
                .collect();
            if mine.is_empty() {
                continue;
            }
            sections.push(LevelSection {
                name: if key.is_empty() {
                    tr(lang, "级别不明", "level unknown")
                } else {
                    level_name(levels, &key, lang)
                },
                allowance: allowance(levels, &key)
                    .map(|a| match lang {
                        Lang::Zh => format!("津贴 {a} 元/月"),
                        Lang::En => format!("allowance {a} yuan/month"),
                    })
                    .unwrap_or_default(),
                id: key,
                rows: mine,
            });
        }
        if total > 0 && sections.is_empty() {
            note = Some(tr(
                lang,
                "没有符合筛选条件的人员。",
                "Nobody matches the filter.",
            ));
        }
    }
    let page = PromotionPage {
        frame: web.frame(
            &format!("{} 晋升评定", period_text(&v.row.label, Lang::Zh)),
            &format!("Promotion round {}", period_text(&v.row.label, Lang::En)),
        ),
        id,
        label: period_text(&v.row.label, lang),
        policy: names.period(&v.row, lang),
        state: state_text(&v.row.state, lang),
        computed_at,
        manager: web.frame("", "").manages(),
        own_only,
        note,
        total,
        up,
        down,
        stays,
        pending,
        sections,
        level_links,
        move_links,
        data_errors,
    };
    Ok(render(&page))
}
