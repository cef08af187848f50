//! Improvement suggestions (改进建议, P1.5): for each ranked person, the (up to) two indicators
//! furthest below the group average. Indicators used are the leaf parts of the ranking score
//! when it is a composite, otherwise every numeric, non-composite indicator but the score itself.

use crate::blocks::{exact_div, num, Block, Src};
use crate::engine::Engine;
use crate::lookup::{IVal, Slot};
use crate::population::Work;
use crate::rank::Group;
use crate::result::Suggestion;
use kaohe_policy::Policy;
use rust_decimal::Decimal;

/// Leaf indicators the suggestions compare.
pub(crate) fn leaves(policy: &Policy, blocks: &[Block], rank_by: Option<&Src>) -> Vec<usize> {
    let root = match rank_by.map(|s| s.slot) {
        Some(Slot::Indicator(i)) => Some(i),
        _ => None,
    };
    let mut out = Vec::new();
    if let Some(r) = root {
        let mut stack = vec![r];
        let mut seen = vec![false; blocks.len()];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            match blocks[i].parts() {
                Some(parts) => stack.extend(parts.iter().filter_map(|s| match s.slot {
                    Slot::Indicator(j) => Some(j),
                    _ => None,
                })),
                None if i != r => out.push(i),
                None => {}
            }
        }
    }
    if out.is_empty() {
        out = (0..policy.indicators.len())
            .filter(|i| Some(*i) != root && blocks[*i].parts().is_none())
            .collect();
    }
    out.sort_unstable();
    out
}

/// Fill `suggestions` for ranked people.
pub(crate) fn apply(engine: &Engine, works: &mut [Work], groups: &[Group]) {
    let leaves = &engine.suggest_from;
    if leaves.is_empty() || engine.rank_by.is_none() {
        return;
    }
    let dp = engine.dp;
    for g in groups {
        let mut avg = Vec::with_capacity(leaves.len());
        for &l in leaves {
            let (mut sum, mut count) = (Decimal::ZERO, 0u64);
            for &i in &g.ranked {
                if let Some(IVal::Num(v)) = works[i].inds.get(l) {
                    sum += *v;
                    count += 1;
                }
            }
            avg.push((count > 0).then(|| exact_div(sum, Decimal::from(count))));
        }
        let mut gaps: Vec<(Decimal, usize)> = Vec::with_capacity(leaves.len());
        for &i in &g.ranked {
            let w = &mut works[i];
            gaps.clear();
            for (k, &l) in leaves.iter().enumerate() {
                if let (Some(IVal::Num(v)), Some(a)) = (w.inds.get(l), avg[k]) {
                    let gap = *v - a;
                    if gap < Decimal::ZERO {
                        gaps.push((gap, l));
                    }
                }
            }
            gaps.sort();
            w.res.suggestions = gaps
                .iter()
                .take(2)
                .map(|&(gap, l)| {
                    let ind = &engine.policy.indicators[l];
                    let en_name = ind.name_en.as_deref().unwrap_or(&ind.name);
                    // Written piece by piece (a million people, two texts each): the same text
                    // as `format!("“{name}”比组内平均低{g}，建议重点改进")` and its English (no unit: the
                    // indicator may be points, money or a rate).
                    let g = num(-gap, dp);
                    let mut zh = String::with_capacity(ind.name.len() + g.len() + 48);
                    for part in ["“", &ind.name, "”比组内平均低", &g, "，建议重点改进"]
                    {
                        zh.push_str(part);
                    }
                    let mut en = String::with_capacity(en_name.len() + g.len() + 48);
                    for part in [
                        "\u{201c}",
                        en_name,
                        "\u{201d} is ",
                        &g,
                        " below the group average; focus here",
                    ] {
                        en.push_str(part);
                    }
                    Suggestion {
                        indicator: ind.id.clone(),
                        gap,
                        zh,
                        en,
                    }
                })
                .collect();
        }
    }
}
