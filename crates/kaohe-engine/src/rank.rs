//! Ranking (排名, P1.3): ranking groups by roster fields, exact ordering by the score and the
//! tie-breakers (P8.4), shared competition ranks (1, 2, 2, 4) for people equal on every key.

use crate::data::Mark;
use crate::engine::Engine;
use crate::population::Work;
use crate::result::Status;
use kaohe_policy::model::Order;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Key of the single group when the policy does not group (全部).
pub(crate) const ALL: &str = "全部";

/// A ranking group (排名组).
pub(crate) struct Group {
    pub(crate) key: String,
    /// Indexes into the works of the people ranked here, best first.
    pub(crate) ranked: Vec<usize>,
    /// Indexes of everyone listed in this group.
    pub(crate) all: Vec<usize>,
}

fn directed(o: Ordering, order: Order) -> Ordering {
    match order {
        Order::Desc => o.reverse(),
        Order::Asc => o,
    }
}

/// Compare two ranked people: `Less` = `a` ranks better. Exact values only (X2); `Equal` means
/// equal on the score and on every tie-breaker.
pub(crate) fn better(engine: &Engine, a: &Work, b: &Work) -> Ordering {
    let order = engine
        .policy
        .ranking
        .as_ref()
        .map_or(Order::Desc, |r| r.order);
    let first = directed(a.res.score.cmp(&b.res.score), order);
    if first != Ordering::Equal {
        return first;
    }
    for (k, (_, o)) in engine.tie_keys.iter().enumerate() {
        let c = directed(a.keys.get(k).cmp(&b.keys.get(k)), *o);
        if c != Ordering::Equal {
            return c;
        }
    }
    Ordering::Equal
}

/// Group key of a person; `None` when a group field is blank.
fn key(engine: &Engine, w: &Work) -> Option<String> {
    if engine.group_by.is_empty() {
        return Some(ALL.to_string());
    }
    if let [f] = engine.group_by.as_slice() {
        return f.text(w.person).map(str::to_string);
    }
    let mut parts = Vec::with_capacity(engine.group_by.len());
    for f in &engine.group_by {
        parts.push(f.text(w.person)?);
    }
    Some(parts.join(" / "))
}

/// Position of a group key in the policy's level order when the policy ranks by level alone.
fn level_position(engine: &Engine, key: &str) -> usize {
    let by_level = matches!(
        engine.policy.ranking.as_ref().map(|r| r.group_by.as_slice()),
        Some([f]) if f == "level"
    );
    let levels = engine.policy.levels.as_ref().filter(|_| by_level);
    levels
        .and_then(|l| l.order.iter().position(|d| d.id == key || d.name == key))
        .unwrap_or(usize::MAX)
}

/// Assign groups and ranks. Groups come back sorted by key (levels in level order).
pub(crate) fn rank(engine: &Engine, works: &mut [Work]) -> Vec<Group> {
    let mut keys: Vec<String> = Vec::with_capacity(works.len());
    for w in works.iter_mut() {
        let k = match key(engine, w) {
            Some(k) => k,
            None => {
                if w.rankable {
                    w.error(
                        "group_by",
                        "花名册中缺少排名分组字段（如分公司）".into(),
                        "a ranking group field (e.g. branch) is blank on the roster".into(),
                    );
                    w.rankable = false;
                    w.res.status = Status::NeedsData;
                    w.res.mark = Mark::Pending;
                }
                "（未填）".to_string()
            }
        };
        keys.push(k);
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut uniq: Vec<&str> = Vec::new();
    for k in &keys {
        if !ids.contains_key(k.as_str()) {
            ids.insert(k.as_str(), uniq.len());
            uniq.push(k.as_str());
        }
    }
    let mut sorted: Vec<usize> = (0..uniq.len()).collect();
    // Groups by key; when ranking by level (P1.4), levels come low to high as the policy
    // orders them (见习, 初级, 中级, 高级), not in character-code order.
    let level_pos = |k: &str| level_position(engine, k);
    sorted.sort_by(|a, b| (level_pos(uniq[*a]), uniq[*a]).cmp(&(level_pos(uniq[*b]), uniq[*b])));
    let mut pos = vec![0usize; uniq.len()];
    for (p, u) in sorted.iter().enumerate() {
        pos[*u] = p;
    }
    let mut groups: Vec<Group> = sorted
        .iter()
        .map(|u| Group {
            key: uniq[*u].to_string(),
            ranked: Vec::new(),
            all: Vec::new(),
        })
        .collect();
    for (i, k) in keys.iter().enumerate() {
        let g = pos[ids[k.as_str()]];
        groups[g].all.push(i);
        if works[i].rankable {
            groups[g].ranked.push(i);
        }
    }
    drop(ids);
    // Each person's key is their group's key: move it in rather than copy the group's.
    for (w, k) in works.iter_mut().zip(keys) {
        w.res.group = k;
    }
    for (gi, g) in groups.iter_mut().enumerate() {
        for &i in &g.all {
            works[i].gid = gi;
        }
        g.ranked.sort_by(|a, b| {
            better(engine, &works[*a], &works[*b])
                .then_with(|| works[*a].person.id.cmp(&works[*b].person.id))
        });
        let size = g.ranked.len() as u32;
        let mut rank = 0u32;
        for (p, &i) in g.ranked.iter().enumerate() {
            if p == 0 || better(engine, &works[g.ranked[p - 1]], &works[i]) != Ordering::Equal {
                rank = p as u32 + 1;
            }
            let w = &mut works[i];
            w.res.rank = Some(rank);
            w.res.group_size = Some(size);
            w.builtins.rank = Some(rank);
            w.builtins.group_size = Some(size);
        }
    }
    groups
}
