//! Shapes and numbers (结构与数值): one building block per indicator, weights that add up to
//! 100 (P7.3), quotas, history windows, ladder steps, grade bands, ranges and period labels.

use super::Report;
use crate::model::{Cycle, Grade, HistoryRule, Indicator, InputType, Line, Policy};
use rust_decimal::Decimal;

/// Building-block keys of an indicator, for messages.
pub(crate) const BLOCKS: &[&str] = &[
    "value",
    "rated",
    "deduct",
    "per_unit",
    "ratio",
    "band",
    "sum",
    "weighted",
    "raters",
    "count_below",
    "grade",
    "choose",
    "formula",
];

/// Which building blocks an indicator has.
pub(crate) fn blocks(ind: &Indicator) -> Vec<&'static str> {
    let present = [
        ind.value.is_some(),
        ind.rated.is_some(),
        ind.deduct.is_some(),
        ind.per_unit.is_some(),
        ind.ratio.is_some(),
        ind.band.is_some(),
        ind.sum.is_some(),
        ind.weighted.is_some(),
        ind.raters.is_some(),
        ind.count_below.is_some(),
        ind.grade.is_some(),
        ind.choose.is_some(),
        ind.formula.is_some(),
    ];
    BLOCKS
        .iter()
        .zip(present)
        .filter(|(_, p)| *p)
        .map(|(b, _)| *b)
        .collect()
}

pub(crate) fn check(p: &Policy, r: &mut Report) {
    periods(p, r);
    if p.policy.decimals > MAX_DECIMALS {
        r.add(
            "policy.decimals",
            format!(
                "显示小数位 {} 过多，最多 {MAX_DECIMALS} 位",
                p.policy.decimals
            ),
            format!(
                "{} display decimals is too many: at most {MAX_DECIMALS}",
                p.policy.decimals
            ),
        );
    }
    for (i, inp) in p.inputs.iter().enumerate() {
        let base = format!("input[{i}]");
        if let (Some(lo), Some(hi)) = (inp.min, inp.max) {
            if lo > hi {
                r.add(
                    format!("{base}.min"),
                    format!("最小值 {lo} 大于最大值 {hi}"),
                    format!("min {lo} is greater than max {hi}"),
                );
            }
        }
        if inp.length.is_some() && inp.kind != InputType::Series {
            r.add(
                format!("{base}.length"),
                "`length` 只用于 series 类型".into(),
                "`length` applies to type `series` only".into(),
            );
        }
        if inp.length == Some(0) {
            r.add(
                format!("{base}.length"),
                "`length` 须至少为 1".into(),
                "`length` must be at least 1".into(),
            );
        }
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        indicator(&format!("indicator[{i}]"), ind, r);
    }
    if let Some(l) = &p.line {
        line(l, r);
    }
    for (i, h) in p.history.iter().enumerate() {
        history(&format!("history[{i}]"), h, r);
    }
    for (i, a) in p.aggregates.iter().enumerate() {
        if a.every == 0 {
            r.add(
                format!("aggregate[{i}].every"),
                "`every` 须至少为 1".into(),
                "`every` must be at least 1".into(),
            );
        }
        if a.bottom == 0 {
            r.add(
                format!("aggregate[{i}].bottom"),
                "`bottom` 须至少为 1".into(),
                "`bottom` must be at least 1".into(),
            );
        }
    }
    if let Some(l) = &p.ladder {
        if l.steps.is_empty() {
            r.add(
                "ladder.steps",
                "处理阶梯没有台阶".into(),
                "the ladder has no steps".into(),
            );
        }
        let mut prev = 0;
        for (i, s) in l.steps.iter().enumerate() {
            let ok = if i == 0 { s.at == 1 } else { s.at > prev };
            if !ok {
                r.hint(
                    format!("ladder.steps[{i}].at"),
                    format!(
                        "阶梯的 `at` 须从 1 开始严格递增，这里是 {}（前一个 {prev}）",
                        s.at
                    ),
                    format!(
                        "ladder `at` must start at 1 and strictly increase; found {} after {prev}",
                        s.at
                    ),
                    "例如 at = 1、2、3 / e.g. at = 1, 2, 3",
                );
            }
            prev = s.at;
        }
    }
    if let Some(lv) = &p.levels {
        if lv.order.is_empty() {
            r.add(
                "levels.order",
                "没有声明职级".into(),
                "no levels declared".into(),
            );
        }
    }
}

fn periods(p: &Policy, r: &mut Report) {
    let cycle = p.policy.cycle;
    if let Some(s) = &p.policy.start {
        period(cycle, "policy.start", s, r);
    }
    for (i, a) in p.aggregates.iter().enumerate() {
        period(cycle, &format!("aggregate[{i}].anchor"), &a.anchor, r);
    }
}

/// Whether `s` is a period label of `cycle`: `YYYY-MM`, `YYYY-Qn`, `YYYY`, or any label.
pub fn parses_for(cycle: Cycle, s: &str) -> bool {
    let year_ok = |y: &str| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit());
    match cycle {
        Cycle::Monthly => s.split_once('-').is_some_and(|(y, m)| {
            year_ok(y) && m.len() == 2 && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        }),
        Cycle::Quarterly => s
            .split_once("-Q")
            .is_some_and(|(y, q)| year_ok(y) && matches!(q, "1" | "2" | "3" | "4")),
        Cycle::Annual => year_ok(s),
        Cycle::Once => !s.trim().is_empty(),
    }
}

fn period(cycle: Cycle, path: &str, s: &str, r: &mut Report) {
    if !parses_for(cycle, s) {
        let form = match cycle {
            Cycle::Monthly => "YYYY-MM（如 2016-04）/ YYYY-MM (e.g. 2016-04)",
            Cycle::Quarterly => "YYYY-Qn（如 2016-Q2）/ YYYY-Qn (e.g. 2016-Q2)",
            Cycle::Annual => "YYYY（如 2016）/ YYYY (e.g. 2016)",
            Cycle::Once => "非空标签 / a non-empty label",
        };
        r.hint(
            path,
            format!("期间 `{s}` 与考核周期 {cycle:?} 不符"),
            format!("period `{s}` does not fit the {cycle:?} cycle"),
            format!("写作 / write {form}"),
        );
    }
}

fn weights_sum(path: &str, sum: Decimal, normalise: bool, r: &mut Report) {
    if sum != Decimal::ONE_HUNDRED && !normalise {
        r.hint(
            path,
            format!("权重合计为 {}，不是 100（P7.3）", sum.normalize()),
            format!("weights add up to {}, not 100 (P7.3)", sum.normalize()),
            "改正权重；若书面制度本身如此（如 30+40+40=110），加上 `normalise = true` 按比例折算，并在 [[decision]] 中说明原因 / fix the weights, or if the written policy really says so (30+40+40 = 110) add `normalise = true` to scale them proportionally and explain why in a [[decision]]",
        );
    }
    if sum <= Decimal::ZERO {
        r.add(
            path,
            "权重合计须大于 0".into(),
            "weights must add up to more than 0".into(),
        );
    }
}

/// Points, weights, caps and full marks are amounts of score: never below zero (a negative
/// weight would turn a better figure into a lower score, silently).
fn non_negative(path: String, v: Decimal, r: &mut Report) {
    if v < Decimal::ZERO {
        r.hint(
            path,
            format!("不能为负数：{v}"),
            format!("must not be negative: {v}"),
            "分值、权重、封顶和满分都不小于 0 / points, weights, caps and full marks are 0 or more",
        );
    }
}

/// The most decimals a policy may show (X2: display only; exact values are kept anyway).
pub(crate) const MAX_DECIMALS: u32 = 6;

fn indicator(base: &str, ind: &Indicator, r: &mut Report) {
    if let Some(f) = ind.full_marks {
        non_negative(format!("{base}.full_marks"), f.0, r);
    }
    if let Some(x) = &ind.ratio {
        non_negative(format!("{base}.ratio.weight"), x.weight.0, r);
        if let Some(c) = x.cap {
            non_negative(format!("{base}.ratio.cap"), c.0, r);
        }
    }
    if let Some(x) = &ind.band {
        non_negative(format!("{base}.band.points"), x.points.0, r);
    }
    if let Some(x) = &ind.per_unit {
        non_negative(format!("{base}.per_unit.points"), x.points.0, r);
        for (k, v) in [("shared_points", x.shared_points), ("cap", x.cap)] {
            if let Some(v) = v {
                non_negative(format!("{base}.per_unit.{k}"), v.0, r);
            }
        }
    }
    if let Some(x) = &ind.deduct {
        non_negative(format!("{base}.deduct.per"), x.per.0, r);
    }
    if let Some(x) = &ind.weighted {
        for (i, part) in x.parts.iter().enumerate() {
            non_negative(
                format!("{base}.weighted.parts[{i}].weight"),
                part.weight.0,
                r,
            );
        }
    }
    if let Some(x) = &ind.raters {
        for (i, g) in x.groups.iter().enumerate() {
            non_negative(format!("{base}.raters.groups[{i}].weight"), g.weight.0, r);
        }
    }
    let b = blocks(ind);
    if b.len() != 1 {
        let (zh, en) = if b.is_empty() {
            (
                format!("指标 `{}` 没有计算方式", ind.id),
                format!("indicator `{}` has no building block", ind.id),
            )
        } else {
            (
                format!("指标 `{}` 有多个计算方式：{}", ind.id, b.join("、")),
                format!(
                    "indicator `{}` has several building blocks: {}",
                    ind.id,
                    b.join(", ")
                ),
            )
        };
        r.hint(
            base,
            zh,
            en,
            format!("恰好写一个 / write exactly one of: {}", BLOCKS.join(", ")),
        );
    }
    if let Some(x) = &ind.rated {
        if x.min > x.max {
            r.add(
                format!("{base}.rated.min"),
                format!("最低分 {} 大于最高分 {}", x.min, x.max),
                format!("min {} is greater than max {}", x.min, x.max),
            );
        }
    }
    if let Some(x) = &ind.ratio {
        if let Some(z) = x.zero_below {
            if z.0 < Decimal::ZERO || z.0 > Decimal::ONE {
                r.hint(
                    format!("{base}.ratio.zero_below"),
                    format!("`zero_below` = {z} 不在 0 到 1 之间"),
                    format!("`zero_below` = {z} is outside [0, 1]"),
                    "它是完成率，60% 写作 0.6 或 \"60%\" / it is a completion ratio: write 0.6 or \"60%\"",
                );
            }
        }
    }
    if let Some(x) = &ind.band {
        if x.full_up_to >= x.zero_above {
            r.add(
                format!("{base}.band.zero_above"),
                format!(
                    "`zero_above` ({}) 须大于 `full_up_to` ({})",
                    x.zero_above, x.full_up_to
                ),
                format!(
                    "`zero_above` ({}) must be greater than `full_up_to` ({})",
                    x.zero_above, x.full_up_to
                ),
            );
        }
    }
    if let Some(x) = &ind.sum {
        if x.parts.is_empty() {
            r.add(
                format!("{base}.sum.parts"),
                "合计没有组成部分".into(),
                "sum has no parts".into(),
            );
        }
    }
    if let Some(x) = &ind.weighted {
        let sum = x.parts.iter().map(|p| p.weight.0).sum();
        weights_sum(&format!("{base}.weighted"), sum, x.normalise, r);
    }
    if let Some(x) = &ind.raters {
        let sum = x.groups.iter().map(|g| g.weight.0).sum();
        weights_sum(&format!("{base}.raters"), sum, x.normalise, r);
        if let (Some(lo), Some(hi)) = (x.min, x.max) {
            if lo > hi {
                r.add(
                    format!("{base}.raters.min"),
                    format!("最低分 {lo} 大于最高分 {hi}"),
                    format!("min {lo} is greater than max {hi}"),
                );
            }
        }
        let mut orders: Vec<u32> = x.groups.iter().map(|g| g.order).collect();
        orders.sort_unstable();
        if orders.windows(2).any(|w| w[0] == w[1]) {
            r.add(
                format!("{base}.raters.groups"),
                "评分顺序 `order` 重复".into(),
                "rater groups share an `order`".into(),
            );
        }
    }
    if let Some(g) = &ind.grade {
        grade(&format!("{base}.grade"), g, r);
    }
    if let Some(c) = &ind.choose {
        if c.cases.is_empty() {
            r.add(
                format!("{base}.choose.cases"),
                "choose 没有分支".into(),
                "choose has no cases".into(),
            );
        }
    }
}

fn grade(base: &str, g: &Grade, r: &mut Report) {
    let n = g.bands.len();
    if n == 0 {
        r.add(
            format!("{base}.bands"),
            "没有等级区间".into(),
            "no grade bands".into(),
        );
    }
    for (i, b) in g.bands.iter().enumerate() {
        let path = format!("{base}.bands[{i}]");
        if b.from.is_none() && i != 0 {
            r.hint(
                format!("{path}.from"),
                "只有第一个区间可以省略 `from`".into(),
                "only the first band may omit `from`".into(),
                "区间按 from 从低到高排列 / list bands from low to high",
            );
        }
        if b.to.is_none() && i + 1 != n {
            r.hint(
                format!("{path}.to"),
                "只有最后一个区间可以省略 `to`".into(),
                "only the last band may omit `to`".into(),
                "区间按 from 从低到高排列 / list bands from low to high",
            );
        }
        if let (Some(f), Some(t)) = (b.from, b.to) {
            if f >= t {
                r.add(
                    format!("{path}.to"),
                    format!("区间 [{f}, {t}) 为空"),
                    format!("band [{f}, {t}) is empty"),
                );
            }
        }
        if let (Some(t), Some(next)) = (b.to, g.bands.get(i + 1)) {
            match next.from {
                Some(f) if f > t => r.hint(
                    format!("{base}.bands[{}].from", i + 1),
                    format!("等级区间有空缺：{t} 到 {f} 之间没有等级"),
                    format!("grade bands leave a gap between {t} and {f}"),
                    format!("令下一个区间 from = {t} / make the next band start at {t}"),
                ),
                Some(f) if f < t => r.hint(
                    format!("{base}.bands[{}].from", i + 1),
                    format!("等级区间重叠：{f} 到 {t} 之间属于两个等级"),
                    format!("grade bands overlap between {f} and {t}"),
                    format!("令下一个区间 from = {t} / make the next band start at {t}"),
                ),
                _ => {}
            }
        }
    }
}

fn line(l: &Line, r: &mut Report) {
    match (l.bottom, &l.bottom_percent) {
        (Some(_), Some(_)) => r.hint(
            "line.bottom_percent",
            "`bottom` 与 `bottom_percent` 只能写一个".into(),
            "write either `bottom` or `bottom_percent`, not both".into(),
            "末位 N 人用 bottom，末位 X% 用 bottom_percent / bottom N people or bottom X percent",
        ),
        (None, None) => r.hint(
            "line",
            "末位线没有名额：缺少 `bottom` 或 `bottom_percent`".into(),
            "the line has no quota: `bottom` or `bottom_percent` is missing".into(),
            "例如 bottom = 2 或 bottom_percent = 10 加 rounding = \"up\" / e.g. bottom = 2, or bottom_percent = 10 with rounding = \"up\"",
        ),
        _ => {}
    }
    if l.bottom == Some(0) {
        r.hint(
            "line.bottom",
            "名额 `bottom` 为 0".into(),
            "quota `bottom` is 0".into(),
            "不设末位线请删去 [line] / remove [line] if there is no line",
        );
    }
    if let Some(pc) = l.bottom_percent {
        if pc.0 <= Decimal::ZERO || pc.0 > Decimal::ONE_HUNDRED {
            r.hint(
                "line.bottom_percent",
                format!("`bottom_percent` = {pc} 不在 (0, 100] 之内"),
                format!("`bottom_percent` = {pc} is outside (0, 100]"),
                "写百分数，如 10 表示 10% / write a percentage: 10 means 10%",
            );
        }
        if l.rounding.is_none() {
            r.hint(
                "line.bottom_percent",
                "按百分比取名额时须写明取整方式 `rounding`".into(),
                "a percent quota needs its `rounding`".into(),
                "rounding = \"up\"（向上）、\"down\"（向下）或 \"nearest\"（四舍五入）",
            );
        }
    } else if l.rounding.is_some() {
        r.add(
            "line.rounding",
            "`rounding` 只用于 `bottom_percent`".into(),
            "`rounding` applies to `bottom_percent` only".into(),
        );
    }
    if let Some(f) = &l.fallback {
        if f.at_least_percent.0 <= Decimal::ZERO || f.at_least_percent.0 > Decimal::ONE_HUNDRED {
            r.add(
                "line.fallback.at_least_percent",
                format!(
                    "`at_least_percent` = {} 不在 (0, 100] 之内",
                    f.at_least_percent
                ),
                format!(
                    "`at_least_percent` = {} is outside (0, 100]",
                    f.at_least_percent
                ),
            );
        }
        if f.bottom == 0 {
            r.add(
                "line.fallback.bottom",
                "`bottom` 须至少为 1".into(),
                "`bottom` must be at least 1".into(),
            );
        }
    }
}

fn history(base: &str, h: &HistoryRule, r: &mut Report) {
    if h.triggers.is_empty() {
        r.add(
            format!("{base}.triggers"),
            "历史规则没有触发条件".into(),
            "history rule has no triggers".into(),
        );
    }
    for (i, t) in h.triggers.iter().enumerate() {
        let path = format!("{base}.triggers[{i}]");
        let forms = [
            t.consecutive.is_some(),
            t.within.is_some(),
            t.in_year.is_some(),
        ];
        let count = forms.iter().filter(|x| **x).count();
        if count != 1 {
            r.hint(
                &path,
                "触发条件须恰好为一种形式".into(),
                "a trigger has exactly one form".into(),
                "{ consecutive = 2 }、{ times = 3, within = 6 } 或 { times = 3, in_year = true }",
            );
        }
        if t.consecutive == Some(0) {
            r.add(
                format!("{path}.consecutive"),
                "`consecutive` 须至少为 1".into(),
                "`consecutive` must be at least 1".into(),
            );
        }
        if t.consecutive.is_some() && t.times.is_some() {
            r.add(
                format!("{path}.times"),
                "`times` 不与 `consecutive` 同用".into(),
                "`times` does not go with `consecutive`".into(),
            );
        }
        if (t.within.is_some() || t.in_year.is_some()) && t.times.is_none() {
            r.add(&path, "缺少次数 `times`".into(), "missing `times`".into());
        }
        if t.in_year == Some(false) {
            r.add(
                format!("{path}.in_year"),
                "`in_year = false` 无意义".into(),
                "`in_year = false` means nothing".into(),
            );
        }
        if t.times == Some(0) {
            r.add(
                format!("{path}.times"),
                "`times` 须至少为 1".into(),
                "`times` must be at least 1".into(),
            );
        }
        if t.within == Some(0) {
            r.add(
                format!("{path}.within"),
                "`within` 须至少为 1".into(),
                "`within` must be at least 1".into(),
            );
        }
        if let (Some(k), Some(n)) = (t.times, t.within) {
            if k > n {
                r.hint(
                    format!("{path}.times"),
                    format!("{n} 期内 {k} 次不可能发生"),
                    format!("{k} times within {n} periods can never happen"),
                    "times 不能大于 within / times may not exceed within",
                );
            }
        }
    }
}
