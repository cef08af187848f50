//! Block aggregates (周期汇总, P2.7): every `every` periods counted from `anchor`, the sum of
//! each person's scores over the block, and the bottom proposed for a person's decision.
//!
//! Decisions (documented choices):
//! - Blocks start at the anchor (P2.7: 2016-04 → Apr–Jun, Jul–Sep, …). A block closes in its
//!   last period; only then is an [`AggregateResult`] produced. Periods before the anchor
//!   belong to no block.
//! - The sum is over the **ranking score**: [`crate::data::PeriodRecord::score`] for earlier
//!   periods (records store the ranking score) and this period's [`PersonResult::score`]. The
//!   policy's `measure` must therefore be the ranking indicator (`ranking.by`); the engine does
//!   not recompute another indicator for earlier periods. A policy whose `measure` differs is
//!   a validation matter for kaohe-policy.
//! - "Bottom" follows the ranking order: lowest sums when higher is better (`desc`, P2), the
//!   highest when lower is better (`asc`).
//! - Per ranking group (this period's group). People not covered this period are left out;
//!   anyone covered with a period of the block missing a score is listed as `incomplete`,
//!   never proposed silently and never silently dropped.
//! - Exactly `bottom` people are proposed; when the boundary falls inside an exact tie of sums,
//!   those strictly below the tie are proposed and the tied ones go to `tied` for a person to
//!   decide (X5). The result is a proposal: the outcome needs confirmation (P2.7: the GM
//!   office decides).

#[cfg(test)]
mod tests;

use crate::data::{History, Period};
use crate::result::{AggregateResult, DataError, PeriodResult, PersonResult, Status};
use kaohe_policy::model::{Aggregate, Order};
use kaohe_policy::Policy;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Fill `result.aggregates` when this period closes a block.
pub(crate) fn apply(policy: &Policy, result: &mut PeriodResult, history: &History) {
    let order = policy.ranking.as_ref().map_or(Order::Desc, |r| r.order);
    for agg in &policy.aggregates {
        match block(policy, agg, &result.period) {
            Ok(Some(periods)) => {
                let closed = close(agg, order, &periods, &result.people, history);
                result.aggregates.extend(closed);
            }
            Ok(None) => {}
            Err((zh, en)) => result.data_errors.push(DataError {
                person: String::new(),
                field: agg.id.clone(),
                source: Default::default(),
                zh,
                en,
            }),
        }
    }
}

/// The periods of the block that closes with `current`, or `None` when none closes.
pub(crate) fn block(
    policy: &Policy,
    agg: &Aggregate,
    current: &Period,
) -> Result<Option<Vec<Period>>, (String, String)> {
    let cycle = policy.policy.cycle;
    let Some(anchor) = Period::parse(&agg.anchor, cycle) else {
        return Err((
            format!("汇总「{}」的起始期间 `{}` 无法识别", agg.name, agg.anchor),
            format!(
                "aggregate `{}`: anchor period `{}` is not a period of this cycle",
                agg.id, agg.anchor
            ),
        ));
    };
    if agg.every == 0 {
        return Err((
            format!("汇总「{}」的周期长度为0", agg.name),
            format!("aggregate `{}`: block length `every` is 0", agg.id),
        ));
    }
    let every = i64::from(agg.every);
    let offset = current.index - anchor.index;
    if offset < 0 || (offset + 1) % every != 0 {
        return Ok(None);
    }
    let first = offset + 1 - every;
    Ok(Some(
        (first..=offset).map(|k| anchor.offset(cycle, k)).collect(),
    ))
}

/// One result per ranking group for one closing block.
fn close(
    agg: &Aggregate,
    order: Order,
    periods: &[Period],
    people: &[PersonResult],
    history: &History,
) -> Vec<AggregateResult> {
    let Some((_current, earlier)) = periods.split_last() else {
        return Vec::new();
    };
    let mut groups: BTreeMap<&str, AggregateResult> = BTreeMap::new();
    for p in people.iter().filter(|p| p.status != Status::NotCovered) {
        let entry = groups
            .entry(p.group.as_str())
            .or_insert_with(|| AggregateResult {
                id: agg.id.clone(),
                group: p.group.clone(),
                periods: periods.iter().map(|x| x.label.clone()).collect(),
                sums: Vec::new(),
                proposed: Vec::new(),
                tied: Vec::new(),
                incomplete: Vec::new(),
            });
        let records = history.of(&p.id);
        let mut sum = Some(Decimal::ZERO);
        for period in earlier {
            let score = records
                .binary_search_by(|r| r.period.index.cmp(&period.index))
                .ok()
                .and_then(|i| records[i].score);
            sum = sum.zip(score).and_then(|(a, b)| a.checked_add(b));
        }
        // The current period: this period's ranking score.
        sum = sum.zip(p.score).and_then(|(a, b)| a.checked_add(b));
        match sum {
            Some(s) => entry.sums.push((p.id.clone(), s)),
            None => entry.incomplete.push(p.id.clone()),
        }
    }
    groups
        .into_values()
        .map(|mut g| {
            select(&mut g, agg.bottom, order);
            g
        })
        .collect()
}

/// Sort the sums worst first and fill `proposed` and `tied`.
fn select(g: &mut AggregateResult, bottom: u32, order: Order) {
    // Worst first: lowest sums when higher is better; ties in the list by id only for display.
    g.sums.sort_by(|(ia, a), (ib, b)| {
        let by_sum = match order {
            Order::Desc => a.cmp(b),
            Order::Asc => b.cmp(a),
        };
        by_sum.then_with(|| ia.cmp(ib))
    });
    g.incomplete.sort();
    let n = bottom as usize;
    if n == 0 || g.sums.is_empty() {
        return;
    }
    if g.sums.len() <= n {
        g.proposed = g.sums.iter().map(|(id, _)| id.clone()).collect();
        return;
    }
    let boundary = g.sums[n - 1].1;
    if g.sums[n].1 != boundary {
        g.proposed = g.sums[..n].iter().map(|(id, _)| id.clone()).collect();
        return;
    }
    for (id, s) in &g.sums {
        if *s == boundary {
            g.tied.push(id.clone());
        } else if g.tied.is_empty() {
            g.proposed.push(id.clone());
        }
    }
}
