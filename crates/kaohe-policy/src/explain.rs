//! Plain-language rendering (制度说明): the policy back in words, section by section, each
//! line tagged with its rule id (`【P2.3】` / `[P2.3]`), so HR can hold it against the written
//! text. Every construct of the language is rendered; when labour-law checks are switched off
//! (`jurisdiction = "none"`) the first section says so visibly.

mod indicators;
mod words;

use crate::model::{Jurisdiction, Policy, Relationship, StreakEffects};
use words::{cond, name, named, outcome, t};

/// Output language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Chinese.
    Zh,
    /// English.
    En,
}

/// Text being built: headings and rule-tagged lines.
pub(crate) struct Out {
    pub(crate) lang: Lang,
    pub(crate) s: String,
}

impl Out {
    pub(crate) fn heading(&mut self, zh: &str, en: &str) {
        let h = t(self.lang, zh, en);
        self.s.push_str(&format!("\n## {h}\n"));
    }

    pub(crate) fn line(
        &mut self,
        rule: Option<&String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) {
        let text = t(self.lang, zh, en);
        let tag = match (rule, self.lang) {
            (Some(r), Lang::Zh) => format!("【{r}】"),
            (Some(r), Lang::En) => format!("[{r}] "),
            (None, _) => "· ".to_string(),
        };
        self.s.push_str(&format!("{tag}{text}\n"));
    }
}

/// The policy in plain words.
pub fn render(p: &Policy, lang: Lang) -> String {
    let mut o = Out {
        lang,
        s: String::new(),
    };
    meta(p, &mut o);
    indicators::inputs(p, &mut o);
    indicators::indicators(p, &mut o);
    population(p, &mut o);
    ranking_and_line(p, &mut o);
    vetoes_and_gates(p, &mut o);
    history(p, &mut o);
    levels(p, &mut o);
    outcomes(p, &mut o);
    process(p, &mut o);
    o.s
}

fn meta(p: &Policy, o: &mut Out) {
    let m = &p.policy;
    let l = o.lang;
    o.s.push_str(&format!("# {}\n", named(l, &m.name, m.name_en.as_ref())));
    o.line(
        m.source.as_ref(),
        format!(
            "制度 {}，版本 {}，考核周期：{}{}。",
            m.id,
            m.version,
            words::cycle(l, m.cycle),
            m.start
                .as_ref()
                .map_or(String::new(), |s| format!("，自 {s} 起"))
        ),
        format!(
            "Policy {}, version {}, cycle: {}{}.",
            m.id,
            m.version,
            words::cycle(l, m.cycle),
            m.start
                .as_ref()
                .map_or(String::new(), |s| format!(", from {s}"))
        ),
    );
    if let Some(d) = &m.description {
        o.line(None, d.clone(), d.clone());
    }
    match (m.adopted, m.published) {
        (None, None) => o.line(
            None,
            "未记录民主程序通过日期和公示日期（《劳动合同法》第4条）。",
            "No adoption or publication date recorded (Labour Contract Law Art. 4).",
        ),
        (a, p) => o.line(
            None,
            format!(
                "民主程序通过：{}；公示：{}（第4条）。",
                a.map_or("未记录".into(), |d| d.to_string()),
                p.map_or("未记录".into(), |d| d.to_string())
            ),
            format!(
                "Adopted: {}; published: {} (Art. 4).",
                a.map_or("not recorded".into(), |d| d.to_string()),
                p.map_or("not recorded".into(), |d| d.to_string())
            ),
        ),
    }
    match m.jurisdiction {
        Jurisdiction::Cn => o.line(None, "适用中国大陆劳动法：末位结果受劳动法校验。", "Mainland China labour law applies: bottom-placement outcomes are checked."),
        Jurisdiction::None => o.line(
            None,
            "⚠ 劳动法校验已关闭（jurisdiction = \"none\"）：本制度的处理结果未按中国劳动法检查。",
            "⚠ Labour-law checks are SWITCHED OFF (jurisdiction = \"none\"): outcomes are not checked against Chinese labour law.",
        ),
    }
    let (zh, en) = match m.relationship {
        Relationship::Employment => ("劳动合同", "labour contract"),
        Relationship::Agency => ("代理合同（非劳动关系）", "agency contract (not employment)"),
        Relationship::Dispatch => ("劳务派遣", "labour dispatch"),
    };
    o.line(
        None,
        format!(
            "用工关系：{zh}。显示保留 {} 位小数（四舍五入，仅在显示时）。",
            m.decimals
        ),
        format!(
            "Relationship: {en}. Shown with {} decimals (half up, on display only).",
            m.decimals
        ),
    );
}

fn population(p: &Policy, o: &mut Out) {
    let pop = &p.population;
    let l = o.lang;
    o.heading("考核对象", "Population");
    match &pop.include {
        Some(c) => o.line(
            pop.rule.as_ref(),
            format!("考核对象：{}。", cond(p, l, c)),
            format!("Covers: {}.", cond(p, l, c)),
        ),
        None => o.line(
            pop.rule.as_ref(),
            "考核花名册上的所有人。",
            "Covers everyone on the roster.",
        ),
    }
    if let Some(te) = &pop.tenure {
        let (zh, en) = if te.not_counted {
            ("不计入排名和人数", "left out of ranking and counts")
        } else {
            ("参加排名但不进入末位线", "ranked but never in the line")
        };
        o.line(
            te.rule.as_ref(),
            format!("入职后前 {} 期（入职当期算第一期）豁免，{zh}。", te.exempt_first_periods),
            format!("The first {} periods of service (the period of hire is the first) are exempt, {en}.", te.exempt_first_periods),
        );
    }
    if let Some(n) = pop.min_group_size {
        o.line(
            None,
            format!("人数少于 {n} 的组只排名，不设末位线。"),
            format!("Groups smaller than {n} are ranked but get no line."),
        );
    }
}

fn ranking_and_line(p: &Policy, o: &mut Out) {
    let l = o.lang;
    if let Some(r) = &p.ranking {
        o.heading("排名", "Ranking");
        let groups: Vec<String> = r.group_by.iter().map(|g| name(p, l, g)).collect();
        let by_group_zh = if groups.is_empty() {
            "全体一起排名".to_string()
        } else {
            format!("按{}分组排名", groups.join("、"))
        };
        let by_group_en = if groups.is_empty() {
            "everyone in one group".to_string()
        } else {
            format!("ranked within each {}", groups.join(", "))
        };
        o.line(
            r.rule.as_ref(),
            format!(
                "按{}{}排名，{by_group_zh}。",
                name(p, l, &r.by),
                words::order(l, r.order)
            ),
            format!(
                "Ranked by {}, {}, {by_group_en}.",
                name(p, l, &r.by),
                words::order(l, r.order)
            ),
        );
        for tb in &r.tie_breakers {
            o.line(
                tb.rule.as_ref(),
                format!(
                    "并列时比较{}（{}，较差者更靠近末位）。",
                    name(p, l, &tb.by),
                    words::order(l, tb.order)
                ),
                format!(
                    "Ties are broken by {} ({}; the worse one is nearer the line).",
                    name(p, l, &tb.by),
                    words::order(l, tb.order)
                ),
            );
        }
        o.line(
            None,
            "规则仍无法分开的并列交由人决定，系统不自行选择（X5）。",
            "A tie no rule settles goes to a person; the program never picks (X5).",
        );
    }
    let Some(line) = &p.line else { return };
    o.heading("末位线", "Elimination line");
    let scope = match line.scope {
        crate::model::Scope::Group => t(l, "每组", "per group"),
        crate::model::Scope::Overall => t(l, "全体", "overall"),
    };
    if let Some(n) = line.bottom {
        o.line(
            line.rule.as_ref(),
            format!("{scope}末位 {n} 人进入末位线。"),
            format!("The bottom {n} ({scope}) enter the line."),
        );
    }
    if let Some(pc) = line.bottom_percent {
        let r = words::rounding(l, line.rounding);
        o.line(
            line.rule.as_ref(),
            format!("{scope}末位 {pc}% 进入末位线，人数{r}。"),
            format!("The bottom {pc}% ({scope}) enter the line, the count {r}."),
        );
    }
    if let Some(c) = &line.candidates {
        o.line(
            line.rule.as_ref(),
            format!("只有满足以下条件者可进入末位线：{}。", cond(p, l, c)),
            format!("Only people for whom {} may enter the line.", cond(p, l, c)),
        );
    }
    for e in &line.exemptions {
        o.line(
            e.rule.as_ref(),
            format!(
                "豁免（{}）：{}者不进入末位线。",
                e.reason,
                cond(p, l, &e.when)
            ),
            format!(
                "Exempt ({}): whoever satisfies {} never enters the line.",
                e.reason_en.as_ref().unwrap_or(&e.reason),
                cond(p, l, &e.when)
            ),
        );
    }
    if let Some(c) = &line.skip_when_everyone {
        o.line(
            line.rule.as_ref(),
            format!("若人人都满足“{}”，当期不设末位线。", cond(p, l, c)),
            format!(
                "If everyone satisfies {}, there is no line that period.",
                cond(p, l, c)
            ),
        );
    }
    if line.vetoes_take_quota {
        o.line(
            None,
            "被否决者占用末位名额，剩余名额给其余人中的末位。",
            "Vetoed people take places of the quota; the rest go to the bottom of the others.",
        );
    } else {
        o.line(
            None,
            "被否决者退出排名，不占末位名额。",
            "Vetoed people leave the ranking and take no place of the quota.",
        );
    }
    if let Some(f) = &line.fallback {
        o.line(
            f.rule.as_ref(),
            format!(
                "若满足“{}”者占 {}% 或以上，当期改按{}（{}）取末位 {} 人，处理为{}；{}。",
                cond(p, l, &f.share_of), f.at_least_percent, name(p, l, &f.measure), words::order(l, f.order), f.bottom, outcome(p, l, &f.outcome),
                if f.counts_as_line { "计作一次进入末位线" } else { "不计作进入末位线" }
            ),
            format!(
                "If {}% or more satisfy {}, that period the bottom {} by {} ({}) are taken instead, outcome {}; {}.",
                f.at_least_percent, cond(p, l, &f.share_of), f.bottom, name(p, l, &f.measure), words::order(l, f.order), outcome(p, l, &f.outcome),
                if f.counts_as_line { "this counts as a line entry" } else { "this does not count as a line entry" }
            ),
        );
    }
    if let Some(out) = &line.outcome {
        o.line(
            line.rule.as_ref(),
            format!("进入末位线：{}。", outcome(p, l, out)),
            format!("Entering the line: {}.", outcome(p, l, out)),
        );
    }
}

fn vetoes_and_gates(p: &Policy, o: &mut Out) {
    let l = o.lang;
    if !p.vetoes.is_empty() {
        o.heading("一票否决", "Vetoes");
    }
    for v in &p.vetoes {
        o.line(
            v.rule.as_ref(),
            format!(
                "{}：若{}，不论得分，处理为{}。",
                v.name,
                cond(p, l, &v.when),
                outcome(p, l, &v.outcome)
            ),
            format!(
                "{}: if {}, whatever the score, outcome {}.",
                named(l, &v.name, v.name_en.as_ref()),
                cond(p, l, &v.when),
                outcome(p, l, &v.outcome)
            ),
        );
    }
    if !p.gates.is_empty() {
        o.heading(
            "关卡（各自独立，全部列出）",
            "Gates (each independent, all listed)",
        );
    }
    for g in &p.gates {
        o.line(
            g.rule.as_ref(),
            format!(
                "{}：若{}则{}，处理为{}。",
                g.name,
                cond(p, l, &g.fails_when),
                if g.eliminates {
                    "不通过"
                } else {
                    "记录在案（仍可通过）"
                },
                outcome(p, l, &g.outcome)
            ),
            format!(
                "{}: {} if {}, outcome {}.",
                named(l, &g.name, g.name_en.as_ref()),
                if g.eliminates {
                    "fails"
                } else {
                    "recorded (the person can still pass)"
                },
                cond(p, l, &g.fails_when),
                outcome(p, l, &g.outcome)
            ),
        );
    }
}

fn streaks(o: &mut Out, s: &StreakEffects) {
    let l = o.lang;
    o.line(
        None,
        format!("未进入末位线的一期{}；豁免期{}；缺考期{}；末位线取消或改用替代标准的一期{}。", words::streak(l, s.clear), words::streak(l, s.exempt), words::streak(l, s.absent), words::streak(l, s.skipped)),
        format!("A period clear of the line {}; an exempt period {}; an absent period {}; a period with the line skipped or replaced {}.", words::streak(l, s.clear), words::streak(l, s.exempt), words::streak(l, s.absent), words::streak(l, s.skipped)),
    );
}

fn history(p: &Policy, o: &mut Out) {
    let l = o.lang;
    if !p.history.is_empty() || !p.aggregates.is_empty() || p.ladder.is_some() {
        o.heading("历史与阶梯", "History and ladder");
    }
    for h in &p.history {
        let trig: Vec<String> = h
            .triggers
            .iter()
            .map(
                |tr| match (tr.consecutive, tr.times, tr.within, tr.in_year) {
                    (Some(n), ..) => t(
                        l,
                        format!("连续 {n} 期进入末位线"),
                        format!("in the line {n} periods in a row"),
                    ),
                    (_, Some(k), Some(n), _) => t(
                        l,
                        format!("连续 {n} 期内（含本期）进入 {k} 次"),
                        format!("{k} times within {n} periods including this one"),
                    ),
                    (_, Some(k), _, Some(true)) => t(
                        l,
                        format!("本年内累计 {k} 次"),
                        format!("{k} times in the calendar year"),
                    ),
                    _ => t(l, "（无效触发条件）", "(invalid trigger)"),
                },
            )
            .collect();
        o.line(
            h.rule.as_ref(),
            format!(
                "{}：{}，处理为{}。",
                h.name,
                trig.join(" 或 "),
                outcome(p, l, &h.outcome)
            ),
            format!(
                "{}: {}, outcome {}.",
                named(l, &h.name, h.name_en.as_ref()),
                trig.join(" or "),
                outcome(p, l, &h.outcome)
            ),
        );
        streaks(o, &h.streak);
    }
    for a in &p.aggregates {
        o.line(
            a.rule.as_ref(),
            format!(
                "{}：自 {} 起每 {} 期为一段，按{}之和取末位 {} 人，处理为{}。",
                a.name,
                a.anchor,
                a.every,
                name(p, l, &a.measure),
                a.bottom,
                outcome(p, l, &a.outcome)
            ),
            format!(
                "{}: every {} periods from {}, the bottom {} by the sum of {}, outcome {}.",
                named(l, &a.name, a.name_en.as_ref()),
                a.every,
                a.anchor,
                a.bottom,
                name(p, l, &a.measure),
                outcome(p, l, &a.outcome)
            ),
        );
    }
    if let Some(ld) = &p.ladder {
        for s in &ld.steps {
            o.line(
                ld.rule.as_ref(),
                format!(
                    "连续第 {} 次进入末位线：{}。",
                    s.at,
                    outcome(p, l, &s.outcome)
                ),
                format!(
                    "In the line for the {} time in a row: {}.",
                    ordinal(s.at),
                    outcome(p, l, &s.outcome)
                ),
            );
        }
        streaks(o, &ld.streak);
        if let Some(r) = &ld.recovery_outcome {
            o.line(
                ld.rule.as_ref(),
                format!("在阶梯上的人出现一期未进入末位线：{}。", outcome(p, l, r)),
                format!(
                    "A person on the ladder with a clear period: {}.",
                    outcome(p, l, r)
                ),
            );
        }
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn levels(p: &Policy, o: &mut Out) {
    let Some(lv) = &p.levels else { return };
    let l = o.lang;
    o.heading("职级", "Levels");
    let names: Vec<String> = lv
        .order
        .iter()
        .map(|d| {
            let n = named(l, &d.name, d.name_en.as_ref());
            match d.allowance {
                Some(a) => t(
                    l,
                    format!("{n}（津贴 {a}）"),
                    format!("{n} (allowance {a})"),
                ),
                None => n,
            }
        })
        .collect();
    o.line(
        lv.rule.as_ref(),
        format!("职级由低到高：{}。", names.join(" → ")),
        format!("Levels, low to high: {}.", names.join(" → ")),
    );
    let lvl = |id: &str| {
        lv.order
            .iter()
            .find(|d| d.id == id)
            .map_or(id.to_string(), |d| named(l, &d.name, d.name_en.as_ref()))
    };
    for c in &lv.changes {
        let out = c.outcome.as_ref().map_or(String::new(), |x| {
            t(
                l,
                format!("，处理为{}", outcome(p, l, x)),
                format!(", outcome {}", outcome(p, l, x)),
            )
        });
        o.line(
            c.rule.as_ref(),
            format!(
                "{} → {}：当{}{out}。",
                lvl(&c.from),
                lvl(&c.to),
                cond(p, l, &c.when)
            ),
            format!(
                "{} → {}: when {}{out}.",
                lvl(&c.from),
                lvl(&c.to),
                cond(p, l, &c.when)
            ),
        );
    }
}

fn outcomes(p: &Policy, o: &mut Out) {
    if p.outcomes.is_empty() {
        return;
    }
    let l = o.lang;
    o.heading("处理结果", "Outcomes");
    for (id, oc) in &p.outcomes {
        let mut extra = Vec::new();
        if let Some(d) = &oc.document {
            extra.push(t(l, format!("文书 {d}"), format!("document {d}")));
        }
        if let Some(pc) = oc.pay_change_percent {
            extra.push(t(
                l,
                format!("薪酬变动 {pc}%（不得低于当地最低工资）"),
                format!("pay change {pc}% (never below the local minimum wage)"),
            ));
        }
        if let Some(n) = oc.duration_periods {
            extra.push(t(l, format!("持续 {n} 期"), format!("lasts {n} periods")));
        }
        if oc.needs_confirmation {
            extra.push(t(
                l,
                "须经人确认方生效",
                "takes effect only once a person confirms",
            ));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("；{}", extra.join("；"))
        };
        o.line(
            oc.rule.as_ref(),
            format!(
                "{}（{id}）：{}；法律路径：{}{extra}。",
                oc.name,
                words::measure(l, oc.measure),
                words::legal(l, oc.legal_path)
            ),
            format!(
                "{} ({id}): {}; legal path: {}{}.",
                named(l, &oc.name, oc.name_en.as_ref()),
                words::measure(l, oc.measure),
                words::legal(l, oc.legal_path),
                extra.replace('；', "; ")
            ),
        );
    }
}

fn process(p: &Policy, o: &mut Out) {
    let pr = &p.process;
    let l = o.lang;
    let rule = pr.rules.first();
    let mut any = false;
    let mut add = |o: &mut Out, zh: String, en: String| {
        if !any {
            o.heading("流程", "Process");
            any = true;
        }
        o.line(rule, zh, en);
    };
    if let Some(n) = pr.compile_within_working_days {
        add(
            o,
            format!("期末后 {n} 个工作日内汇总数据。"),
            format!("Figures compiled within {n} working days after the period."),
        );
    }
    if let Some(n) = pr.publish_within_working_days {
        add(
            o,
            format!("期末后 {n} 个工作日内计算、签字并公示。"),
            format!("Scores computed, signed and published within {n} working days."),
        );
    }
    if pr.sign_off {
        add(
            o,
            "每人须签字确认本人得分。".into(),
            "Each person signs their score.".into(),
        );
    }
    if let Some(n) = pr.appeal_window_working_days {
        add(o, format!("公示后 {n} 个工作日内可书面申诉，逾期未提出视为认可。"), format!("Written appeal within {n} working days of publication; no objection means acceptance."));
    }
    if !pr.approval_chain.is_empty() {
        let within = pr.approval_within_days.map_or(String::new(), |d| {
            t(l, format!("，{d} 日内完成"), format!(", within {d} days"))
        });
        // A label the policy maps to a role shows who acts for it: 办公室（hq_hr）.
        let chain = pr
            .approval_chain
            .iter()
            .map(|l| match pr.chain_roles.get(l.trim()) {
                Some(r) => format!("{l}（{r}）"),
                None => l.clone(),
            })
            .collect::<Vec<_>>()
            .join(" → ");
        add(
            o,
            format!("审批顺序：{chain}{within}。"),
            format!("Approval chain: {chain}{within}."),
        );
    }
    if let Some(s) = &pr.summary_to {
        add(
            o,
            format!("汇总报送：{s}。"),
            format!("Summary sent to: {s}."),
        );
    }
    if !p.decisions.is_empty() {
        o.heading(
            "决定说明（原文空白或含糊处）",
            "Decisions (where the text is blank or ambiguous)",
        );
        for d in &p.decisions {
            let rule = Some(&d.rule);
            o.line(
                rule,
                d.text.clone(),
                d.text_en.clone().unwrap_or_else(|| d.text.clone()),
            );
        }
    }
}
