//! Outcomes with legal paths (处理结果): what each person's period leads to, which document,
//! which legal path, and what the law still requires before it may take effect.
//!
//! Sources, in this fixed order per person (the order outcomes are listed in):
//! 1. each fired veto (`because = "veto:ID"`);
//! 2. each failed gate (`"gate:ID"`);
//! 3. the line's outcome for a person in the line (`"line"`);
//! 4. the fallback's outcome for a person chosen by it, P8.8 (`"fallback"`);
//! 5. each history rule that fired (`"history:ID"`);
//! 6. the ladder step reached, only in a period that is itself a line entry (`"ladder:AT"`),
//!    then the recovery outcome, P7.9 (`"ladder:recovery"`);
//! 7. the level change's outcome, P5 (`"level:FROM->TO"`);
//! 8. each block aggregate that proposes the person, P2.7 (`"aggregate:ID"`).
//!
//! Decisions (documented choices):
//! - Rank-based outcomes (line, fallback, history, ladder step, aggregate) carry the
//!   `not_termination_ground` requirement first (LABOUR-LAW.md gate 1, Guiding Case 18).
//! - `needs_confirmation` is the outcome's own flag, and is always set for aggregate
//!   proposals (P2.7: the GM office decides) and for every path that could end employment or
//!   is a decision (incompetence, misconduct, probation, mutual agreement, decision): the
//!   engine never lets those take effect by itself.
//! - An outcome id the policy does not define (validation should have caught it) is reported
//!   in `data_errors` for that person, never skipped silently.

#[cfg(test)]
mod tests;

use crate::data::Mark;
use crate::legal;
use crate::result::{DataError, LinePosition, OutcomeResult, PeriodResult, PersonResult};
use kaohe_policy::model::LegalPath;
use kaohe_policy::Policy;
use std::collections::BTreeMap;

/// One reason for an outcome.
struct Trigger<'a> {
    /// Outcome id in the policy.
    outcome: &'a str,
    /// What triggered it, e.g. `line` or `history:p8_list`.
    because: String,
    /// Whether it follows from a rank (line, history, ladder, aggregate).
    rank_based: bool,
    /// Whether a person must confirm whatever the outcome says (aggregate proposals).
    confirm: bool,
}

/// Attach outcomes (line, fallback, vetoes, gates, history, ladder, levels, aggregates) to
/// each person.
pub(crate) fn attach(policy: &Policy, result: &mut PeriodResult) {
    let mut proposals: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for agg in &result.aggregates {
        for id in &agg.proposed {
            proposals
                .entry(id.as_str())
                .or_default()
                .push(agg.id.as_str());
        }
    }
    let mut attached: Vec<(usize, OutcomeResult)> = Vec::new();
    let mut errors = Vec::new();
    for (i, person) in result.people.iter().enumerate() {
        let aggs = proposals
            .get(person.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        for t in triggers(policy, person, aggs) {
            match build(policy, &t) {
                Some(o) => attached.push((i, o)),
                None => errors.push(DataError {
                    person: person.id.clone(),
                    field: t.outcome.to_string(),
                    source: Default::default(),
                    zh: format!(
                        "{} 引用的处理结果 `{}` 未在制度中定义",
                        t.because, t.outcome
                    ),
                    en: format!(
                        "{} refers to outcome `{}`, which the policy does not define",
                        t.because, t.outcome
                    ),
                }),
            }
        }
    }
    for (i, o) in attached {
        result.people[i].outcomes.push(o);
    }
    result.data_errors.extend(errors);
}

/// The triggers of one person, in the documented order.
fn triggers<'a>(policy: &'a Policy, p: &PersonResult, aggs: &[&str]) -> Vec<Trigger<'a>> {
    let mut out = Vec::new();
    let mut push = |outcome: &'a str, because: String, rank_based: bool, confirm: bool| {
        out.push(Trigger {
            outcome,
            because,
            rank_based,
            confirm,
        })
    };
    for r in &p.vetoes {
        if let Some(v) = policy.vetoes.iter().find(|v| v.id == r.id) {
            push(&v.outcome, format!("veto:{}", v.id), false, false);
        }
    }
    for r in &p.gates_failed {
        if let Some(g) = policy.gates.iter().find(|g| g.id == r.id) {
            push(&g.outcome, format!("gate:{}", g.id), false, false);
        }
    }
    if let Some(line) = &policy.line {
        if p.line == LinePosition::InLine {
            if let Some(o) = &line.outcome {
                push(o, "line".into(), true, false);
            }
        }
        if p.line == LinePosition::Fallback {
            if let Some(f) = &line.fallback {
                push(&f.outcome, "fallback".into(), true, false);
            }
        }
    }
    for hit in p.history.iter().filter(|h| h.fired) {
        if let Some(rule) = policy.history.iter().find(|r| r.id == hit.id) {
            push(&rule.outcome, format!("history:{}", rule.id), true, false);
        }
    }
    if let (Some(ladder), Some(state)) = (&policy.ladder, &p.ladder) {
        if p.mark == Mark::Line {
            if let Some(at) = state.step {
                if let Some(step) = ladder.steps.iter().find(|s| s.at == at) {
                    push(&step.outcome, format!("ladder:{at}"), true, false);
                }
            }
        }
        if state.recovered {
            if let Some(o) = &ladder.recovery_outcome {
                push(o, "ladder:recovery".into(), false, false);
            }
        }
    }
    if let (Some(levels), Some(change)) = (&policy.levels, &p.level_change) {
        let def = levels
            .changes
            .iter()
            .find(|c| c.from == change.from && c.to == change.to && c.outcome.is_some());
        if let Some(o) = def.and_then(|c| c.outcome.as_deref()) {
            push(
                o,
                format!("level:{}->{}", change.from, change.to),
                false,
                false,
            );
        }
    }
    for id in aggs {
        if let Some(a) = policy.aggregates.iter().find(|a| a.id == *id) {
            push(&a.outcome, format!("aggregate:{}", a.id), true, true);
        }
    }
    out
}

/// The outcome result for one trigger, or `None` when the policy lacks the outcome.
fn build(policy: &Policy, t: &Trigger<'_>) -> Option<OutcomeResult> {
    let o = policy.outcomes.get(t.outcome)?;
    let mut requires = legal::requirements(policy, o);
    if t.rank_based {
        if let Some(n) = legal::rank_based_notice(policy) {
            if !requires.iter().any(|r| r.code == n.code) {
                requires.insert(0, n);
            }
        }
    }
    let path_needs_person = !matches!(o.legal_path, LegalPath::Improvement | LegalPath::Adjustment);
    Some(OutcomeResult {
        id: t.outcome.to_string(),
        name: o.name.clone(),
        name_en: o.name_en.clone().unwrap_or_else(|| o.name.clone()),
        rule: o.rule.clone(),
        because: t.because.clone(),
        measure: o.measure,
        document: o.document.clone(),
        legal_path: o.legal_path,
        needs_confirmation: o.needs_confirmation || t.confirm || path_needs_person,
        requires,
    })
}
