//! Names and references (名称与引用): duplicate ids, shadowing, undeclared references,
//! formulas compiled against the declared names, and cycles between indicators.

use super::conds;
use super::Report;
use crate::formula::Formula;
use crate::model::{Indicator, InputType, Policy, BUILTINS, ROSTER_FIELDS};
use std::collections::{BTreeMap, BTreeSet};

/// What a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A declared input of this type.
    Input(InputType),
    /// A declared indicator.
    Indicator,
    /// A roster field.
    Roster,
    /// A built-in quantity.
    Builtin,
}

/// Every name a policy declares (first declaration wins for duplicates).
pub(crate) struct Names {
    pub(crate) vars: BTreeMap<String, Kind>,
    pub(crate) outcomes: BTreeSet<String>,
    pub(crate) levels: BTreeSet<String>,
}

impl Names {
    pub(crate) fn of(p: &Policy) -> Names {
        let mut vars = BTreeMap::new();
        for f in ROSTER_FIELDS {
            vars.insert((*f).to_string(), Kind::Roster);
        }
        for b in BUILTINS {
            vars.insert((*b).to_string(), Kind::Builtin);
        }
        for i in &p.inputs {
            vars.entry(i.id.clone()).or_insert(Kind::Input(i.kind));
        }
        for i in &p.indicators {
            vars.entry(i.id.clone()).or_insert(Kind::Indicator);
        }
        let levels = p
            .levels
            .iter()
            .flat_map(|l| l.order.iter().map(|d| d.id.clone()))
            .collect();
        Names {
            vars,
            outcomes: p.outcomes.keys().cloned().collect(),
            levels,
        }
    }

    /// Every name a formula or condition may read.
    pub(crate) fn known(&self) -> Vec<String> {
        self.vars.keys().cloned().collect()
    }
}

/// What kind of name a reference needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Any input.
    Input,
    /// An input of exactly this type.
    InputOf(InputType),
    /// An indicator.
    Indicator,
    /// An input or an indicator.
    Value,
    /// An input, indicator, roster field or built-in.
    Var,
}

impl Need {
    fn describe(self) -> (String, String) {
        match self {
            Need::Input => ("输入项".into(), "input".into()),
            Need::InputOf(t) => {
                let t = format!("{t:?}").to_lowercase();
                (
                    format!("类型为 {t} 的输入项"),
                    format!("input of type `{t}`"),
                )
            }
            Need::Indicator => ("指标".into(), "indicator".into()),
            Need::Value => ("输入项或指标".into(), "input or indicator".into()),
            Need::Var => (
                "输入项、指标、花名册字段或内置量".into(),
                "input, indicator, roster field or built-in".into(),
            ),
        }
    }

    fn accepts(self, k: Kind) -> bool {
        match (self, k) {
            (Need::Input, Kind::Input(_)) => true,
            (Need::InputOf(t), Kind::Input(u)) => t == u,
            (Need::Indicator, Kind::Indicator) => true,
            (Need::Value, Kind::Input(_) | Kind::Indicator) => true,
            (Need::Var, _) => true,
            _ => false,
        }
    }
}

/// Check one reference; indicator references are pushed to `deps` for the cycle check.
pub(crate) fn need(
    names: &Names,
    r: &mut Report,
    path: &str,
    name: &str,
    want: Need,
    deps: &mut Vec<String>,
) {
    let (wz, we) = want.describe();
    match names.vars.get(name) {
        Some(k) if want.accepts(*k) => {
            if *k == Kind::Indicator {
                deps.push(name.to_string());
            }
        }
        Some(k) => r.hint(
            path,
            format!("`{name}` 不是{wz}（它是 {k:?}）"),
            format!("`{name}` is not an {we} (it is {k:?})"),
            format!("此处需要{wz} / an {we} is needed here"),
        ),
        None => r.hint(
            path,
            format!("引用了未声明的{wz} `{name}`"),
            format!("reference to undeclared {we} `{name}`"),
            format!(
                "先用 [[input]] 或 [[indicator]] 声明 `{name}`，或改正拼写 / declare `{name}` first or fix the spelling"
            ),
        ),
    }
}

/// Check an outcome reference.
pub(crate) fn need_outcome(names: &Names, r: &mut Report, path: &str, id: &str) {
    if !names.outcomes.contains(id) {
        r.hint(
            path,
            format!("引用了未声明的处理结果 `{id}`"),
            format!("reference to undeclared outcome `{id}`"),
            format!("加上 [outcome.{id}] 表 / add an [outcome.{id}] table"),
        );
    }
}

/// Compile a formula against the declared names; indicator names it reads go to `deps`.
pub(crate) fn formula(
    names: &Names,
    r: &mut Report,
    path: &str,
    expr: &str,
    deps: &mut Vec<String>,
) {
    match Formula::compile(expr, &names.known()) {
        Ok(f) => {
            for n in f.names() {
                if names.vars.get(n) == Some(&Kind::Indicator) {
                    deps.push(n.clone());
                }
            }
        }
        Err(e) => {
            // Formula messages are "中文 / English": put each half in its own language.
            let (zh, en) = e
                .message
                .split_once("/ ")
                .map(|(z, e)| (z.trim_end(), e))
                .unwrap_or((e.message.as_str(), e.message.as_str()));
            r.hint(
            path,
            format!("公式无法编译（位置 {}）：{zh}", e.offset.unwrap_or(0)),
            format!(
                "formula does not compile (offset {}): {en}",
                e.offset.unwrap_or(0),
            ),
            "公式只能读取已声明的输入项、指标、花名册字段和内置量 / a formula may read declared inputs, indicators, roster fields and built-ins only",
        )
        }
    }
}

/// Check every reference in the policy and the indicator graph.
pub(crate) fn check(p: &Policy, names: &Names, r: &mut Report) {
    duplicates(p, r);
    let mut graph: Vec<Vec<String>> = Vec::new();
    for (i, ind) in p.indicators.iter().enumerate() {
        let mut deps = Vec::new();
        indicator(names, r, &format!("indicator[{i}]"), ind, &mut deps);
        graph.push(deps);
    }
    cycles(p, &graph, r);
    let mut sink = Vec::new();
    let d = &mut sink;
    if let Some(c) = &p.population.include {
        conds::check(names, r, "population.include", c, d);
    }
    if let Some(rk) = &p.ranking {
        need(names, r, "ranking.by", &rk.by, Need::Value, d);
        for (i, g) in rk.group_by.iter().enumerate() {
            if !ROSTER_FIELDS.contains(&g.as_str()) {
                r.hint(
                    format!("ranking.group_by[{i}]"),
                    format!("`{g}` 不是花名册字段"),
                    format!("`{g}` is not a roster field"),
                    format!("可用 / allowed: {}", ROSTER_FIELDS.join(", ")),
                );
            }
        }
        for (i, t) in rk.tie_breakers.iter().enumerate() {
            need(
                names,
                r,
                &format!("ranking.tie_breakers[{i}].by"),
                &t.by,
                Need::Value,
                d,
            );
        }
    }
    if let Some(l) = &p.line {
        if let Some(c) = &l.candidates {
            conds::check(names, r, "line.candidates", c, d);
        }
        for (i, e) in l.exemptions.iter().enumerate() {
            conds::check(names, r, &format!("line.exempt[{i}].when"), &e.when, d);
        }
        if let Some(c) = &l.skip_when_everyone {
            conds::check(names, r, "line.skip_when_everyone", c, d);
        }
        if let Some(f) = &l.fallback {
            conds::check(names, r, "line.fallback.share_of", &f.share_of, d);
            need(
                names,
                r,
                "line.fallback.measure",
                &f.measure,
                Need::Value,
                d,
            );
            need_outcome(names, r, "line.fallback.outcome", &f.outcome);
        }
        if let Some(o) = &l.outcome {
            need_outcome(names, r, "line.outcome", o);
        }
    }
    for (i, v) in p.vetoes.iter().enumerate() {
        conds::check(names, r, &format!("veto[{i}].when"), &v.when, d);
        need_outcome(names, r, &format!("veto[{i}].outcome"), &v.outcome);
    }
    for (i, g) in p.gates.iter().enumerate() {
        conds::check(names, r, &format!("gate[{i}].fails_when"), &g.fails_when, d);
        need_outcome(names, r, &format!("gate[{i}].outcome"), &g.outcome);
    }
    for (i, h) in p.history.iter().enumerate() {
        need_outcome(names, r, &format!("history[{i}].outcome"), &h.outcome);
    }
    for (i, a) in p.aggregates.iter().enumerate() {
        need(
            names,
            r,
            &format!("aggregate[{i}].measure"),
            &a.measure,
            Need::Value,
            d,
        );
        need_outcome(names, r, &format!("aggregate[{i}].outcome"), &a.outcome);
    }
    if let Some(l) = &p.ladder {
        for (i, s) in l.steps.iter().enumerate() {
            need_outcome(names, r, &format!("ladder.steps[{i}].outcome"), &s.outcome);
        }
        if let Some(o) = &l.recovery_outcome {
            need_outcome(names, r, "ladder.recovery_outcome", o);
        }
    }
    if let Some(lv) = &p.levels {
        for (i, c) in lv.changes.iter().enumerate() {
            let base = format!("levels.change[{i}]");
            for (key, id) in [("from", &c.from), ("to", &c.to)] {
                if !names.levels.contains(id) {
                    r.hint(
                        format!("{base}.{key}"),
                        format!("引用了未声明的职级 `{id}`"),
                        format!("reference to undeclared level `{id}`"),
                        "职级须在 levels.order 中声明 / declare the level in levels.order",
                    );
                }
            }
            conds::check(names, r, &format!("{base}.when"), &c.when, d);
            if let Some(o) = &c.outcome {
                need_outcome(names, r, &format!("{base}.outcome"), o);
            }
        }
    }
}

/// References inside one indicator.
fn indicator(names: &Names, r: &mut Report, base: &str, ind: &Indicator, d: &mut Vec<String>) {
    let mut n = |path: &str, name: &str, want: Need, d: &mut Vec<String>| {
        need(names, r, &format!("{base}.{path}"), name, want, d)
    };
    if let Some(v) = &ind.value {
        n("value.input", &v.input, Need::Input, d);
    }
    if let Some(v) = &ind.rated {
        n("rated.input", &v.input, Need::Input, d);
    }
    if let Some(v) = &ind.deduct {
        n("deduct.input", &v.input, Need::Input, d);
    }
    if let Some(v) = &ind.per_unit {
        n("per_unit.input", &v.input, Need::Input, d);
        if let Some(s) = &v.shared_input {
            n("per_unit.shared_input", s, Need::Input, d);
        }
    }
    if let Some(v) = &ind.ratio {
        n("ratio.actual", &v.actual, Need::Value, d);
        n("ratio.target", &v.target, Need::Value, d);
    }
    if let Some(v) = &ind.band {
        n("band.input", &v.input, Need::Value, d);
    }
    if let Some(v) = &ind.sum {
        for (i, p) in v.parts.iter().enumerate() {
            n(&format!("sum.parts[{i}]"), p, Need::Indicator, d);
        }
    }
    if let Some(v) = &ind.weighted {
        for (i, p) in v.parts.iter().enumerate() {
            n(
                &format!("weighted.parts[{i}].indicator"),
                &p.indicator,
                Need::Indicator,
                d,
            );
        }
    }
    if let Some(v) = &ind.raters {
        n(
            "raters.input",
            &v.input,
            Need::InputOf(InputType::Ratings),
            d,
        );
    }
    if let Some(v) = &ind.count_below {
        n(
            "count_below.input",
            &v.input,
            Need::InputOf(InputType::Series),
            d,
        );
    }
    if let Some(v) = &ind.grade {
        n("grade.of", &v.of, Need::Indicator, d);
    }
    if let Some(v) = &ind.choose {
        for (i, c) in v.cases.iter().enumerate() {
            n(
                &format!("choose.cases[{i}].indicator"),
                &c.indicator,
                Need::Indicator,
                d,
            );
        }
        for (i, c) in v.cases.iter().enumerate() {
            conds::check(
                names,
                r,
                &format!("{base}.choose.cases[{i}].when"),
                &c.when,
                d,
            );
        }
    }
    if let Some(v) = &ind.formula {
        formula(names, r, &format!("{base}.formula.expr"), &v.expr, d);
    }
}

/// Duplicate ids and names shadowing roster fields or built-ins.
fn duplicates(p: &Policy, r: &mut Report) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let values = p
        .inputs
        .iter()
        .enumerate()
        .map(|(i, x)| (format!("input[{i}].id"), x.id.as_str()))
        .chain(
            p.indicators
                .iter()
                .enumerate()
                .map(|(i, x)| (format!("indicator[{i}].id"), x.id.as_str())),
        );
    for (path, id) in values {
        if ROSTER_FIELDS.contains(&id) || BUILTINS.contains(&id) {
            r.hint(
                &path,
                format!("名称 `{id}` 与花名册字段或内置量重名"),
                format!("name `{id}` shadows a roster field or built-in"),
                "换一个名称 / choose another name",
            );
        }
        dup(&mut seen, r, path, id);
    }
    let groups: [Vec<(String, &str)>; 6] = [
        p.vetoes
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("veto[{i}].id"), x.id.as_str()))
            .collect(),
        p.gates
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("gate[{i}].id"), x.id.as_str()))
            .collect(),
        p.history
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("history[{i}].id"), x.id.as_str()))
            .collect(),
        p.aggregates
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("aggregate[{i}].id"), x.id.as_str()))
            .collect(),
        p.line
            .iter()
            .flat_map(|l| {
                l.exemptions
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (format!("line.exempt[{i}].id"), x.id.as_str()))
            })
            .collect(),
        p.levels
            .iter()
            .flat_map(|l| {
                l.order
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (format!("levels.order[{i}].id"), x.id.as_str()))
            })
            .collect(),
    ];
    for g in groups {
        let mut seen = BTreeMap::new();
        for (path, id) in g {
            dup(&mut seen, r, path, id);
        }
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        if let Some(rt) = &ind.raters {
            let mut seen = BTreeMap::new();
            for (j, g) in rt.groups.iter().enumerate() {
                dup(
                    &mut seen,
                    r,
                    format!("indicator[{i}].raters.groups[{j}].group"),
                    &g.group,
                );
            }
        }
    }
}

fn dup<'a>(seen: &mut BTreeMap<&'a str, String>, r: &mut Report, path: String, id: &'a str) {
    if id.trim().is_empty() {
        r.add(path, "名称为空".into(), "empty id".into());
        return;
    }
    if let Some(first) = seen.get(id) {
        r.hint(
            &path,
            format!("重复的名称 `{id}`（首次出现于 {first}）"),
            format!("duplicate id `{id}` (first declared at {first})"),
            "每个名称只能声明一次 / each id may be declared once",
        );
    } else {
        seen.insert(id, path);
    }
}

/// Report each cycle between indicators once, with its path.
fn cycles(p: &Policy, graph: &[Vec<String>], r: &mut Report) {
    let index: BTreeMap<&str, usize> = p
        .indicators
        .iter()
        .enumerate()
        .rev()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    // 0 = new, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; graph.len()];
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..graph.len() {
        if state[start] == 0 {
            visit(start, graph, &index, &mut state, &mut stack, p, r);
        }
    }
}

fn visit(
    n: usize,
    graph: &[Vec<String>],
    index: &BTreeMap<&str, usize>,
    state: &mut [u8],
    stack: &mut Vec<usize>,
    p: &Policy,
    r: &mut Report,
) {
    state[n] = 1;
    stack.push(n);
    for dep in &graph[n] {
        let Some(&m) = index.get(dep.as_str()) else {
            continue;
        };
        if state[m] == 1 {
            let from = stack.iter().position(|x| *x == m).unwrap_or(0);
            let mut names: Vec<&str> = stack[from..]
                .iter()
                .map(|i| p.indicators[*i].id.as_str())
                .collect();
            names.push(p.indicators[m].id.as_str());
            let path = names.join(" → ");
            r.hint(
                format!("indicator[{m}]"),
                format!("指标之间循环引用：{path}"),
                format!("cycle between indicators: {path}"),
                "指标不能直接或间接引用自身 / an indicator may not depend on itself",
            );
        } else if state[m] == 0 {
            visit(m, graph, index, state, stack, p, r);
        }
    }
    stack.pop();
    state[n] = 2;
}
