//! Inputs and indicators in words (输入项与指标说明), one line per construct.

use super::words::{cond, name, named, t};
use super::{Lang, Out};
use crate::model::{Indicator, InputType, Policy};

fn kind(lang: Lang, k: InputType) -> String {
    let (zh, en) = match k {
        InputType::Decimal => ("小数", "decimal"),
        InputType::Integer => ("整数", "whole number"),
        InputType::YesNo => ("是/否", "yes/no"),
        InputType::Percent => ("百分比", "percentage"),
        InputType::Date => ("日期", "date"),
        InputType::Series => ("每日序列", "per-day series"),
        InputType::Text => ("文本", "text"),
        InputType::Ratings => ("多人评分", "ratings by several raters"),
    };
    t(lang, zh, en)
}

pub(crate) fn inputs(p: &Policy, o: &mut Out) {
    if p.inputs.is_empty() {
        return;
    }
    let l = o.lang;
    o.heading("输入项", "Inputs");
    for i in &p.inputs {
        let mut parts = vec![kind(l, i.kind)];
        if !i.headers.is_empty() {
            parts.push(t(
                l,
                format!("读自列“{}”", i.headers.join("”/“")),
                format!("read from column “{}”", i.headers.join("” / “")),
            ));
        }
        match (i.min, i.max) {
            (Some(a), Some(b)) => {
                parts.push(t(l, format!("范围 {a}–{b}"), format!("range {a}–{b}")))
            }
            (Some(a), None) => parts.push(t(l, format!("不低于 {a}"), format!("at least {a}"))),
            (None, Some(b)) => parts.push(t(l, format!("不高于 {b}"), format!("at most {b}"))),
            (None, None) => {}
        }
        if let Some(n) = i.length {
            parts.push(t(l, format!("共 {n} 个值"), format!("{n} values")));
        }
        parts.push(if i.required {
            t(l, "必填", "required")
        } else {
            t(l, "可缺", "optional")
        });
        o.line(
            i.rule.as_ref(),
            format!("{}：{}。", i.name, parts.join("，")),
            format!(
                "{}: {}.",
                named(l, &i.name, i.name_en.as_ref()),
                parts.join(", ")
            ),
        );
    }
}

pub(crate) fn indicators(p: &Policy, o: &mut Out) {
    if p.indicators.is_empty() {
        return;
    }
    o.heading("指标", "Indicators");
    for ind in &p.indicators {
        let (zh, en) = block(p, ind);
        let full = ind
            .full_marks
            .map(|f| (format!("（满分 {f}）"), format!(" (full marks {f})")));
        let (fz, fe) = full.unwrap_or_default();
        let l = o.lang;
        o.line(
            ind.rule.as_ref(),
            format!("{}{fz}：{zh}。", ind.name),
            format!("{}{fe}: {en}.", named(l, &ind.name, ind.name_en.as_ref())),
        );
    }
}

/// The building block in words, (Chinese, English).
fn block(p: &Policy, ind: &Indicator) -> (String, String) {
    let z = |id: &str| name(p, Lang::Zh, id);
    let e = |id: &str| name(p, Lang::En, id);
    if let Some(v) = &ind.value {
        return (
            format!("取{}的值", z(&v.input)),
            format!("the value of {}", e(&v.input)),
        );
    }
    if let Some(v) = &ind.rated {
        return (
            format!(
                "{}评分，{}–{} 分，超出范围为数据错误",
                z(&v.input),
                v.min,
                v.max
            ),
            format!(
                "{} as rated, {} to {}; out of range is an input error",
                e(&v.input),
                v.min,
                v.max
            ),
        );
    }
    if let Some(v) = &ind.deduct {
        let (fz, fe) = match v.floor {
            Some(f) => (format!("最低 {f} 分"), format!("at least {f}")),
            None => ("扣分无下限".into(), "no lower bound".into()),
        };
        return (
            format!("起始{}分，{}每次扣{}分，{fz}", v.start, z(&v.input), v.per),
            format!(
                "starts at {}, minus {} per {}, {fe}",
                v.start,
                v.per,
                e(&v.input)
            ),
        );
    }
    if let Some(v) = &ind.per_unit {
        let (sz, se) = match (&v.shared_input, v.shared_points) {
            (Some(s), Some(sp)) => (
                format!("，{}每单每人{sp}分", z(s)),
                format!(", {sp} points to each participant per {}", e(s)),
            ),
            _ => (String::new(), String::new()),
        };
        let (cz, ce) = match v.cap {
            Some(c) => (format!("，最高 {c} 分"), format!(", capped at {c}")),
            None => ("，不封顶".into(), ", no cap".into()),
        };
        return (
            format!("{}每个{}分{sz}{cz}", z(&v.input), v.points),
            format!("{} points per {}{se}{ce}", v.points, e(&v.input)),
        );
    }
    if let Some(v) = &ind.ratio {
        let (cz, ce) = match v.cap {
            Some(c) => (format!("，最高 {c} 分"), format!(", capped at {c}")),
            None => ("，不封顶".into(), ", uncapped".into()),
        };
        let (zz, ze) = match v.zero_below {
            Some(zb) => (
                format!("，完成率低于 {zb}（恰好等于不算低于）得 0 分"),
                format!(", 0 below a ratio of {zb} (exactly at it is not below)"),
            ),
            None => (String::new(), String::new()),
        };
        return (
            format!(
                "{} × {} ÷ {}{cz}{zz}；目标为 0 或缺失是数据错误",
                v.weight,
                z(&v.actual),
                z(&v.target)
            ),
            format!(
                "{} × {} ÷ {}{ce}{ze}; a target of 0 or missing is an input error",
                v.weight,
                e(&v.actual),
                e(&v.target)
            ),
        );
    }
    if let Some(v) = &ind.band {
        return (
            format!(
                "{}不超过 {} 得 {} 分，超过 {} 得 0 分，之间按比例",
                z(&v.input),
                v.full_up_to,
                v.points,
                v.zero_above
            ),
            format!(
                "{} points while {} is at most {}, 0 above {}, linear between",
                v.points,
                e(&v.input),
                v.full_up_to,
                v.zero_above
            ),
        );
    }
    if let Some(v) = &ind.sum {
        let zs: Vec<String> = v.parts.iter().map(|x| z(x)).collect();
        let es: Vec<String> = v.parts.iter().map(|x| e(x)).collect();
        return (
            format!("{} 之和（总分按各项重新计算）", zs.join(" + ")),
            format!("the sum {} (recomputed from its parts)", es.join(" + ")),
        );
    }
    if let Some(v) = &ind.weighted {
        let zs: Vec<String> = v
            .parts
            .iter()
            .map(|x| format!("{} × {}%", z(&x.indicator), x.weight))
            .collect();
        let es: Vec<String> = v
            .parts
            .iter()
            .map(|x| format!("{} × {}%", e(&x.indicator), x.weight))
            .collect();
        let (nz, ne) = if v.normalise {
            ("，按权重合计折算", ", scaled by the weights' total")
        } else {
            ("", "")
        };
        return (
            format!("{}{nz}", zs.join(" + ")),
            format!("{}{ne}", es.join(" + ")),
        );
    }
    if let Some(v) = &ind.raters {
        let mut groups = v.groups.clone();
        groups.sort_by_key(|g| g.order);
        let zs: Vec<String> = groups
            .iter()
            .map(|g| {
                format!(
                    "{} 平均分 × {}%",
                    g.name.as_ref().unwrap_or(&g.group),
                    g.weight
                )
            })
            .collect();
        let es: Vec<String> = groups
            .iter()
            .map(|g| format!("{} average × {}%", g.group, g.weight))
            .collect();
        let total: rust_decimal::Decimal = groups.iter().map(|g| g.weight.0).sum();
        let (nz, ne) = if v.normalise {
            (
                format!("；权重合计 {total}%，按比例折算为 100%"),
                format!("; the weights total {total}%, scaled to 100%"),
            )
        } else {
            (String::new(), String::new())
        };
        return (
            format!("依次评分：{}{nz}", zs.join(" → ")),
            format!("rated in order: {}{ne}", es.join(" → ")),
        );
    }
    if let Some(v) = &ind.count_below {
        return (
            format!("{}中低于 {} 的天数（恰好等于不算）", z(&v.input), v.below),
            format!(
                "the number of days {} is below {} (exactly at it is not below)",
                e(&v.input),
                v.below
            ),
        );
    }
    if let Some(v) = &ind.grade {
        let band = |lang: Lang| -> Vec<String> {
            v.bands
                .iter()
                .map(|b| {
                    let label = match lang {
                        Lang::Zh => b.label.clone(),
                        Lang::En => b.label_en.clone().unwrap_or_else(|| b.label.clone()),
                    };
                    let lo = b.from.map_or("−∞".to_string(), |x| x.to_string());
                    let hi = b.to.map_or("+∞".to_string(), |x| x.to_string());
                    format!("[{lo}, {hi}) {label}")
                })
                .collect()
        };
        return (
            format!("{}分档：{}", z(&v.of), band(Lang::Zh).join("；")),
            format!("grades of {}: {}", e(&v.of), band(Lang::En).join("; ")),
        );
    }
    if let Some(v) = &ind.choose {
        let zs: Vec<String> = v
            .cases
            .iter()
            .map(|c| format!("若{}则取{}", cond(p, Lang::Zh, &c.when), z(&c.indicator)))
            .collect();
        let es: Vec<String> = v
            .cases
            .iter()
            .map(|c| format!("if {} then {}", cond(p, Lang::En, &c.when), e(&c.indicator)))
            .collect();
        return (
            format!("{}；都不满足为数据错误", zs.join("；")),
            format!("{}; no case holding is an input error", es.join("; ")),
        );
    }
    if let Some(v) = &ind.formula {
        return (
            format!("公式 {}（精确小数）", v.expr),
            format!("formula {} (exact decimals)", v.expr),
        );
    }
    ("（未定义）".into(), "(not defined)".into())
}
