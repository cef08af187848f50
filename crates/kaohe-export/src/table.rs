//! The ranked terminal table (终端排名表).
//!
//! Per ranking group: a header line (group key, ranked count, quota, how the line was drawn and
//! the group's note), then the rows in result order with a separator `──── 末位线 ────` above the
//! first person in the line. Then everything that needs a person's decision (需要人工裁决):
//! ties at the line (P7.6, X5), block-aggregate proposals (P2.7), data errors with their source,
//! typed totals that differ (P2.7). Column widths count CJK characters as two columns; the three
//! text columns share what is left of 120 columns and are cut with `…` (`kaohe explain` has all).

use crate::columns::columns;
use crate::labels::{self, pick, EMPTY_MESSAGE};
use crate::rows::{mismatch_text, row, Index, Row};
use crate::text::{pad_left_aligned, pad_right_aligned, truncate, width, wrap};
use crate::Lang;
use kaohe_engine::display;
use kaohe_engine::result::{GroupResult, LinePosition, LineState, PeriodResult};
use kaohe_policy::model::Policy;
use std::collections::HashMap;

/// Target width of the table.
const WIDTH: usize = 120;
/// Gap between columns.
const GAP: &str = "  ";
/// Widest name shown before cutting.
const NAME_MAX: usize = 12;
/// Most physical lines a row takes; longer text is cut (`kaohe explain` shows all of it).
const MAX_LINES: usize = 3;
/// Narrowest a text column is made.
const TEXT_MIN: usize = 8;

pub fn render(policy: &Policy, result: &PeriodResult, lang: Lang) -> String {
    let index = Index::new(result);
    let mut out = Vec::new();
    out.push(title(policy, result, lang));
    if !result.labour_law_checked {
        out.push(labels::law_off(lang).to_string());
    }
    if result.people.is_empty() {
        out.push(String::new());
        out.push(EMPTY_MESSAGE.to_string());
    } else {
        out.extend(body(policy, result, &index, lang));
    }
    out.push(String::new());
    out.extend(decisions(policy, result, &index, lang));
    let mut text = out.join("\n");
    text.push('\n');
    text
}

fn title(policy: &Policy, result: &PeriodResult, lang: Lang) -> String {
    let meta = &policy.policy;
    let name = match lang {
        Lang::Zh => meta.name.as_str(),
        Lang::En => meta.name_en.as_deref().unwrap_or(&meta.name),
    };
    match lang {
        Lang::Zh => format!(
            "{name} · {} · 版本 {}",
            result.period.label, result.policy_version
        ),
        Lang::En => format!(
            "{name} · {} · version {}",
            result.period.label, result.policy_version
        ),
    }
}

/// Column alignment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// The table rows, grouped.
fn body(policy: &Policy, result: &PeriodResult, index: &Index, lang: Lang) -> Vec<String> {
    let dp = policy.policy.decimals;
    let mut cols = columns(policy);
    // Part columns nobody has a value for (e.g. a fallback measure in a normal month) only take room.
    cols.parts.retain(|c| {
        result.people.iter().any(|p| {
            p.indicators
                .iter()
                .any(|i| i.id == c.id && (i.value.is_some() || i.label.is_some()))
        })
    });
    let rows: Vec<Row> = result
        .people
        .iter()
        .map(|p| row(policy, &cols, index, p, lang))
        .collect();

    let mut headers: Vec<String> = vec![
        pick(lang, "排名", "Rank").into(),
        pick(lang, "工号", "ID").into(),
        pick(lang, "姓名", "Name").into(),
    ];
    headers.extend(
        cols.parts
            .iter()
            .map(|c| pick(lang, &c.name, &c.name_en).to_string()),
    );
    headers.push(cols.score_label(lang));
    headers.push(pick(lang, "状态/标记", "Status").into());
    headers.push(pick(lang, "历史", "History").into());
    headers.push(pick(lang, "结果", "Outcome").into());
    let n = headers.len();
    let mut align = vec![Align::Right, Align::Left, Align::Left];
    align.extend(cols.parts.iter().map(|_| Align::Right));
    align.extend([Align::Right, Align::Left, Align::Left, Align::Left]);

    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut c = vec![
                r.p.rank
                    .map(|k| k.to_string())
                    .unwrap_or_else(|| "-".into()),
                r.p.id.clone(),
                r.p.name.clone(),
            ];
            c.extend(r.values.iter().map(|v| v.show(dp, "-")));
            c.push(r.total.show(dp, "-"));
            c.push(r.flag.clone());
            c.push(r.history.clone());
            c.push(r.outcomes.clone());
            c
        })
        .collect();

    // Natural widths: the widest of header and values.
    let mut values_w: Vec<usize> = vec![0; n];
    for c in &cells {
        for (w, s) in values_w.iter_mut().zip(c) {
            *w = (*w).max(width(s));
        }
    }
    let natural = |i: usize, header_w: usize| header_w.max(values_w[i]);
    let mut widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| natural(i, width(h)))
        .collect();
    widths[2] = widths[2].min(NAME_MAX.max(width(&headers[2])));
    let gaps = GAP.len() * (n - 1);
    let text_want: usize = widths[n - 3..].iter().sum();
    if widths[..n - 3].iter().sum::<usize>() + gaps + text_want > WIDTH {
        // Short of room: a number column is only as wide as its values, its header wrapping onto
        // two lines ("Payment collected" → "Payment" / "collected").
        for (i, h) in headers.iter().enumerate().take(n - 3).skip(3) {
            widths[i] = natural(i, width(h).div_ceil(2));
        }
    }
    let fixed: usize = widths[..n - 3].iter().sum::<usize>() + gaps;
    let flex = share(WIDTH.saturating_sub(fixed), &widths[n - 3..]);
    widths[n - 3..].copy_from_slice(&flex);
    let total_width = widths.iter().sum::<usize>() + GAP.len() * (n - 1);

    let line_of = |c: &[String]| {
        c.iter()
            .zip(&widths)
            .zip(&align)
            .map(|((s, w), a)| match a {
                Align::Left => pad_left_aligned(s, *w),
                Align::Right => pad_right_aligned(s, *w),
            })
            .collect::<Vec<_>>()
            .join(GAP)
    };
    // A row whose text cells are too wide continues on up to MAX_LINES physical lines.
    let lines_of = |c: &[String], all: bool| -> Vec<String> {
        let wrapped: Vec<Vec<String>> = c
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (s, w))| {
                if all || i >= n - 3 {
                    cut_lines(wrap(s, *w, ""), *w)
                } else {
                    vec![s.clone()]
                }
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (0..height)
            .map(|k| {
                let physical: Vec<String> = wrapped
                    .iter()
                    .map(|cell| cell.get(k).cloned().unwrap_or_default())
                    .collect();
                line_of(&physical)
            })
            .collect()
    };
    let header_lines = lines_of(&headers, true);
    let rule_line = "─".repeat(total_width);
    let marker = separator(pick(lang, " 末位线 ", " line "), total_width);

    let mut out = Vec::new();
    for (key, group, members) in sections(result) {
        out.push(String::new());
        out.extend(group_header(policy, index, key, group, lang));
        out.extend(header_lines.iter().cloned());
        out.push(rule_line.clone());
        let mut marked = false;
        for (r, c) in members.iter().map(|&i| (&rows[i], &cells[i])) {
            let at_line = matches!(r.p.line, LinePosition::InLine | LinePosition::TiePending);
            if at_line && !marked {
                out.push(marker.clone());
                marked = true;
            }
            out.extend(lines_of(c, false));
        }
    }
    out
}

/// Keep at most [`MAX_LINES`] lines, marking a cut with `…`.
fn cut_lines(mut lines: Vec<String>, w: usize) -> Vec<String> {
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        if let Some(last) = lines.last_mut() {
            *last = truncate(&format!("{last}…"), w);
            if !last.ends_with('…') {
                last.pop();
                last.push('…');
            }
        }
    }
    lines
}

/// Share `room` columns among the text columns (状态/标记, 历史, 结果) of natural widths `want`
/// by weighted water-filling: status weighs most (it says why a row is marked), then history
/// (short, and the reason for escalations), then outcomes (long; `kaohe explain` has them all).
/// Each column gets what it needs or its weighted share of what is left, at least [`TEXT_MIN`].
fn share(room: usize, want: &[usize]) -> Vec<usize> {
    const WEIGHTS: [usize; 3] = [4, 3, 2];
    let weight = |i: usize| WEIGHTS.get(i).copied().unwrap_or(2);
    let mut out = vec![0; want.len()];
    let mut order: Vec<usize> = (0..want.len()).collect();
    // Ascending by want per weight (cross-multiplied to stay in integers).
    order.sort_by(|&a, &b| (want[a] * weight(b)).cmp(&(want[b] * weight(a))));
    let mut left = room;
    let mut weights_left: usize = order.iter().map(|&i| weight(i)).sum();
    for &i in &order {
        let fair = left * weight(i) / weights_left.max(1);
        let w = want[i].min(fair.max(TEXT_MIN)).max(want[i].min(TEXT_MIN));
        out[i] = w;
        left = left.saturating_sub(w);
        weights_left -= weight(i);
    }
    out
}

/// `──── 末位线 ───…` exactly `total` columns wide.
fn separator(label: &str, total: usize) -> String {
    let head = "────";
    let used = width(head) + width(label);
    if used > total {
        return "─".repeat(total);
    }
    format!("{head}{label}{}", "─".repeat(total - used))
}

/// A ranking group's section: its key, its group entry if any, and its people's row indexes.
type Section<'a> = (&'a str, Option<&'a GroupResult>, Vec<usize>);

/// Sections in order: the result's groups, then any group key with people but no group entry;
/// each with the indexes of its people in result order (one pass, linear in people).
fn sections(result: &PeriodResult) -> Vec<Section<'_>> {
    let mut out: Vec<Section> = result
        .groups
        .iter()
        .map(|g| (g.key.as_str(), Some(g), Vec::new()))
        .collect();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, g) in result.groups.iter().enumerate() {
        at.entry(g.key.as_str()).or_insert(i);
    }
    for (i, p) in result.people.iter().enumerate() {
        let k = *at.entry(p.group.as_str()).or_insert_with(|| {
            out.push((p.group.as_str(), None, Vec::new()));
            out.len() - 1
        });
        out[k].2.push(i);
    }
    out
}

fn group_header(
    policy: &Policy,
    index: &Index,
    key: &str,
    group: Option<&GroupResult>,
    lang: Lang,
) -> Vec<String> {
    let shown_key = if key.is_empty() {
        pick(lang, "未分组", "ungrouped")
    } else {
        key
    };
    let Some(g) = group else {
        return vec![format!("【{shown_key}】")];
    };
    let state = line_state(policy, index, &g.line, lang);
    let head = match lang {
        Lang::Zh => format!(
            "【{shown_key}】排名 {} 人，名额 {} 人，{state}",
            g.ranked, g.quota
        ),
        Lang::En => format!(
            "[{shown_key}] ranked {}, quota {}, {state}",
            g.ranked, g.quota
        ),
    };
    let mut out = wrap(&head, WIDTH, "    ");
    let note = pick(lang, &g.note, &g.note_en);
    if !note.is_empty() {
        out.extend(wrap(&format!("  {note}"), WIDTH, "  "));
    }
    out
}

fn line_state(policy: &Policy, index: &Index, state: &LineState, lang: Lang) -> String {
    match state {
        LineState::Drawn => pick(lang, "已划末位线", "line drawn").into(),
        LineState::None => pick(lang, "不划线", "no line").into(),
        LineState::Skipped => pick(
            lang,
            "本期不划线（全员满足条件）",
            "line skipped (everyone met the condition)",
        )
        .into(),
        LineState::Fallback => {
            let rule = policy
                .line
                .as_ref()
                .and_then(|l| l.fallback.as_ref())
                .and_then(|f| f.rule.clone())
                .map(|r| format!("（{r}）"))
                .unwrap_or_default();
            match lang {
                Lang::Zh => format!("改用兜底措施{rule}，本期不按排名划线"),
                Lang::En => format!("fallback measure instead of the line{rule}"),
            }
        }
        LineState::Blocked { people } => {
            let names = people
                .iter()
                .map(|id| index.who(id))
                .collect::<Vec<_>>()
                .join(pick(lang, "、", ", "));
            match lang {
                Lang::Zh => format!("未划线：以下人员数据待补，须先补齐 — {names}"),
                Lang::En => format!("line not drawn: data missing for {names}; complete it first"),
            }
        }
        LineState::TiePending => pick(
            lang,
            "末位并列，部分名额待人工裁决",
            "tie at the line; places await a person's decision",
        )
        .into(),
    }
}

/// The "needs a person's decision" section.
fn decisions(policy: &Policy, result: &PeriodResult, index: &Index, lang: Lang) -> Vec<String> {
    let dp = policy.policy.decimals;
    let sep = pick(lang, "、", ", ");
    let names = |ids: &[String]| {
        ids.iter()
            .map(|id| index.who(id))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let mut items: Vec<String> = Vec::new();
    for t in &result.ties {
        let score = t
            .score
            .map(|s| display::show(s, dp))
            .unwrap_or_else(|| "-".into());
        let rule = t.rule.clone().unwrap_or_else(|| "X5".into());
        items.push(match lang {
            Lang::Zh => format!(
                "末位并列【{}】：{} 个名额，候选 {}，分数 {score}，规则 {rule}；程序不代为决定（X5），请裁决并记录",
                t.group, t.slots, names(&t.candidates)
            ),
            Lang::En => format!(
                "Tie at the line [{}]: {} place(s), candidates {}, score {score}, rule {rule}; the program does not choose (X5): decide and record",
                t.group, t.slots, names(&t.candidates)
            ),
        });
    }
    for a in &result.aggregates {
        let def = policy.aggregates.iter().find(|d| d.id == a.id);
        let name = def
            .map(|d| pick(lang, &d.name, d.name_en.as_deref().unwrap_or(&d.name)).to_string())
            .unwrap_or_else(|| a.id.clone());
        let rule = def
            .and_then(|d| d.rule.clone())
            .unwrap_or_else(|| "P2.7".into());
        let span = match (a.periods.first(), a.periods.last()) {
            (Some(f), Some(l)) => format!("{f}~{l}"),
            _ => String::new(),
        };
        let proposed = a
            .proposed
            .iter()
            .map(|id| {
                let sum = a
                    .sums
                    .iter()
                    .find(|(p, _)| p == id)
                    .map(|(_, s)| display::show(*s, dp));
                match sum {
                    Some(s) => format!("{} {s}", index.who(id)),
                    None => index.who(id),
                }
            })
            .collect::<Vec<_>>()
            .join(sep);
        let mut text = match lang {
            Lang::Zh => format!(
                "{name}【{}】{span}：提议 {}，须人工确认（{rule}）",
                a.group,
                if proposed.is_empty() {
                    "无".into()
                } else {
                    proposed
                }
            ),
            Lang::En => format!(
                "{name} [{}] {span}: proposed {}; a person confirms ({rule})",
                a.group,
                if proposed.is_empty() {
                    "none".into()
                } else {
                    proposed
                }
            ),
        };
        if !a.tied.is_empty() {
            text.push_str(&match lang {
                Lang::Zh => format!("；边界并列 {}，须人工裁决", names(&a.tied)),
                Lang::En => format!(
                    "; tied at the boundary {}, a person decides",
                    names(&a.tied)
                ),
            });
        }
        if !a.incomplete.is_empty() {
            text.push_str(&match lang {
                Lang::Zh => format!("；缺期未计 {}", names(&a.incomplete)),
                Lang::En => format!("; a period missing for {}", names(&a.incomplete)),
            });
        }
        items.push(text);
    }
    for e in &result.data_errors {
        items.push(match lang {
            Lang::Zh => format!(
                "数据错误 {}：{} — {}（来源：{}）",
                index.who(&e.person),
                e.field,
                e.zh,
                labels::source(&e.source, lang)
            ),
            Lang::En => format!(
                "Data error {}: {} — {} (source: {})",
                index.who(&e.person),
                e.field,
                e.en,
                labels::source(&e.source, lang)
            ),
        });
    }
    for p in &result.people {
        if let Some(typed) = p.typed_total_mismatch {
            items.push(format!(
                "{} {}{}{}",
                pick(lang, "合计不符", "Typed total differs"),
                index.who(&p.id),
                pick(lang, "：", ": "),
                mismatch_text(typed, p.score, dp, lang)
            ));
        }
    }
    let heading = pick(lang, "需要人工裁决", "Needs a person's decision");
    let mut out = vec![heading.to_string(), "═".repeat(width(heading))];
    if items.is_empty() {
        out.push(pick(lang, "（无）", "(none)").into());
    }
    for item in items {
        out.extend(wrap(&format!("- {item}"), WIDTH, "  "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_fits_room() {
        // Room 45, wants 10/30/50, weights 4/3/2: status (10) fits in its share 45 × 4 / 9 = 20;
        // history's share of the 35 left is 35 × 3 / 5 = 21; outcome gets the 14 left.
        assert_eq!(share(45, &[10, 30, 50]), vec![10, 21, 14]);
        // Everything fits: natural widths.
        assert_eq!(share(100, &[4, 6, 8]), vec![4, 6, 8]);
        // No room: the minimum.
        assert_eq!(share(0, &[20, 20, 20]), vec![8, 8, 8]);
    }

    #[test]
    fn separator_is_exact_width() {
        assert_eq!(width(&separator(" 末位线 ", 40)), 40);
        assert!(separator(" 末位线 ", 40).starts_with("──── 末位线 ─"));
    }
}
