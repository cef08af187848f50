//! One person's explanation (个人说明, `kaohe explain`): status, score and rank, every indicator
//! with its arithmetic and rule id, exemptions, vetoes and failed gates with their rules,
//! history, ladder, level change, and each outcome with its legal path and the labour-law
//! requirements it still needs (LABOUR-LAW.md, X3, X4).

use crate::labels::{self, pick};
use crate::rows::{history_summary, level_name, mismatch_text, Index};
use crate::text::{rule_tag, wrap};

/// Width the text is wrapped to.
const WIDTH: usize = 120;
use crate::Lang;
use kaohe_engine::display;
use kaohe_engine::result::{LinePosition, PeriodResult, Reason};
use kaohe_policy::model::Policy;

pub fn render(policy: &Policy, result: &PeriodResult, id: &str, lang: Lang) -> Option<String> {
    let p = result.people.iter().find(|p| p.id == id)?;
    let index = Index::new(result);
    let dp = policy.policy.decimals;
    let show = |d| display::show(d, dp);
    let colon = pick(lang, "：", ": ");
    let mut out: Vec<String> = Vec::new();

    let policy_name = match lang {
        Lang::Zh => policy.policy.name.as_str(),
        Lang::En => policy
            .policy
            .name_en
            .as_deref()
            .unwrap_or(&policy.policy.name),
    };
    out.push(format!(
        "{}({}) · {} · {policy_name} · {} {}",
        p.name,
        p.id,
        result.period.label,
        pick(lang, "版本", "version"),
        result.policy_version
    ));
    if !result.labour_law_checked {
        out.push(labels::law_off(lang).to_string());
    }

    // Status, line, score, rank.
    let mut status = labels::status(p.status, lang).to_string();
    let line = labels::line_position(p.line, lang);
    if !line.is_empty() {
        status.push_str(&format!(" · {line}"));
    }
    out.push(format!("{}{colon}{status}", pick(lang, "状态", "Status")));
    let score = p.score.map(show).unwrap_or_else(|| "-".into());
    let rank = match (p.rank, p.group_size) {
        (Some(r), Some(n)) => format!("{r}/{n}"),
        (Some(r), None) => r.to_string(),
        _ => "-".into(),
    };
    let label = crate::columns::columns(policy).score_label(lang);
    let mut line2 = match lang {
        Lang::Zh => format!("排名组：{}　排名：{rank}　{label}：{score}", p.group),
        Lang::En => format!("Group: {}   Rank: {rank}   {label}: {score}", p.group),
    };
    if let Some(g) = &p.grade {
        line2.push_str(&format!(
            "{}{}{colon}{g}",
            pick(lang, "　", "   "),
            pick(lang, "等级", "Grade")
        ));
    }
    out.push(line2);
    // Same score as others in the group but a different rank: the tie-breakers decided (P8.4).
    if let (Some(sc), Some(rank)) = (p.score, p.rank) {
        let same: Vec<&kaohe_engine::result::PersonResult> = result
            .people
            .iter()
            .filter(|o| o.id != p.id && o.group == p.group && o.score == Some(sc))
            .filter(|o| o.rank.is_some_and(|r| r != rank))
            .collect();
        let breakers = policy.ranking.as_ref().map(|r| &r.tie_breakers);
        if let (false, Some(tb)) = (same.is_empty(), breakers) {
            let names: Vec<String> = same.iter().map(|o| index.who(&o.id)).collect();
            let keys: Vec<String> = tb
                .iter()
                .map(|t| {
                    let n = labels::field_name(policy, &t.by, lang);
                    match &t.rule {
                        Some(r) => format!("{n} [{r}]"),
                        None => n.to_string(),
                    }
                })
                .collect();
            out.push(match lang {
                Lang::Zh => format!(
                    "与{}的{label}相同（{score}），按并列规则“{}”排序",
                    names.join("、"),
                    keys.join("，再按")
                ),
                Lang::En => format!(
                    "Same {label} as {} ({score}); ordered by the tie-breaker(s) {}",
                    names.join(", "),
                    keys.join(", then ")
                ),
            });
        }
    }

    // Indicators.
    if !p.indicators.is_empty() {
        out.push(String::new());
        out.push(pick(lang, "指标明细", "Indicators").into());
        for i in &p.indicators {
            let value = match (i.value, &i.label) {
                (Some(v), Some(l)) => format!("{} ({l})", show(v)),
                (Some(v), None) => show(v),
                (None, Some(l)) => l.clone(),
                (None, None) => pick(lang, "未能计算", "not computed").into(),
            };
            let name = policy
                .indicators
                .iter()
                .find(|d| d.id == i.id)
                .and_then(|d| d.name_en.as_deref())
                .filter(|_| lang == Lang::En)
                .unwrap_or(&i.name);
            out.push(format!("  {name} = {value}{}", rule_tag(&i.rule)));
            let text = pick(lang, &i.explanation.zh, &i.explanation.en);
            if !text.is_empty() {
                out.push(format!("      {text}"));
            }
            if !i.explanation.inputs.is_empty() {
                let inputs = i
                    .explanation
                    .inputs
                    .iter()
                    .map(|(k, v)| format!("{} = {v}", labels::field_name(policy, k, lang)))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(format!(
                    "      {}{colon}{inputs}",
                    pick(lang, "输入", "inputs")
                ));
            }
        }
    }

    // Exemptions, vetoes, gates.
    reasons(
        &mut out,
        pick(lang, "豁免", "Exemptions"),
        &p.exemptions,
        lang,
    );
    reasons(&mut out, pick(lang, "否决", "Vetoes"), &p.vetoes, lang);
    reasons(&mut out, pick(lang, "关卡", "Gates"), &p.gates_failed, lang);

    // Ties, mismatch, data errors.
    for t in result
        .ties
        .iter()
        .filter(|t| t.candidates.iter().any(|c| c == &p.id))
    {
        let others = t
            .candidates
            .iter()
            .filter(|c| **c != p.id)
            .map(|c| index.who(c))
            .collect::<Vec<_>>()
            .join(pick(lang, "、", ", "));
        let tscore = t.score.map(show).unwrap_or_else(|| "-".into());
        out.push(match lang {
            Lang::Zh => format!("末位并列：与 {others} 并列（{tscore}），争 {} 个名额{}；程序不代为决定，须人工裁决（X5）", t.slots, rule_tag(&t.rule)),
            Lang::En => format!("Tie at the line with {others} ({tscore}) for {} place(s){}; the program does not choose, a person decides (X5)", t.slots, rule_tag(&t.rule)),
        });
    }
    if let Some(typed) = p.typed_total_mismatch {
        out.push(format!(
            "{}{colon}{}",
            pick(lang, "合计不符", "Typed total"),
            mismatch_text(typed, p.score, dp, lang)
        ));
    }
    for e in index.errors(&p.id).iter() {
        out.push(format!(
            "{}{colon}{} — {}（{}）",
            pick(lang, "数据错误", "Data error"),
            e.field,
            pick(lang, &e.zh, &e.en),
            labels::source(&e.source, lang)
        ));
    }

    // History, ladder, level, aggregates.
    if !p.history.is_empty() {
        out.push(String::new());
        let summary = history_summary(policy, p, lang);
        out.push(format!("{}{colon}{summary}", pick(lang, "历史", "History")));
        for h in &p.history {
            let fired = if h.fired {
                pick(lang, "（已触发）", " (fired)")
            } else {
                ""
            };
            out.push(format!(
                "  {}{fired}{}",
                pick(lang, &h.zh, &h.en),
                rule_tag(&h.rule)
            ));
        }
    }
    if let Some(l) = &p.ladder {
        let mut text = match (lang, l.step) {
            (Lang::Zh, Some(s)) => format!("处理阶梯：连续 {} 期，处于第 {s} 级", l.count),
            (Lang::Zh, None) => format!("处理阶梯：连续 {} 期", l.count),
            (Lang::En, Some(s)) => format!("Ladder: {} in a row, step {s}", l.count),
            (Lang::En, None) => format!("Ladder: {} in a row", l.count),
        };
        if l.recovered {
            text.push_str(pick(
                lang,
                "；本期已恢复（P7.9）",
                "; recovered this period (P7.9)",
            ));
        }
        let rule = policy
            .ladder
            .as_ref()
            .map(|l| rule_tag(&l.rule))
            .unwrap_or_default();
        out.push(format!("{text}{rule}"));
    }
    if let Some(lc) = &p.level_change {
        let word = match (lc.promotion, lang) {
            (true, Lang::Zh) => "晋级",
            (false, Lang::Zh) => "降级",
            (true, Lang::En) => "Promotion",
            (false, Lang::En) => "Demotion",
        };
        out.push(format!(
            "{word}{colon}{} → {}{}",
            level_name(policy, &lc.from, lang),
            level_name(policy, &lc.to, lang),
            rule_tag(&lc.rule)
        ));
    }
    for a in result.aggregates.iter() {
        if let Some((_, sum)) = a.sums.iter().find(|(id, _)| *id == p.id) {
            let state = if a.proposed.contains(&p.id) {
                pick(
                    lang,
                    "，被提议，须人工确认",
                    ", proposed; a person confirms",
                )
            } else if a.tied.contains(&p.id) {
                pick(
                    lang,
                    "，边界并列，须人工裁决",
                    ", tied at the boundary; a person decides",
                )
            } else {
                ""
            };
            out.push(format!(
                "{} {}{colon}{}{state}",
                pick(lang, "周期汇总", "Block total"),
                a.id,
                show(*sum)
            ));
        }
    }

    // Outcomes.
    out.push(String::new());
    if p.outcomes.is_empty() {
        out.push(format!(
            "{}{colon}{}",
            pick(lang, "处理结果", "Outcomes"),
            pick(lang, "无", "none")
        ));
    } else {
        out.push(pick(lang, "处理结果", "Outcomes").into());
    }
    for (k, o) in p.outcomes.iter().enumerate() {
        out.extend(outcome(policy, o, k + 1, lang));
    }

    // Suggestions (P1.5).
    if !p.suggestions.is_empty() {
        out.push(String::new());
        out.push(pick(lang, "改进建议", "Suggestions").into());
        for s in &p.suggestions {
            out.push(format!("  {}", pick(lang, &s.zh, &s.en)));
        }
    }

    let concerned = !p.outcomes.is_empty()
        || matches!(
            p.line,
            LinePosition::InLine
                | LinePosition::TiePending
                | LinePosition::Fallback
                | LinePosition::VetoPlace
        );
    if concerned && result.labour_law_checked {
        out.push(String::new());
        out.push(labels::gc18_note(lang).into());
    }
    // Long lines wrap at 120 columns, continuing under their own indentation.
    let mut text = String::new();
    for line in out {
        let indent = " ".repeat(line.len() - line.trim_start().len() + 2);
        for l in wrap(&line, WIDTH, &indent) {
            text.push_str(&l);
            text.push('\n');
        }
        if line.is_empty() {
            text.push('\n');
        }
    }
    Some(text)
}

fn reasons(out: &mut Vec<String>, title: &str, list: &[Reason], lang: Lang) {
    if list.is_empty() {
        return;
    }
    out.push(format!("{title}{}", pick(lang, "：", ":")));
    for r in list {
        out.push(format!(
            "  {}{}",
            pick(lang, &r.zh, &r.en),
            rule_tag(&r.rule)
        ));
    }
}

/// What triggered an outcome, in words: the engine's codes are `line`, `fallback`, `veto:ID`,
/// `gate:ID`, `history:ID`, `ladder:N`, `ladder:recovery`, `level:A->B`, `aggregate:ID`.
pub fn because(policy: &Policy, code: &str, lang: Lang) -> String {
    let named =
        |zh: &str, en: &Option<String>| pick(lang, zh, en.as_deref().unwrap_or(zh)).to_string();
    let (kind, id) = code.split_once(':').unwrap_or((code, ""));
    let text = match kind {
        "line" => Some(pick(lang, "进入末位线", "entered the line").to_string()),
        "fallback" => {
            Some(pick(lang, "兜底措施选中", "chosen by the fallback measure").to_string())
        }
        "veto" => policy.vetoes.iter().find(|v| v.id == id).map(|v| {
            format!(
                "{}{}",
                pick(lang, "否决：", "veto: "),
                named(&v.name, &v.name_en)
            )
        }),
        "gate" => policy.gates.iter().find(|g| g.id == id).map(|g| {
            format!(
                "{}{}",
                pick(lang, "关卡未通过：", "gate failed: "),
                named(&g.name, &g.name_en)
            )
        }),
        "history" => policy.history.iter().find(|h| h.id == id).map(|h| {
            format!(
                "{}{}",
                pick(lang, "历史规则：", "history rule: "),
                named(&h.name, &h.name_en)
            )
        }),
        "aggregate" => policy.aggregates.iter().find(|a| a.id == id).map(|a| {
            format!(
                "{}{}",
                pick(lang, "周期汇总：", "block total: "),
                named(&a.name, &a.name_en)
            )
        }),
        "ladder" if id == "recovery" => Some(
            pick(
                lang,
                "处理阶梯：本期恢复（P7.9）",
                "ladder: recovered (P7.9)",
            )
            .to_string(),
        ),
        "ladder" => Some(match lang {
            Lang::Zh => format!("处理阶梯第 {id} 级"),
            Lang::En => format!("ladder step {id}"),
        }),
        "level" => id.split_once("->").map(|(a, b)| {
            format!(
                "{}{} → {}",
                pick(lang, "职级变动：", "level change: "),
                level_name(policy, a, lang),
                level_name(policy, b, lang)
            )
        }),
        _ => None,
    };
    text.unwrap_or_else(|| code.to_string())
}

fn outcome(
    policy: &Policy,
    o: &kaohe_engine::result::OutcomeResult,
    n: usize,
    lang: Lang,
) -> Vec<String> {
    let colon = pick(lang, "：", ": ");
    let mut out = vec![format!(
        "  {n}. {}{}",
        pick(lang, &o.name, &o.name_en),
        rule_tag(&o.rule)
    )];
    out.push(format!(
        "     {}{colon}{}",
        pick(lang, "触发", "because"),
        because(policy, &o.because, lang)
    ));
    let mut facts = vec![format!(
        "{}{colon}{}",
        pick(lang, "措施", "measure"),
        labels::measure(o.measure, lang)
    )];
    if let Some(d) = &o.document {
        facts.push(format!(
            "{}{colon}{}",
            pick(lang, "文书", "document"),
            labels::document(d, lang)
        ));
    }
    if o.needs_confirmation {
        facts.push(pick(lang, "须人工确认", "needs a person's confirmation").into());
    }
    out.push(format!("     {}", facts.join(" · ")));
    out.push(format!(
        "     {}{colon}{}",
        pick(lang, "法律路径", "legal path"),
        labels::legal_path(o.legal_path, lang)
    ));
    if !o.requires.is_empty() {
        out.push(format!(
            "     {}{}",
            pick(
                lang,
                "生效前仍须满足",
                "still required before it may take effect"
            ),
            pick(lang, "：", ":")
        ));
        for r in &o.requires {
            out.push(format!(
                "       - {}{colon}{}",
                r.article,
                pick(lang, &r.zh, &r.en)
            ));
        }
    }
    out
}
