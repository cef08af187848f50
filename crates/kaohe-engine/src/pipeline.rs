//! The per-period pipeline up to the line (计算流程): population and scoring (in parallel over
//! chunks of people), ranking, the line, levels and suggestions, then the result in its
//! deterministic order (group key, rank, id) whatever the order of the input rows.

use crate::data::{Period, PeriodInput, Person};
use crate::engine::Engine;
use crate::population::{admit, Work};
use crate::result::{DataError, PeriodResult};
use kaohe_policy::model::Jurisdiction;
use std::collections::HashMap;

/// Population → score → rank → line → levels → suggestions.
pub(crate) fn run(engine: &Engine, input: &PeriodInput) -> PeriodResult {
    let mut counts: HashMap<&str, u32> = HashMap::with_capacity(input.people.len());
    for p in &input.people {
        *counts.entry(p.id.as_str()).or_default() += 1;
    }
    let mut errors: Vec<DataError> = input
        .facts
        .iter()
        .filter(|(id, _)| !counts.contains_key(id.as_str()))
        .map(|(id, f)| DataError {
            person: id.clone(),
            field: "id".into(),
            source: f.source.clone(),
            zh: format!("工号“{id}”有当期数据但不在花名册中"),
            en: format!("employee id `{id}` has data but is not on the roster"),
        })
        .collect();
    let period = input.period.as_ref();
    let counts = &counts;
    let one = move |p| one_person(engine, input, counts, period, p);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let mut works: Vec<Work> = if threads > 1 && input.people.len() >= 20_000 {
        let chunk = input.people.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = input
                .people
                .chunks(chunk)
                .map(|c| s.spawn(move || c.iter().filter_map(one).collect::<Vec<_>>()))
                .collect();
            // Merge into the first chunk's vector, grown once to the exact total (a large block
            // grows in place), rather than collecting into a third, doubling vector.
            let mut parts = handles.into_iter().map(|h| h.join().unwrap_or_default());
            let mut all: Vec<Work> = parts.next().unwrap_or_default();
            all.reserve_exact(input.people.len().saturating_sub(all.len()));
            for mut p in parts {
                all.append(&mut p);
            }
            all
        })
    } else {
        input.people.iter().filter_map(one).collect()
    };
    let groups = crate::rank::rank(engine, &mut works);
    let (group_results, ties) = crate::line::draw(engine, input, &mut works, &groups);
    errors.extend(crate::line::unapplied_decisions(
        input,
        &group_results,
        &ties,
    ));
    crate::levels::apply(engine, &mut works);
    crate::suggest::apply(engine, &mut works, &groups);
    let order = output_order(&works, &groups);
    // Put the works in output order in place, then turn them into results in the same
    // allocation (no second copy of a million results at the peak).
    permute(&mut works, &order);
    let people: Vec<_> = works
        .into_iter()
        .map(|w| {
            errors.extend(w.errors);
            w.res
        })
        .collect();
    errors.sort_by(|a, b| (&a.person, &a.field, &a.zh).cmp(&(&b.person, &b.field, &b.zh)));
    errors.dedup();
    let policy = engine.policy;
    PeriodResult {
        policy_id: policy.policy.id.clone(),
        policy_version: policy.policy.version.clone(),
        labour_law_checked: policy.policy.jurisdiction == Jurisdiction::Cn,
        period: input.period.clone().unwrap_or(Period {
            index: 0,
            label: String::new(),
        }),
        groups: group_results,
        people,
        ties,
        aggregates: Vec::new(),
        data_errors: errors,
    }
}

/// Admit and score one roster person.
fn one_person<'a, 'e>(
    engine: &'e Engine,
    input: &'a PeriodInput,
    counts: &HashMap<&str, u32>,
    period: Option<&Period>,
    p: &'a Person,
) -> Option<Work<'a, 'e>> {
    let facts = input.facts.get(&p.id);
    let dup = counts.get(p.id.as_str()).copied().unwrap_or(0) > 1;
    admit(engine, p, facts, period, dup).map(|mut w| {
        crate::score::score(engine, &mut w);
        w
    })
}

/// Reorder `v` in place so that `v[k]` becomes the old `v[order[k]]`, following the
/// permutation's cycles. `order` is a permutation of `0..v.len()` ([`output_order`] lists every
/// work once); indexes out of range are ignored rather than trusted.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let n = v.len().min(order.len());
    let mut done = vec![false; n];
    for start in 0..n {
        let mut k = start;
        while !done[k] {
            done[k] = true;
            let next = order[k];
            if next == start || next >= n {
                break;
            }
            v.swap(k, next);
            k = next;
        }
    }
}

/// Output order without moving the people: groups by key (already sorted), within a group the
/// ranked by rank then id (the order ranking left them in), then the unranked by id.
fn output_order(works: &[Work], groups: &[crate::rank::Group]) -> Vec<usize> {
    let mut order = Vec::with_capacity(works.len());
    for g in groups {
        let mut ranked: Vec<usize> = g
            .all
            .iter()
            .copied()
            .filter(|i| works[*i].res.rank.is_some())
            .collect();
        ranked.sort_by(|a, b| {
            (works[*a].res.rank, &works[*a].person.id)
                .cmp(&(works[*b].res.rank, &works[*b].person.id))
        });
        let mut rest: Vec<usize> = g
            .all
            .iter()
            .copied()
            .filter(|i| works[*i].res.rank.is_none())
            .collect();
        rest.sort_by(|a, b| works[*a].person.id.cmp(&works[*b].person.id));
        order.extend(ranked);
        order.extend(rest);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::permute;

    /// v[k] becomes old v[order[k]]: order [2, 0, 3, 1] on [a, b, c, d] gives [c, a, d, b].
    #[test]
    fn permute_follows_cycles() {
        let mut v = vec!['a', 'b', 'c', 'd'];
        permute(&mut v, &[2, 0, 3, 1]);
        assert_eq!(v, vec!['c', 'a', 'd', 'b']);
        let mut w: Vec<usize> = (0..7).collect();
        let order = [6, 5, 4, 0, 1, 2, 3];
        permute(&mut w, &order);
        assert_eq!(w, order.to_vec());
    }
}
