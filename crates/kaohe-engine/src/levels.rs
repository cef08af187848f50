//! Level changes (职级变动, P5): from the roster level, the first change whose `from` is the
//! person's level and whose condition holds is proposed; promotion when `to` is higher in the
//! policy's order (P5.1: trial → junior → middle → senior).

use crate::engine::Engine;
use crate::population::Work;
use crate::result::{LevelChangeResult, Status};

/// Propose level changes; undecidable conditions are reported as data errors.
pub(crate) fn apply(engine: &Engine, works: &mut [Work]) {
    let Some(levels) = &engine.policy.levels else {
        return;
    };
    for w in works.iter_mut() {
        if w.facts.is_none() || matches!(w.res.status, Status::NotCovered | Status::Absent) {
            continue;
        }
        let Some(text) = w
            .person
            .level
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let Some(from) = levels
            .order
            .iter()
            .position(|l| l.id == text || l.name == text)
        else {
            w.error(
                "level",
                format!("级别“{text}”不在制度的职级序列中"),
                format!("level `{text}` is not one of the policy's levels"),
            );
            continue;
        };
        let from_id = &levels.order[from].id;
        for (k, ch) in levels.changes.iter().enumerate() {
            if &ch.from != from_id {
                continue;
            }
            match engine.level_changes[k].eval(&w.ctx()) {
                Ok(true) => {
                    let to = levels.order.iter().position(|l| l.id == ch.to);
                    w.res.level_change = Some(LevelChangeResult {
                        from: from_id.clone(),
                        to: ch.to.clone(),
                        rule: ch.rule.clone().or_else(|| levels.rule.clone()),
                        promotion: to.is_some_and(|t| t > from),
                    });
                    break;
                }
                Ok(false) => {}
                Err(e) => {
                    if !e.reported {
                        w.error(
                            &e.field,
                            format!("职级变动{}→{}：{}", ch.from, ch.to, e.zh),
                            format!("level change {}→{}: {}", ch.from, ch.to, e.en),
                        );
                    }
                    break;
                }
            }
        }
    }
}
