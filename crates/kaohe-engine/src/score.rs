//! Scoring (计分): inputs checked, indicators computed in dependency order with explanations,
//! the ranking score and tie-breaker values read, the typed total checked (P2.7), vetoes
//! (P4.6, P4.8, P7.7) and gates (P3.3, every failure listed) evaluated.

use crate::blocks::num;
use crate::data::{Mark, Value};
use crate::engine::Engine;
use crate::lookup::{IVal, V};
use crate::population::Work;
use crate::result::{IndicatorResult, Reason, Status};

/// Score one admitted person (no-op for people without facts or not covered).
pub(crate) fn score<'e>(engine: &'e Engine, w: &mut Work<'_, 'e>) {
    let policy = engine.policy;
    let Some(facts) = w.facts else { return };
    if w.res.status == Status::NotCovered {
        return;
    }
    let dp = engine.dp;
    // Inputs: read once into slots; check required and declared ranges.
    w.inputs = policy
        .inputs
        .iter()
        .map(|i| facts.values.get(&i.id))
        .collect();
    for (i, inp) in policy.inputs.iter().enumerate() {
        let v = V::of_value(w.inputs[i]);
        match v {
            V::Missing if inp.required => w.error(
                &inp.id,
                format!("缺少必填项“{}”", inp.name),
                format!("required input `{}` is missing", inp.id),
            ),
            V::Num(d) => {
                let low = inp.min.is_some_and(|m| d < m.value());
                let high = inp.max.is_some_and(|m| d > m.value());
                if low || high {
                    let range = format!(
                        "{}–{}",
                        inp.min.map_or("…".into(), |m| num(m.value(), dp)),
                        inp.max.map_or("…".into(), |m| num(m.value(), dp))
                    );
                    w.error(
                        &inp.id,
                        format!(
                            "“{}”的值{}超出范围{}（不截断）",
                            inp.name,
                            num(d, dp),
                            range
                        ),
                        format!(
                            "`{}` = {} is outside {} (never clamped)",
                            inp.id,
                            num(d, dp),
                            range
                        ),
                    );
                }
            }
            _ => {}
        }
        if let (Some(Value::Series(s)), Some(len)) = (w.inputs[i], inp.length) {
            if s.len() != len as usize {
                w.error(
                    &inp.id,
                    format!("“{}”应有{}个值，实有{}个", inp.name, len, s.len()),
                    format!("`{}` should have {} values, has {}", inp.id, len, s.len()),
                );
            }
        }
    }
    // Indicators in dependency order.
    w.inds = vec![IVal::Missing; engine.blocks.len()];
    let mut results: Vec<Option<IndicatorResult>> =
        (0..engine.blocks.len()).map(|_| None).collect();
    for &i in &engine.order {
        let ind = &policy.indicators[i];
        let computed = engine.blocks[i].compute(&w.ctx(), dp, engine.explain);
        let (val, explanation) = match computed {
            Ok((v, _)) if !engine.explain => (v, crate::result::Explanation::default()),
            Ok(x) => x,
            Err(f) => {
                let ex = crate::result::Explanation {
                    inputs: Vec::new(),
                    zh: f.zh.clone(),
                    en: f.en.clone(),
                };
                w.error(
                    &f.field,
                    format!("指标“{}”：{}", ind.name, f.zh),
                    format!("indicator `{}`: {}", ind.id, f.en),
                );
                (IVal::Failed, ex)
            }
        };
        w.inds[i] = val;
        let (value, label) = match val {
            IVal::Num(d) => (Some(d), None),
            IVal::Label(l) => (None, Some(l.to_string())),
            _ => (None, None),
        };
        if w.res.grade.is_none() {
            w.res.grade.clone_from(&label);
        }
        results[i] = Some(IndicatorResult {
            id: ind.id.clone(),
            name: ind.name.clone(),
            rule: ind.rule.clone(),
            value,
            label,
            explanation,
        });
    }
    w.res.indicators = results.into_iter().flatten().collect();
    // Ranking score and tie-breaker values.
    if let Some(by) = &engine.rank_by {
        match w.ctx().get(by.slot) {
            V::Num(d) => w.res.score = Some(d),
            V::Failed => {}
            _ => w.error(
                &by.name,
                format!("排名分“{}”无法计算", by.name),
                format!("the ranking score `{}` could not be computed", by.name),
            ),
        }
        let mut keys = Vec::with_capacity(engine.tie_keys.len());
        for (src, _) in &engine.tie_keys {
            match w.ctx().get(src.slot) {
                V::Num(d) => keys.push(d),
                V::Failed => {}
                _ => w.error(
                    &src.name,
                    format!("并列处理项“{}”缺失", src.name),
                    format!("tie-breaker `{}` is missing", src.name),
                ),
            }
        }
        w.keys = keys;
    }
    // A typed total is never trusted (P2.7): report a mismatch with the computed score.
    if let (Some(typed), Some(score)) = (facts.typed_total, w.res.score) {
        if typed != score {
            w.res.typed_total_mismatch = Some(typed);
        }
    }
    // Vetoes (一票否决) and gates (关卡, P3: each independently, every failure listed).
    let mut vetoed = false;
    for (k, c) in engine.vetoes.iter().enumerate() {
        let v = &policy.vetoes[k];
        match c.eval(&w.ctx()) {
            Ok(true) => {
                vetoed = true;
                w.res.vetoes.push(Reason {
                    id: v.id.clone(),
                    rule: v.rule.clone(),
                    zh: format!("{}（一票否决，不论得分）", v.name),
                    en: format!(
                        "{} (veto, whatever the score)",
                        v.name_en.as_deref().unwrap_or(&v.name)
                    ),
                });
            }
            Ok(false) => {}
            Err(e) if e.reported => {}
            Err(e) => w.error(
                &e.field,
                format!("否决项“{}”：{}", v.name, e.zh),
                format!("veto `{}`: {}", v.id, e.en),
            ),
        }
    }
    for (k, c) in engine.gates.iter().enumerate() {
        let g = &policy.gates[k];
        match c.eval(&w.ctx()) {
            Ok(true) => {
                let en_name = g.name_en.as_deref().unwrap_or(&g.name);
                let (zh, en) = if g.eliminates {
                    (format!("未通过：{}", g.name), format!("failed: {en_name}"))
                } else {
                    (format!("记录：{}", g.name), format!("recorded: {en_name}"))
                };
                w.res.gates_failed.push(Reason {
                    id: g.id.clone(),
                    rule: g.rule.clone(),
                    zh,
                    en,
                })
            }
            Ok(false) => {}
            Err(e) if e.reported => {}
            Err(e) => w.error(
                &e.field,
                format!("关卡“{}”：{}", g.name, e.zh),
                format!("gate `{}`: {}", g.id, e.en),
            ),
        }
    }
    settle_status(engine, w, vetoed);
}

/// Status after scoring: veto first, then new hire, then data problems, then pass/fail or rank.
fn settle_status(engine: &Engine, w: &mut Work, vetoed: bool) {
    let has_errors = !w.errors.is_empty() || w.inds.contains(&IVal::Failed);
    if vetoed {
        w.res.status = Status::Vetoed;
        w.res.mark = Mark::Vetoed;
        return;
    }
    match w.res.status {
        Status::NewHire | Status::NeedsData | Status::NotCovered | Status::Absent => return,
        _ => {}
    }
    if engine.rank_by.is_none() {
        // Only gates that eliminate fail the assessment; flags (P3.2 first warning) are kept.
        let failed = engine
            .policy
            .gates
            .iter()
            .any(|g| g.eliminates && w.res.gates_failed.iter().any(|r| r.id == g.id));
        w.res.status = if failed {
            Status::Failed
        } else if has_errors {
            Status::NeedsData
        } else {
            Status::Passed
        };
        w.res.mark = if w.res.status == Status::NeedsData {
            Mark::Pending
        } else {
            Mark::Clear
        };
        return;
    }
    if has_errors || w.res.score.is_none() || w.keys.len() != engine.tie_keys.len() {
        w.res.status = Status::NeedsData;
        w.res.mark = Mark::Pending;
        return;
    }
    // Ranked, or exempt by tenure with `not_counted = false`.
    w.rankable = true;
}
