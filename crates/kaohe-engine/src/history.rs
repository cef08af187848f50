//! History rules (历史规则, P8.6): consecutive entries, k times within a rolling window, and
//! cumulative counts in a calendar year, over earlier periods' marks plus this period's.
//!
//! How the sequence is built and what non-event periods do is documented once in
//! [`timeline`]. In short (P8.6 Decisions): the event is entering the line ([`Mark::Line`]);
//! periods without a record count as absent; what a clear, exempt, absent or skipped period
//! does to a run is the policy's [`StreakEffects`] (break or neutral), never assumed; vetoed
//! and pending periods always break; the rolling window includes the current period; a rule
//! fires only when the current period is itself an event.
//!
//! Every rule whose count is at least one gives the person a [`HistoryHit`] (fired or not), so
//! HR sees "2nd month in a row" before the rule fires. A pending period (tie at the line,
//! missing data) is not counted, and the hit says what would happen if a person decided it as
//! a line entry (X5).

mod text;
pub(crate) mod timeline;

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;

use crate::data::{History, Mark, PeriodRecord};
use crate::result::{HistoryHit, PeriodResult, Status};
use kaohe_policy::model::{Cycle, HistoryRule};
use kaohe_policy::Policy;
use timeline::Timeline;

/// Fill each person's `history` hits from earlier marks plus this period's mark.
///
/// People not covered by the policy this period get no hits.
pub(crate) fn apply(policy: &Policy, result: &mut PeriodResult, history: &History) {
    if policy.history.is_empty() {
        return;
    }
    let cycle = policy.policy.cycle;
    let current = result.period.index;
    for person in &mut result.people {
        if person.status == Status::NotCovered {
            continue;
        }
        let tl = Timeline::new(history.of(&person.id), current, person.mark);
        for rule in &policy.history {
            if let Some(hit) = hit(rule, tl, cycle) {
                person.history.push(hit);
            }
        }
    }
}

/// Append this period's marks, scores and ladder counts to the history, replacing a record of
/// the same period (re-evaluation). Every person listed in the result is recorded, so a later
/// period sees exactly the marks this one left.
pub fn record(result: &PeriodResult, history: &mut History) {
    for person in &result.people {
        history.insert(
            &person.id,
            PeriodRecord {
                period: result.period.clone(),
                mark: person.mark,
                score: person.score,
                ladder_count: person.ladder.as_ref().map_or(0, |l| l.count),
            },
        );
    }
}

/// The counts one rule looks at, for one timeline.
struct Counts {
    /// Run ending now (0 unless the current period is an event).
    consecutive: u32,
    /// `(n, events in the last n periods)` per distinct window, in trigger order.
    windows: Vec<(u32, u32)>,
    /// Events in the calendar year, if a trigger counts by year.
    year: Option<u32>,
    /// Whether any trigger holds (only when the current period is an event).
    fired: bool,
}

fn counts(rule: &HistoryRule, tl: Timeline<'_>, cycle: Cycle) -> Counts {
    let event = tl.mark() == Mark::Line;
    let consecutive = if event { tl.run(&rule.streak) } else { 0 };
    let mut windows: Vec<(u32, u32)> = Vec::new();
    let mut year = None;
    let mut fired = false;
    for t in &rule.triggers {
        if let Some(n) = t.consecutive {
            fired |= event && n > 0 && consecutive >= n;
        }
        if let (Some(k), Some(n)) = (t.times, t.within) {
            let c = tl.events_in_window(n);
            fired |= event && k > 0 && c >= k;
            if !windows.iter().any(|(m, _)| *m == n) {
                windows.push((n, c));
            }
        }
        if let (Some(k), Some(true)) = (t.times, t.in_year) {
            let c = tl.events_in_year(cycle);
            fired |= event && k > 0 && c >= k;
            year = Some(c);
        }
    }
    Counts {
        consecutive,
        windows,
        year,
        fired,
    }
}

/// The hit for one rule, or `None` when nothing counts.
fn hit(rule: &HistoryRule, tl: Timeline<'_>, cycle: Cycle) -> Option<HistoryHit> {
    let c = counts(rule, tl, cycle);
    let any_window = c.windows.iter().any(|(_, k)| *k > 0);
    if c.consecutive == 0 && !any_window && c.year.unwrap_or(0) == 0 {
        return None;
    }
    let u = text::unit(cycle);
    let event = tl.mark() == Mark::Line;
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    match tl.mark() {
        Mark::Line if c.consecutive >= 2 => {
            zh.push(format!("连续第{}{}进入末位线", c.consecutive, u.zh_count));
            en.push(format!(
                "{} {} in a row in the line",
                text::ordinal(c.consecutive),
                u.en
            ));
        }
        Mark::Line => {
            zh.push(format!("{}进入末位线", u.zh_this));
            en.push(format!("in the line {}", u.en_this));
        }
        Mark::Pending => {
            zh.push(format!("{}待定（末位并列或数据待补），暂不计入", u.zh_this));
            en.push(format!(
                "{} is pending (a tie at the line or missing data) and not counted yet",
                u.en_this
            ));
        }
        _ => {
            zh.push(format!("{}未进入末位线", u.zh_this));
            en.push(format!("not in the line {}", u.en_this));
        }
    }
    for (n, k) in c.windows.iter().filter(|(_, k)| *k > 0) {
        if event {
            zh.push(format!("近{n}{}内第{k}次", u.zh_count));
            en.push(format!(
                "{} time in {}",
                text::ordinal(*k),
                text::plural(*n, u.en)
            ));
        } else {
            zh.push(format!("近{n}{}内共{k}次", u.zh_count));
            en.push(format!(
                "{} in the last {}",
                text::plural(*k, "time"),
                text::plural(*n, u.en)
            ));
        }
    }
    if let Some(k) = c.year.filter(|k| *k > 0) {
        if event {
            zh.push(format!("本年度第{k}次"));
            en.push(format!("{} time this calendar year", text::ordinal(k)));
        } else {
            zh.push(format!("本年度共{k}次"));
            en.push(format!("{} this calendar year", text::plural(k, "time")));
        }
    }
    let name_en = rule.name_en.as_deref().unwrap_or(&rule.name);
    let rule_tag = rule
        .rule
        .as_deref()
        .map(|r| format!("（{r}）"))
        .unwrap_or_default();
    let rule_tag_en = rule
        .rule
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    if c.fired {
        zh.push(format!("触发「{}」{rule_tag}", rule.name));
        en.push(format!("triggers “{name_en}”{rule_tag_en}"));
    } else if tl.mark() == Mark::Pending && counts(rule, tl.with_mark(Mark::Line), cycle).fired {
        zh.push(format!(
            "若裁定{}进入末位线，将触发「{}」{rule_tag}",
            u.zh_this, rule.name
        ));
        en.push(format!(
            "if {} is decided as a line entry, “{name_en}” fires{rule_tag_en}",
            u.en_this
        ));
    }
    let in_window = c
        .windows
        .iter()
        .map(|(_, k)| *k)
        .max()
        .or(c.year)
        .unwrap_or(0);
    Some(HistoryHit {
        id: rule.id.clone(),
        rule: rule.rule.clone(),
        fired: c.fired,
        consecutive: c.consecutive,
        in_window,
        zh: zh.join("；"),
        en: en.join("; "),
    })
}
