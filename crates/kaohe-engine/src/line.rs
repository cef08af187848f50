//! The line (末位线): quota, exemptions (P8.2), candidates (P8.3), skip, fallback (P8.8),
//! vetoes taking places or not (P7.7, P4.12), exact ties at the line left to a person (X5,
//! P7.6), and the mark each person leaves in history.

use crate::blocks::num;
use crate::data::{Mark, PeriodInput};
use crate::engine::Engine;
use crate::population::Work;
use crate::rank::{better, Group, ALL};
use crate::result::{DataError, GroupResult, LinePosition, LineState, Reason, Status, TieAtLine};
use kaohe_policy::model::{Line, Order, Rounding, Scope};
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// Per-person answers to the line's conditions.
#[derive(Clone, Copy, Default)]
struct Flags {
    candidate: bool,
    skip_ok: bool,
    share: bool,
}

/// Evaluate exemptions and the line's conditions for every ranked person; an undecidable
/// condition makes the person `NeedsData` (the group's line is then blocked).
fn flags(engine: &Engine, line: &Line, works: &mut [Work]) -> Vec<Flags> {
    let Some(cl) = &engine.line else {
        return vec![Flags::default(); works.len()];
    };
    let mut out = vec![Flags::default(); works.len()];
    for (i, w) in works.iter_mut().enumerate() {
        if !w.rankable {
            continue;
        }
        let mut errs = Vec::new();
        for (k, c) in cl.exemptions.iter().enumerate() {
            let e = &line.exemptions[k];
            match c.eval(&w.ctx()) {
                Ok(true) => {
                    let mut zh = e.reason.clone();
                    let mut en = e.reason_en.clone().unwrap_or_else(|| e.reason.clone());
                    if engine.explain {
                        // The numbers behind the exemption, e.g. 销售额 329 ≥ 销售任务 300.
                        let dp = engine.policy.policy.decimals;
                        let label = |id: &str| field_label(engine, id);
                        let facts = c.holding(&w.ctx(), &label, &|d| num(d, dp));
                        if !facts.is_empty() {
                            zh = format!("{zh}（{}）", facts.join("，"));
                            en = format!("{en} ({})", facts.join(", "));
                        }
                    }
                    w.res.exemptions.push(Reason {
                        id: e.id.clone(),
                        rule: e.rule.clone(),
                        zh,
                        en,
                    });
                    if w.res.status == Status::Ranked {
                        w.res.status = Status::Exempt;
                    }
                }
                Ok(false) => {}
                Err(err) => errs.push(err),
            }
        }
        let ctx = w.ctx();
        let mut eval = |c: &Option<crate::cond::CCond>, default: bool| match c {
            None => default,
            Some(c) => c.eval(&ctx).unwrap_or_else(|e| {
                errs.push(e);
                false
            }),
        };
        out[i] = Flags {
            candidate: eval(&cl.candidates, true),
            skip_ok: eval(&cl.skip, false),
            share: eval(&cl.fallback_share, false),
        };
        for e in errs {
            if !e.reported {
                w.error(
                    &e.field,
                    format!("末位线条件：{}", e.zh),
                    format!("line condition: {}", e.en),
                );
            }
            w.res.status = Status::NeedsData;
        }
    }
    out
}

/// Quota for `n` ranked people with its explanation.
fn quota(line: &Line, n: u32) -> (u32, String, String) {
    if let Some(b) = line.bottom {
        return (b, format!("末位{b}人"), format!("bottom {b}"));
    }
    let p = line.bottom_percent.map(|p| p.value()).unwrap_or_default();
    let raw = p * Decimal::from(n) / Decimal::ONE_HUNDRED;
    let (q, zh, en) = match line.rounding.unwrap_or(Rounding::Up) {
        Rounding::Up => (raw.ceil(), "向上取整", "rounded up"),
        Rounding::Down => (raw.floor(), "向下取整", "rounded down"),
        Rounding::Nearest => (
            raw.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
            "四舍五入",
            "rounded half up",
        ),
    };
    let q = u32::try_from(q.mantissa() / 10i128.pow(q.scale())).unwrap_or(0);
    let (ps, rs) = (num(p, 4), num(raw, 4));
    (
        q,
        format!("末位比例{ps}%×{n}人={rs}，{zh}为{q}人"),
        format!("bottom {ps}% × {n} = {rs}, {en} to {q}"),
    )
}

/// Split the worst-first candidates into those surely in the line and an exact tie at the
/// boundary: `(in_line, tied, slots)`.
fn select(
    worst: &[usize],
    take: usize,
    eq: impl Fn(usize, usize) -> bool,
) -> (Vec<usize>, Vec<usize>, u32) {
    if take == 0 || worst.is_empty() {
        return (Vec::new(), Vec::new(), 0);
    }
    if take >= worst.len() || !eq(worst[take - 1], worst[take]) {
        return (worst[..take.min(worst.len())].to_vec(), Vec::new(), 0);
    }
    let last = worst[take - 1];
    let mut s = take - 1;
    while s > 0 && eq(worst[s - 1], last) {
        s -= 1;
    }
    let mut e = take;
    while e < worst.len() && eq(worst[e], last) {
        e += 1;
    }
    (worst[..s].to_vec(), worst[s..e].to_vec(), (take - s) as u32)
}

/// One line unit: a group, or everyone when the scope is overall.
struct Unit {
    key: String,
    ranked: Vec<usize>,
    all: Vec<usize>,
}

/// Outcome of drawing a unit's line.
struct Drawn {
    quota: u32,
    state: LineState,
    zh: Vec<String>,
    en: Vec<String>,
}

/// Draw the line for every group; returns group results and ties needing a person.
pub(crate) fn draw(
    engine: &Engine,
    input: &PeriodInput,
    works: &mut [Work],
    groups: &[Group],
) -> (Vec<GroupResult>, Vec<TieAtLine>) {
    let mut ties = Vec::new();
    let Some(line) = &engine.policy.line else {
        for w in works.iter_mut().filter(|w| w.rankable && !w.needs_data()) {
            settle_unlined(w, Mark::Clear);
        }
        let out = groups
            .iter()
            .map(|g| {
                group_result(
                    g,
                    works,
                    0,
                    LineState::None,
                    "本制度不划末位线".into(),
                    "this policy draws no line".into(),
                )
            })
            .collect();
        return (out, ties);
    };
    let fl = flags(engine, line, works);
    let units: Vec<Unit> = match line.scope {
        Scope::Group => groups
            .iter()
            .map(|g| Unit {
                key: g.key.clone(),
                ranked: g.ranked.clone(),
                all: g.all.clone(),
            })
            .collect(),
        Scope::Overall => {
            let mut ranked: Vec<usize> = groups
                .iter()
                .flat_map(|g| g.ranked.iter().copied())
                .collect();
            ranked.sort_by(|a, b| {
                better(engine, &works[*a], &works[*b])
                    .then_with(|| works[*a].person.id.cmp(&works[*b].person.id))
            });
            let all = groups.iter().flat_map(|g| g.all.iter().copied()).collect();
            vec![Unit {
                key: ALL.to_string(),
                ranked,
                all,
            }]
        }
    };
    let mut drawn_by_unit = Vec::with_capacity(units.len());
    for u in &units {
        drawn_by_unit.push(draw_unit(engine, line, input, works, &fl, u, &mut ties));
    }
    let out = match line.scope {
        Scope::Group => groups
            .iter()
            .zip(drawn_by_unit)
            .map(|(g, d)| {
                group_result(g, works, d.quota, d.state, d.zh.join("；"), d.en.join("; "))
            })
            .collect(),
        Scope::Overall => {
            let d = drawn_by_unit.pop();
            groups
                .iter()
                .map(|g| {
                    let (q, s, zh, en) = d.as_ref().map_or(
                        (0, LineState::None, String::new(), String::new()),
                        |d| {
                            (
                                d.quota,
                                d.state.clone(),
                                format!("全体统一划线：{}", d.zh.join("；")),
                                format!("one line over everyone: {}", d.en.join("; ")),
                            )
                        },
                    );
                    group_result(g, works, q, s, zh, en)
                })
                .collect()
        }
    };
    (out, ties)
}

fn group_result(
    g: &Group,
    works: &[Work],
    quota: u32,
    line: LineState,
    note: String,
    note_en: String,
) -> GroupResult {
    let ranked = g
        .ranked
        .iter()
        .filter(|i| works[**i].res.rank.is_some())
        .count() as u32;
    GroupResult {
        key: g.key.clone(),
        ranked,
        quota,
        line,
        note,
        note_en,
    }
}

/// A ranked person when no line is drawn for them.
fn settle_unlined(w: &mut Work, mark: Mark) {
    w.res.line = LinePosition::NotApplicable;
    w.res.mark = if w.res.status == Status::Exempt && mark == Mark::Clear {
        Mark::Exempt
    } else {
        mark
    };
}

#[allow(clippy::too_many_arguments)]
fn draw_unit(
    engine: &Engine,
    line: &Line,
    input: &PeriodInput,
    works: &mut [Work],
    fl: &[Flags],
    u: &Unit,
    ties: &mut Vec<TieAtLine>,
) -> Drawn {
    let n = u.ranked.len() as u32;
    let (q, qzh, qen) = quota(line, n);
    let mut d = Drawn {
        quota: q,
        state: LineState::Drawn,
        zh: vec![format!("排名{n}人"), qzh],
        en: vec![format!("{n} ranked"), qen],
    };
    // Vetoed people never stay in the ranking (P4.12); they take places only if the policy says (P7.7).
    let vetoed: Vec<usize> = u
        .all
        .iter()
        .copied()
        .filter(|i| works[*i].res.status == Status::Vetoed)
        .collect();
    for &i in &vetoed {
        works[i].res.line = if line.vetoes_take_quota {
            LinePosition::VetoPlace
        } else {
            LinePosition::NotApplicable
        };
    }
    // Missing data anywhere among the people this line concerns: do not draw it.
    let mut blocked: Vec<String> = u
        .all
        .iter()
        .filter(|i| works[**i].needs_data())
        .map(|i| works[*i].person.id.clone())
        .collect();
    if !blocked.is_empty() {
        blocked.sort();
        d.zh.push(format!("{}人数据待补，暂不划线", blocked.len()));
        d.en.push(format!(
            "{} people need data; the line is not drawn yet",
            blocked.len()
        ));
        for &i in &u.ranked {
            if !works[i].needs_data() {
                settle_unlined(&mut works[i], Mark::Pending);
            }
        }
        d.state = LineState::Blocked { people: blocked };
        return d;
    }
    if let Some(min) = engine.policy.population.min_group_size {
        if n < min {
            d.zh.push(format!("不足最小组规模{min}人，本组不划线"));
            d.en.push(format!("fewer than the minimum group size {min}; no line"));
            u.ranked
                .iter()
                .for_each(|i| settle_unlined(&mut works[*i], Mark::Clear));
            d.state = LineState::None;
            return d;
        }
    }
    if line.skip_when_everyone.is_some() && n > 0 && u.ranked.iter().all(|i| fl[*i].skip_ok) {
        d.zh.push("全员满足免划线条件，本期不划线".into());
        d.en.push("everyone meets the skip condition; no line this period".into());
        u.ranked
            .iter()
            .for_each(|i| settle_unlined(&mut works[*i], Mark::Skipped));
        d.state = LineState::Skipped;
        return d;
    }
    if let Some(fb) = &line.fallback {
        let hit = u.ranked.iter().filter(|i| fl[**i].share).count() as u32;
        if n > 0
            && Decimal::from(hit) * Decimal::ONE_HUNDRED
                >= fb.at_least_percent.value() * Decimal::from(n)
        {
            return fallback(engine, line, input, works, fl, u, d, hit, ties);
        }
    }
    let mut take = q as usize;
    if line.vetoes_take_quota && !vetoed.is_empty() {
        let v = vetoed.len();
        take = take.saturating_sub(v);
        d.zh.push(format!("否决{v}人直接占用名额（P7.7），余{take}个名额"));
        d.en.push(format!("{v} vetoed take places (P7.7); {take} left"));
    } else if !vetoed.is_empty() {
        d.zh.push(format!("否决{}人移出排名，不占名额", vetoed.len()));
        d.en.push(format!(
            "{} vetoed are out of the ranking and use no place",
            vetoed.len()
        ));
    }
    let worst: Vec<usize> = u
        .ranked
        .iter()
        .rev()
        .copied()
        .filter(|i| works[*i].res.status == Status::Ranked && fl[*i].candidate)
        .collect();
    let (sure, tied, slots) = select(&worst, take, |a, b| {
        better(engine, &works[a], &works[b]) == Ordering::Equal
    });
    let rule = engine
        .policy
        .ranking
        .as_ref()
        .and_then(|r| r.tie_breakers.last().and_then(|t| t.rule.clone()));
    // The policy's own rule for ties at the line (P7.6) wins; else the last tie-breaker's
    // (P8.4), else the line's.
    let rule = line.tie_rule.clone().or(rule).or_else(|| line.rule.clone());
    settle_line(
        works,
        u,
        &sure,
        &tied,
        slots,
        input,
        &mut d,
        ties,
        rule,
        Mark::Line,
        LinePosition::InLine,
    );
    d
}

/// Put people in the line, resolve or report a tie, and mark everyone else in the unit.
#[allow(clippy::too_many_arguments)]
fn settle_line(
    works: &mut [Work],
    u: &Unit,
    sure: &[usize],
    tied: &[usize],
    slots: u32,
    input: &PeriodInput,
    d: &mut Drawn,
    ties: &mut Vec<TieAtLine>,
    rule: Option<String>,
    in_mark: Mark,
    in_pos: LinePosition,
) {
    let mut chosen: Vec<usize> = sure.to_vec();
    let mut pending: Vec<usize> = Vec::new();
    if !tied.is_empty() {
        let mut ids: Vec<&str> = tied.iter().map(|i| works[*i].person.id.as_str()).collect();
        ids.sort();
        let decision = input.decisions.iter().find(|t| t.group == u.key);
        let valid = decision.filter(|t| {
            let mut c: Vec<&str> = t.chosen.iter().map(String::as_str).collect();
            c.sort();
            c.dedup();
            c.len() == t.chosen.len()
                && c.len() == slots as usize
                && c.iter().all(|x| ids.binary_search(x).is_ok())
        });
        match valid {
            Some(t) => {
                chosen.extend(
                    tied.iter()
                        .copied()
                        .filter(|i| t.chosen.iter().any(|c| *c == works[*i].person.id)),
                );
                d.zh.push(format!(
                    "末位并列由{}决定：{}（{}）",
                    t.decided_by,
                    t.chosen.join("、"),
                    t.reason
                ));
                d.en.push(format!(
                    "the tie at the line was decided by {}: {} ({})",
                    t.decided_by,
                    t.chosen.join(", "),
                    t.reason
                ));
            }
            None => {
                if decision.is_some() {
                    d.zh.push("已录入的并列裁决与并列名单或名额不符，未采用".into());
                    d.en.push("the recorded tie decision does not match the tied people or places; not applied".into());
                }
                pending = tied.to_vec();
                let score = works[tied[0]].res.score;
                let cite = rule
                    .as_deref()
                    .map(|r| format!("{r}；"))
                    .unwrap_or_default();
                let cite_en = rule
                    .as_deref()
                    .map(|r| format!("{r}; "))
                    .unwrap_or_default();
                d.zh.push(format!(
                    "{}人完全并列争{}个名额，须由人决定（{cite}程序不代为决定）",
                    tied.len(),
                    slots
                ));
                d.en.push(format!(
                    "{} people tied exactly for {} place(s); a person must decide ({cite_en}the program never picks)",
                    tied.len(),
                    slots
                ));
                d.state = LineState::TiePending;
                ties.push(TieAtLine {
                    group: u.key.clone(),
                    slots,
                    candidates: ids.iter().map(|s| s.to_string()).collect(),
                    score,
                    rule,
                });
            }
        }
    }
    let chosen: HashSet<usize> = chosen.into_iter().collect();
    let pending: HashSet<usize> = pending.into_iter().collect();
    let mut entered = 0usize;
    for &i in &u.ranked {
        let w = &mut works[i];
        if chosen.contains(&i) {
            w.res.line = in_pos;
            w.res.mark = in_mark;
            entered += 1;
        } else if pending.contains(&i) {
            w.res.line = LinePosition::TiePending;
            w.res.mark = Mark::Pending;
        } else if w.res.status == Status::Exempt {
            settle_unlined(w, Mark::Clear);
        } else {
            w.res.line = LinePosition::Above;
            w.res.mark = if in_mark == Mark::Line {
                Mark::Clear
            } else {
                in_mark_other(in_mark)
            };
        }
    }
    d.zh.push(format!("进入{}人", entered));
    d.en.push(format!("{} entered", entered));
}

fn in_mark_other(in_mark: Mark) -> Mark {
    // Fallback month: everyone else carries `Skipped` (P8.8: the line was replaced).
    if in_mark == Mark::Skipped {
        Mark::Skipped
    } else {
        Mark::Clear
    }
}

/// P8.8: the share threshold is crossed; the measure decides instead of the line.
#[allow(clippy::too_many_arguments)]
fn fallback(
    engine: &Engine,
    line: &Line,
    input: &PeriodInput,
    works: &mut [Work],
    fl: &[Flags],
    u: &Unit,
    mut d: Drawn,
    hit: u32,
    ties: &mut Vec<TieAtLine>,
) -> Drawn {
    let Some(fb) = &line.fallback else { return d };
    let n = u.ranked.len();
    d.zh.push(format!(
        "{hit}/{n}人满足替代条件，达到{}%（含），改按替代指标（P8.8）",
        num(fb.at_least_percent.value(), 2)
    ));
    d.en.push(format!(
        "{hit} of {n} meet the share condition, at least {}%: the fallback measure decides (P8.8)",
        num(fb.at_least_percent.value(), 2)
    ));
    let Some(measure) = &engine
        .line
        .as_ref()
        .and_then(|l| l.fallback_measure.clone())
    else {
        return d;
    };
    let pool: Vec<usize> = u
        .ranked
        .iter()
        .copied()
        .filter(|i| works[*i].res.status == Status::Ranked && fl[*i].candidate)
        .collect();
    let mut vals: Vec<(usize, Decimal)> = Vec::with_capacity(pool.len());
    let mut missing = Vec::new();
    for &i in &pool {
        match works[i].ctx().get(measure.slot) {
            crate::lookup::V::Num(v) => vals.push((i, v)),
            _ => missing.push(i),
        }
    }
    if !missing.is_empty() {
        let mut ids = Vec::new();
        for i in missing {
            let w = &mut works[i];
            w.error(
                &measure.name,
                format!("替代指标“{}”缺失（P8.8）", measure.name),
                format!("fallback measure `{}` is missing (P8.8)", measure.name),
            );
            w.res.status = Status::NeedsData;
            settle_unlined(w, Mark::Pending);
            ids.push(w.person.id.clone());
        }
        ids.sort();
        for &i in &u.ranked {
            if !works[i].needs_data() {
                settle_unlined(&mut works[i], Mark::Pending);
            }
        }
        d.state = LineState::Blocked { people: ids };
        return d;
    }
    // Worst first by the measure; equal measures keep id order only for a stable listing.
    vals.sort_by(|a, b| {
        let o = a.1.cmp(&b.1);
        let o = if fb.order == Order::Desc {
            o
        } else {
            o.reverse()
        };
        o.then_with(|| works[a.0].person.id.cmp(&works[b.0].person.id))
    });
    let worst: Vec<usize> = vals.iter().map(|(i, _)| *i).collect();
    let by_index: HashMap<usize, Decimal> = vals.iter().copied().collect();
    let value_of = |i: usize| by_index.get(&i).copied();
    let (sure, tied, slots) = select(&worst, fb.bottom as usize, |a, b| {
        value_of(a) == value_of(b)
    });
    let mark = if fb.counts_as_line {
        Mark::Line
    } else {
        Mark::Skipped
    };
    settle_line(
        works,
        u,
        &sure,
        &tied,
        slots,
        input,
        &mut d,
        ties,
        fb.rule.clone(),
        mark,
        LinePosition::Fallback,
    );
    // A tie under the fallback is a tie on the fallback measure (P8.8), so report that value,
    // not the ranking score.
    if let Some(t) = ties.last_mut().filter(|t| t.group == u.key) {
        t.score = tied.first().and_then(|&i| value_of(i));
    }
    if !fb.counts_as_line {
        for &i in &u.ranked {
            let w = &mut works[i];
            if w.res.mark != Mark::Pending {
                w.res.mark = Mark::Skipped;
            }
        }
    }
    if d.state == LineState::Drawn {
        d.state = LineState::Fallback;
    }
    d
}

/// Recorded tie decisions that were not applied (X5): their group does not exist this period,
/// has no tie at the line, or they do not name exactly the places' number of tied people. Each
/// is reported, so a person never believes a decision was recorded when it was not.
pub(crate) fn unapplied_decisions(
    input: &PeriodInput,
    groups: &[GroupResult],
    ties: &[TieAtLine],
) -> Vec<DataError> {
    let mut out = Vec::new();
    for t in &input.decisions {
        let who = t.chosen.join("、");
        let (zh, en) = match groups.iter().find(|g| g.key == t.group) {
            None => {
                let have: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
                (
                    format!("并列裁决（{}：{who}）的排名组“{}”本期不存在（本期排名组：{}），未采用", t.decided_by, t.group, have.join("、")),
                    format!("tie decision ({}: {}) names group `{}`, which does not exist this period (groups: {}); not applied", t.decided_by, t.chosen.join(", "), t.group, have.join(", ")),
                )
            }
            Some(_) => match ties.iter().find(|x| x.group == t.group) {
                Some(x) => (
                    format!("并列裁决（{}：{who}）与本组并列不符：候选 {}，名额 {}，未采用", t.decided_by, x.candidates.join("、"), x.slots),
                    format!("tie decision ({}: {}) does not match the tie: candidates {}, places {}; not applied", t.decided_by, t.chosen.join(", "), x.candidates.join(", "), x.slots),
                ),
                None if groups.iter().any(|g| g.key == t.group && g.note.contains(&format!("末位并列由{}决定", t.decided_by))) => continue,
                None => (
                    format!("并列裁决（{}：{who}）所指排名组“{}”本期没有末位并列，未采用", t.decided_by, t.group),
                    format!("tie decision ({}: {}) names group `{}`, which has no tie at the line this period; not applied", t.decided_by, t.chosen.join(", "), t.group),
                ),
            },
        };
        out.push(DataError {
            person: t.chosen.first().cloned().unwrap_or_default(),
            field: "decision".into(),
            source: Default::default(),
            zh,
            en,
        });
    }
    out
}

/// The display name of an input or indicator id (its Chinese name), else the id.
fn field_label(engine: &Engine, id: &str) -> String {
    let p = engine.policy;
    p.inputs
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.name.clone())
        .or_else(|| {
            p.indicators
                .iter()
                .find(|i| i.id == id)
                .map(|i| i.name.clone())
        })
        .unwrap_or_else(|| id.to_string())
}
