//! Labour-law checks on outcomes (劳动法校验), see `LABOUR-LAW.md`. Skipped, visibly (the
//! explanation says so), when `policy.jurisdiction = "none"`.
//!
//! - Gate 1: a bottom placement (line, fallback, ladder step, history rule, aggregate) is never
//!   by itself a termination reason: its outcome may not take the `misconduct` (Art. 39) or
//!   `probation` (Art. 21) path. `incompetence` (Art. 40(2)) needs remediation and a new
//!   assessment first, so it is reachable only through history rules or the ladder, never from
//!   `line.outcome`, `line.fallback.outcome` or an aggregate directly.
//! - Gate 7: a veto takes the Art. 39 `misconduct` path.
//! - Art. 21: when the population is on probation (its `include` tests `status` against a value
//!   containing 试用 or "probation"), a gate's outcome must be `probation`, `improvement` or
//!   `misconduct` (Art. 39 stays available in probation). Decision: rejected, not warned, since
//!   the loader has no warnings and an Art. 40 path in probation is unlawful (Art. 21).

use super::Report;
use crate::model::{Cond, Jurisdiction, LegalPath, Policy};

fn path_name(l: LegalPath) -> &'static str {
    match l {
        LegalPath::Improvement => "improvement",
        LegalPath::Adjustment => "adjustment",
        LegalPath::Incompetence => "incompetence",
        LegalPath::Misconduct => "misconduct",
        LegalPath::Probation => "probation",
        LegalPath::MutualAgreement => "mutual_agreement",
        LegalPath::Decision => "decision",
    }
}

/// Whether a condition tests `status` against a probation value.
pub(crate) fn mentions_probation(c: &Cond) -> bool {
    let own = c.var.as_deref() == Some("status")
        && c.values
            .iter()
            .flatten()
            .any(|v| v.contains("试用") || v.to_lowercase().contains("probation"));
    let nested = c
        .all
        .iter()
        .chain(c.any.iter())
        .chain(c.of.iter())
        .chain(c.mandatory.iter())
        .flatten()
        .any(mentions_probation);
    own || nested
}

pub(crate) fn check(p: &Policy, r: &mut Report) {
    if p.policy.jurisdiction == Jurisdiction::None {
        return;
    }
    let legal = |id: &str| p.outcomes.get(id).map(|o| o.legal_path);
    // (path, outcome id, incompetence allowed)
    let mut bottom: Vec<(String, &str, bool)> = Vec::new();
    if let Some(l) = &p.line {
        if let Some(o) = &l.outcome {
            bottom.push(("line.outcome".into(), o, false));
        }
        if let Some(f) = &l.fallback {
            bottom.push(("line.fallback.outcome".into(), &f.outcome, false));
        }
    }
    for (i, a) in p.aggregates.iter().enumerate() {
        bottom.push((format!("aggregate[{i}].outcome"), &a.outcome, false));
    }
    for (i, h) in p.history.iter().enumerate() {
        bottom.push((format!("history[{i}].outcome"), &h.outcome, true));
    }
    if let Some(l) = &p.ladder {
        for (i, s) in l.steps.iter().enumerate() {
            bottom.push((format!("ladder.steps[{i}].outcome"), &s.outcome, true));
        }
    }
    for (path, id, incompetence_ok) in bottom {
        let Some(lp) = legal(id) else { continue };
        let bad = matches!(lp, LegalPath::Misconduct | LegalPath::Probation)
            || (lp == LegalPath::Incompetence && !incompetence_ok);
        if bad {
            let name = path_name(lp);
            r.hint(
                path,
                format!(
                    "末位结果 `{id}` 的法律路径为 `{name}`：末位本身不是解除理由（最高法指导案例18号；《劳动合同法》第39、40条）"
                ),
                format!(
                    "outcome `{id}` of a bottom placement takes the `{name}` path: a bottom rank is no termination reason by itself (SPC Guiding Case 18; Labour Contract Law Art. 39/40)"
                ),
                if lp == LegalPath::Incompetence {
                    "不胜任（第40条第2项）须先培训或调岗再考核：只能通过 [[history]] 或 [ladder] 到达；此处改用 improvement、adjustment、decision 或 mutual_agreement / incompetence (Art. 40(2)) needs training or a transfer and a new assessment first: reach it through [[history]] or [ladder]; use improvement, adjustment, decision or mutual_agreement here"
                } else {
                    "改用 improvement（警告/培训/观察）、adjustment（调岗调薪）、decision 或 mutual_agreement / use improvement, adjustment, decision or mutual_agreement"
                },
            );
        }
    }
    for (i, v) in p.vetoes.iter().enumerate() {
        match legal(&v.outcome) {
            Some(LegalPath::Misconduct) | None => {}
            Some(lp) => r.hint(
                format!("veto[{i}].outcome"),
                format!("否决项 `{}` 的结果须走违纪路径 `misconduct`（《劳动合同法》第39条），这里是 `{}`", v.id, path_name(lp)),
                format!("veto `{}` must lead to the `misconduct` path (Labour Contract Law Art. 39), not `{}`", v.id, path_name(lp)),
                "制度须把该行为定义为严重违纪并附证据 / the rule must define the conduct as serious misconduct, with evidence attached",
            ),
        }
    }
    let probation = p
        .population
        .include
        .as_ref()
        .is_some_and(mentions_probation);
    if probation {
        for (i, g) in p.gates.iter().enumerate() {
            match legal(&g.outcome) {
                Some(LegalPath::Probation | LegalPath::Improvement | LegalPath::Misconduct) | None => {}
                Some(lp) => r.hint(
                    format!("gate[{i}].outcome"),
                    format!("试用期人员的关卡 `{}` 结果为 `{}`：试用期只能依第21条（不符合录用条件）或第39条处理", g.id, path_name(lp)),
                    format!("gate `{}` of a probation population leads to `{}`: in probation only Art. 21 (hiring conditions not met) or Art. 39 apply", g.id, path_name(lp)),
                    "改用 probation（书面说明理由）或 improvement / use probation (with a written reason) or improvement",
                ),
            }
        }
    }
}
