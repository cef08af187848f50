//! Indicator building blocks (指标构件): compiled from [`kaohe_policy::model::Indicator`] and
//! computed per person with an explanation in Chinese and English (X3).
//!
//! Every block reads exact decimals and never clamps or guesses: a value out of range, a zero
//! target or a missing rater group is a data error for that person (P2.2, P4.4). A missing
//! (optional) value makes the indicator missing; whoever then needs it reports the error.

use crate::cond::{CCond, CFormula, CondError};
use crate::display::round;
use crate::lookup::{Ctx, IVal, Names, Slot, V};
use crate::result::Explanation;
use kaohe_policy::formula::FValue;
use kaohe_policy::model::Indicator;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Division whose result depends only on the mathematical quotient (X2): both operands are
/// turned into integers over a common scale, the fraction is reduced by its gcd, and only then
/// divided once. Two quotients that are equal as fractions therefore give the same bits, however
/// the arithmetic before was ordered. The caller guarantees `d != 0`.
pub(crate) fn exact_div(n: Decimal, d: Decimal) -> Decimal {
    let (mut a, mut b) = (n.mantissa(), d.mantissa());
    let (sa, sb) = (n.scale(), d.scale());
    // n/d = (a / 10^sa) / (b / 10^sb) = a·10^sb / (b·10^sa)
    let scale_up = |x: i128, s: u32| -> Option<i128> { 10i128.checked_pow(s)?.checked_mul(x) };
    match (scale_up(a, sb), scale_up(b, sa)) {
        (Some(x), Some(y)) => {
            a = x;
            b = y;
        }
        _ => return (n / d).normalize(),
    }
    if b < 0 {
        a = -a;
        b = -b;
    }
    let g = gcd(a.unsigned_abs(), b.unsigned_abs());
    if g > 1 {
        a /= g as i128;
        b /= g as i128;
    }
    match (
        Decimal::try_from_i128_with_scale(a, 0),
        Decimal::try_from_i128_with_scale(b, 0),
    ) {
        (Ok(x), Ok(y)) => (x / y).normalize(),
        _ => (n / d).normalize(),
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    // Mantissas of money and counts fit 64 bits: a hardware division per step instead of a
    // 128-bit library call (same result).
    if let (Ok(mut x), Ok(mut y)) = (u64::try_from(a), u64::try_from(b)) {
        while y != 0 {
            (x, y) = (y, x % y);
        }
        return u128::from(x);
    }
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A number as shown in explanations: rounded half-up to `dp` places (X2), no trailing zeros.
///
/// Written digit by digit (the same text as `round(d, dp).normalize().to_string()`, see the
/// test): explanations of a million people format several million numbers, and the generic
/// formatter was a third of the scoring time.
pub(crate) fn num(d: Decimal, dp: u32) -> String {
    let r = if d.scale() <= dp { d } else { round(d, dp) }.normalize();
    let m = r.mantissa();
    let scale = r.scale() as usize;
    let mut u = m.unsigned_abs();
    if u == 0 {
        return "0".to_string();
    }
    // Least significant digit first; 96-bit mantissas have at most 29 digits, scales at most 28.
    let mut digits = [b'0'; 64];
    let mut k = 0;
    // 128-bit division is a library call; most mantissas fit 64 bits.
    while u > u128::from(u64::MAX) {
        digits[k] = b'0' + (u % 10) as u8;
        u /= 10;
        k += 1;
    }
    let mut v = u as u64;
    while v > 0 {
        digits[k] = b'0' + (v % 10) as u8;
        v /= 10;
        k += 1;
    }
    k = k.max(scale);
    let mut s = String::with_capacity(k + 3);
    if m < 0 {
        s.push('-');
    }
    if k == scale {
        s.push('0');
    }
    for &c in digits[scale..k].iter().rev() {
        s.push(char::from(c));
    }
    if scale > 0 {
        s.push('.');
        for &c in digits[..scale].iter().rev() {
            s.push(char::from(c));
        }
    }
    s
}

/// A data problem found while computing (数据问题).
#[derive(Clone, Debug)]
pub(crate) struct Fail {
    pub(crate) field: String,
    pub(crate) zh: String,
    pub(crate) en: String,
}

impl Fail {
    fn new(field: &str, zh: String, en: String) -> Fail {
        Fail {
            field: field.to_string(),
            zh,
            en,
        }
    }
}

impl From<CondError> for Fail {
    fn from(e: CondError) -> Fail {
        Fail {
            field: e.field,
            zh: e.zh,
            en: e.en,
        }
    }
}

#[derive(Debug)]
pub(crate) struct GradeBand {
    from: Option<Decimal>,
    to: Option<Decimal>,
    label: String,
}

#[derive(Debug)]
pub(crate) struct RaterGroup {
    group: String,
    weight: Decimal,
    required: bool,
}

/// A compiled building block.
#[derive(Debug)]
pub(crate) enum Block {
    Value(Src),
    Rated {
        src: Src,
        min: Decimal,
        max: Decimal,
    },
    Deduct {
        src: Src,
        start: Decimal,
        per: Decimal,
        floor: Option<Decimal>,
    },
    PerUnit {
        src: Src,
        points: Decimal,
        shared: Option<(Src, Decimal)>,
        cap: Option<Decimal>,
    },
    Ratio {
        actual: Src,
        target: Src,
        weight: Decimal,
        cap: Option<Decimal>,
        zero_below: Option<Decimal>,
    },
    Band {
        src: Src,
        points: Decimal,
        full: Decimal,
        zero: Decimal,
    },
    Sum(Vec<Src>),
    Weighted {
        parts: Vec<(Src, Decimal)>,
        den: Decimal,
    },
    Raters {
        src: Src,
        groups: Vec<RaterGroup>,
        normalise: bool,
        min: Option<Decimal>,
        max: Option<Decimal>,
    },
    CountBelow {
        src: Src,
        below: Decimal,
    },
    Grade {
        of: Src,
        bands: Vec<GradeBand>,
    },
    Choose(Vec<(CCond, Src)>),
    Formula(Box<CFormula>),
}

/// A named source slot.
#[derive(Debug, Clone)]
pub(crate) struct Src {
    pub(crate) name: String,
    pub(crate) slot: Slot,
}

fn src(names: &Names, n: &str) -> Result<Src, String> {
    names
        .get(n)
        .map(|slot| Src {
            name: n.to_string(),
            slot,
        })
        .ok_or_else(|| format!("引用了未声明的名称“{n}” / `{n}` is not declared"))
}

impl Block {
    /// Compile one indicator; exactly one building block must be set.
    pub(crate) fn compile(ind: &Indicator, names: &Names) -> Result<Block, String> {
        let mut blocks = Vec::new();
        if let Some(v) = &ind.value {
            blocks.push(Block::Value(src(names, &v.input)?));
        }
        if let Some(r) = &ind.rated {
            blocks.push(Block::Rated {
                src: src(names, &r.input)?,
                min: r.min.value(),
                max: r.max.value(),
            });
        }
        if let Some(d) = &ind.deduct {
            blocks.push(Block::Deduct {
                src: src(names, &d.input)?,
                start: d.start.value(),
                per: d.per.value(),
                floor: d.floor.map(|f| f.value()),
            });
        }
        if let Some(p) = &ind.per_unit {
            let shared = match (&p.shared_input, p.shared_points) {
                (Some(i), Some(pts)) => Some((src(names, i)?, pts.value())),
                (None, None) => None,
                _ => return Err("per_unit: shared_input 与 shared_points 须同时给出 / shared_input and shared_points go together".into()),
            };
            blocks.push(Block::PerUnit {
                src: src(names, &p.input)?,
                points: p.points.value(),
                shared,
                cap: p.cap.map(|c| c.value()),
            });
        }
        if let Some(r) = &ind.ratio {
            blocks.push(Block::Ratio {
                actual: src(names, &r.actual)?,
                target: src(names, &r.target)?,
                weight: r.weight.value(),
                cap: r.cap.map(|c| c.value()),
                zero_below: r.zero_below.map(|c| c.value()),
            });
        }
        if let Some(b) = &ind.band {
            if b.zero_above.value() < b.full_up_to.value() {
                return Err("band: zero_above 不得小于 full_up_to / zero_above must not be below full_up_to".into());
            }
            blocks.push(Block::Band {
                src: src(names, &b.input)?,
                points: b.points.value(),
                full: b.full_up_to.value(),
                zero: b.zero_above.value(),
            });
        }
        if let Some(s) = &ind.sum {
            let parts = s
                .parts
                .iter()
                .map(|p| src(names, p))
                .collect::<Result<_, _>>()?;
            blocks.push(Block::Sum(parts));
        }
        if let Some(w) = &ind.weighted {
            let parts: Vec<(Src, Decimal)> = w
                .parts
                .iter()
                .map(|p| Ok((src(names, &p.indicator)?, p.weight.value())))
                .collect::<Result<_, String>>()?;
            let total: Decimal = parts.iter().map(|(_, w)| *w).sum();
            let den = if w.normalise {
                total
            } else {
                Decimal::ONE_HUNDRED
            };
            if den.is_zero() {
                return Err("weighted: 权重之和为0 / the weights add up to 0".into());
            }
            blocks.push(Block::Weighted { parts, den });
        }
        if let Some(r) = &ind.raters {
            let groups: Vec<RaterGroup> = r
                .groups
                .iter()
                .map(|g| RaterGroup {
                    group: g.group.trim().to_string(),
                    weight: g.weight.value(),
                    required: g.required,
                })
                .collect();
            if groups.iter().map(|g| g.weight).sum::<Decimal>().is_zero() {
                return Err("raters: 权重之和为0 / the weights add up to 0".into());
            }
            blocks.push(Block::Raters {
                src: src(names, &r.input)?,
                groups,
                normalise: r.normalise,
                min: r.min.map(|m| m.value()),
                max: r.max.map(|m| m.value()),
            });
        }
        if let Some(c) = &ind.count_below {
            blocks.push(Block::CountBelow {
                src: src(names, &c.input)?,
                below: c.below.value(),
            });
        }
        if let Some(g) = &ind.grade {
            let bands = g
                .bands
                .iter()
                .map(|b| GradeBand {
                    from: b.from.map(|x| x.value()),
                    to: b.to.map(|x| x.value()),
                    label: b.label.clone(),
                })
                .collect();
            blocks.push(Block::Grade {
                of: src(names, &g.of)?,
                bands,
            });
        }
        if let Some(c) = &ind.choose {
            let cases = c
                .cases
                .iter()
                .map(|k| Ok((CCond::compile(&k.when, names)?, src(names, &k.indicator)?)))
                .collect::<Result<_, String>>()?;
            blocks.push(Block::Choose(cases));
        }
        if let Some(f) = &ind.formula {
            blocks.push(Block::Formula(Box::new(CFormula::compile(&f.expr, names)?)));
        }
        if blocks.len() != 1 {
            return Err(format!(
                "指标“{}”须恰好使用一种构件（现有{}种） / indicator `{}` must use exactly one building block ({} given)",
                ind.id,
                blocks.len(),
                ind.id,
                blocks.len()
            ));
        }
        blocks.pop().ok_or_else(|| "no block".to_string())
    }

    /// Slots this block reads.
    pub(crate) fn deps(&self) -> Vec<Slot> {
        let mut out = Vec::new();
        match self {
            Block::Value(s)
            | Block::Rated { src: s, .. }
            | Block::Deduct { src: s, .. }
            | Block::Band { src: s, .. }
            | Block::Raters { src: s, .. }
            | Block::CountBelow { src: s, .. }
            | Block::Grade { of: s, .. } => out.push(s.slot),
            Block::PerUnit { src, shared, .. } => {
                out.push(src.slot);
                if let Some((s, _)) = shared {
                    out.push(s.slot);
                }
            }
            Block::Ratio { actual, target, .. } => {
                out.push(actual.slot);
                out.push(target.slot);
            }
            Block::Sum(parts) => out.extend(parts.iter().map(|s| s.slot)),
            Block::Weighted { parts, .. } => out.extend(parts.iter().map(|(s, _)| s.slot)),
            Block::Choose(cases) => {
                for (c, s) in cases {
                    c.slots(&mut out);
                    out.push(s.slot);
                }
            }
            Block::Formula(f) => out.extend(f.slots()),
        }
        out
    }

    /// Whether the block combines other indicators (合成指标).
    pub(crate) fn parts(&self) -> Option<Vec<&Src>> {
        match self {
            Block::Sum(p) => Some(p.iter().collect()),
            Block::Weighted { parts, .. } => Some(parts.iter().map(|(s, _)| s).collect()),
            Block::Grade { .. } | Block::Choose(_) => Some(Vec::new()),
            _ => None,
        }
    }
}

/// Outcome of computing one indicator.
pub(crate) type Computed<'p> = Result<(IVal<'p>, Explanation), Fail>;

/// Read a number, or say why not. `Ok(None)` = missing (or failed upstream).
fn number(
    ctx: &Ctx,
    s: &Src,
    ex: &mut Explanation,
    dp: Option<u32>,
) -> Result<Option<Decimal>, Fail> {
    match ctx.get(s.slot) {
        V::Num(d) => {
            if let Some(dp) = dp {
                ex.inputs.push((s.name.clone(), num(d, dp)));
            }
            Ok(Some(d))
        }
        V::Missing | V::Failed => Ok(None),
        _ => Err(Fail::new(
            &s.name,
            format!("“{}”须为数值", s.name),
            format!("`{}` must be a number", s.name),
        )),
    }
}

fn missing<'p>(mut ex: Explanation, s: &Src, failed: bool) -> Computed<'p> {
    ex.zh = format!("缺少“{}”，无法计算", s.name);
    ex.en = format!("`{}` is missing; not computed", s.name);
    Ok((if failed { IVal::Failed } else { IVal::Missing }, ex))
}

macro_rules! need {
    ($ctx:expr, $s:expr, $ex:expr, $dp:expr) => {
        match number($ctx, $s, &mut $ex, $dp)? {
            Some(d) => d,
            None => {
                let failed = matches!($ctx.get($s.slot), V::Failed);
                return missing($ex, $s, failed);
            }
        }
    };
}

fn done<'p>(v: Decimal, mut ex: Explanation, zh: String, en: String) -> Computed<'p> {
    ex.zh = zh;
    ex.en = en;
    Ok((IVal::Num(v), ex))
}

impl Block {
    /// Compute for one person. `dp` = display places for explanations.
    pub(crate) fn compute<'p>(&'p self, ctx: &Ctx<'_, 'p>, dp: u32, explain: bool) -> Computed<'p> {
        let mut ex = Explanation::default();
        // Explanation numbers are only formatted when explanations are wanted; error messages
        // always carry their numbers.
        let n = |d: Decimal| if explain { num(d, dp) } else { String::new() };
        let e = |d: Decimal| num(d, dp);
        // Explanation text, written only when explanations are wanted.
        macro_rules! tx {
            ($($t:tt)*) => {
                if explain { format!($($t)*) } else { String::new() }
            };
        }
        match self {
            Block::Value(s) => {
                let v = need!(ctx, s, ex, explain.then_some(dp));
                done(v, ex, tx!("取值 {}", n(v)), tx!("value {}", n(v)))
            }
            Block::Rated { src, min, max } => {
                let v = need!(ctx, src, ex, explain.then_some(dp));
                if v < *min || v > *max {
                    return Err(Fail::new(
                        &src.name,
                        format!(
                            "评分{}超出范围{}–{}（不截断，P2.2）",
                            e(v),
                            e(*min),
                            e(*max)
                        ),
                        format!(
                            "rating {} is outside {}–{} (never clamped, P2.2)",
                            e(v),
                            e(*min),
                            e(*max)
                        ),
                    ));
                }
                done(
                    v,
                    ex,
                    tx!("评分 {}（范围{}–{}）", n(v), n(*min), n(*max)),
                    tx!("rating {} (range {}–{})", n(v), n(*min), n(*max)),
                )
            }
            Block::Deduct {
                src,
                start,
                per,
                floor,
            } => {
                let c = need!(ctx, src, ex, explain.then_some(dp));
                let raw = *start - *per * c;
                let (v, zh_note, en_note) = match floor {
                    Some(f) if raw < *f => (
                        *f,
                        tx!("低于下限，取{}", n(*f)),
                        tx!("below the floor, {}", n(*f)),
                    ),
                    Some(f) => (raw, tx!("下限{}", n(*f)), tx!("floor {}", n(*f))),
                    None => (raw, "扣分无下限".to_string(), "no lower bound".to_string()),
                };
                let base = tx!("{} − {} × {} = {}", n(*start), n(*per), n(c), n(raw));
                done(v, ex, tx!("{base}（{zh_note}）"), tx!("{base} ({en_note})"))
            }
            Block::PerUnit {
                src,
                points,
                shared,
                cap,
            } => {
                let u = need!(ctx, src, ex, explain.then_some(dp));
                let mut raw = *points * u;
                let mut text = tx!("{} × {}", n(*points), n(u));
                let mut blank = None;
                if let Some((s, sp)) = shared {
                    if matches!(ctx.get(s.slot), V::Failed) {
                        return missing(ex, s, true);
                    }
                    // P2.4: a blank co-operative-deals cell of an OPTIONAL input means no shared
                    // deals; the explanation says so (a required input never reaches here blank).
                    match number(ctx, s, &mut ex, explain.then_some(dp))? {
                        Some(k) => {
                            raw += *sp * k;
                            text = tx!("{text} + {} × {}", n(*sp), n(k));
                        }
                        None => {
                            text = tx!("{text} + {} × 0", n(*sp));
                            blank = Some((
                                "；合作成交未填，按0计",
                                "; shared deals blank, counted as 0",
                            ));
                        }
                    }
                }
                let (bz, be) = blank.unwrap_or(("", ""));
                let text = tx!("{text} = {}", n(raw));
                match cap {
                    Some(c) if raw > *c => done(
                        *c,
                        ex,
                        tx!("{text}，封顶{}{bz}", n(*c)),
                        tx!("{text}, capped at {}{be}", n(*c)),
                    ),
                    Some(c) => done(
                        raw,
                        ex,
                        tx!("{text}（上限{}{bz}）", n(*c)),
                        tx!("{text} (cap {}{be})", n(*c)),
                    ),
                    None => done(
                        raw,
                        ex,
                        tx!("{text}（不封顶{bz}）"),
                        tx!("{text} (no cap{be})"),
                    ),
                }
            }
            Block::Ratio {
                actual,
                target,
                weight,
                cap,
                zero_below,
            } => {
                let a = need!(ctx, actual, ex, explain.then_some(dp));
                let t = match number(ctx, target, &mut ex, explain.then_some(dp))? {
                    Some(t) => t,
                    None => {
                        return Err(Fail::new(
                            &target.name,
                            format!("目标“{}”缺失，无法计算完成率（P4.4）", target.name),
                            format!("target `{}` is missing; the completion ratio cannot be computed (P4.4)", target.name),
                        ))
                    }
                };
                if t <= Decimal::ZERO {
                    return Err(Fail::new(
                        &target.name,
                        format!("目标“{}”为{}，须大于0（P4.4）", target.name, e(t)),
                        format!(
                            "target `{}` is {}; it must be above 0 (P4.4)",
                            target.name,
                            e(t)
                        ),
                    ));
                }
                let ratio = exact_div(a, t);
                let raw = exact_div(*weight * a, t);
                let text = tx!("{} × {} ÷ {} = {}", n(*weight), n(a), n(t), n(raw));
                if let Some(z) = zero_below {
                    if ratio < *z {
                        let pct = n(ratio * Decimal::ONE_HUNDRED);
                        let zp = n(*z * Decimal::ONE_HUNDRED);
                        return done(
                            Decimal::ZERO,
                            ex,
                            tx!("完成率{pct}%低于{zp}%，得0分"),
                            tx!("completion {pct}% is below {zp}%, scores 0"),
                        );
                    }
                }
                match cap {
                    Some(c) if raw > *c => done(
                        *c,
                        ex,
                        tx!("{text}，封顶{}", n(*c)),
                        tx!("{text}, capped at {}", n(*c)),
                    ),
                    _ => done(raw, ex, text.clone(), text),
                }
            }
            Block::Band {
                src,
                points,
                full,
                zero,
            } => {
                let x = need!(ctx, src, ex, explain.then_some(dp));
                if x <= *full {
                    done(
                        *points,
                        ex,
                        tx!("{} ≤ {}，得满分{}", n(x), n(*full), n(*points)),
                        tx!("{} ≤ {}, full {}", n(x), n(*full), n(*points)),
                    )
                } else if x > *zero {
                    done(
                        Decimal::ZERO,
                        ex,
                        tx!("{} > {}，得0分", n(x), n(*zero)),
                        tx!("{} > {}, scores 0", n(x), n(*zero)),
                    )
                } else {
                    let v = exact_div(*points * (*zero - x), *zero - *full);
                    let t = tx!(
                        "{} × ({} − {}) ÷ ({} − {}) = {}",
                        n(*points),
                        n(*zero),
                        n(x),
                        n(*zero),
                        n(*full),
                        n(v)
                    );
                    done(v, ex, tx!("{t}（线性扣减）"), tx!("{t} (linear)"))
                }
            }
            Block::Sum(parts) => {
                let mut total = Decimal::ZERO;
                let mut terms = Vec::with_capacity(parts.len());
                for p in parts {
                    let v = need!(ctx, p, ex, explain.then_some(dp));
                    total += v;
                    terms.push(n(v));
                }
                let t = tx!("{} = {}", terms.join(" + "), n(total));
                done(total, ex, t.clone(), t)
            }
            Block::Weighted { parts, den } => {
                let mut acc = Decimal::ZERO;
                let mut terms = Vec::with_capacity(parts.len());
                for (p, w) in parts {
                    let v = need!(ctx, p, ex, explain.then_some(dp));
                    acc += *w * v;
                    terms.push(tx!("{} × {}", n(*w), n(v)));
                }
                let v = exact_div(acc, *den);
                let t = tx!("({}) ÷ {} = {}", terms.join(" + "), n(*den), n(v));
                done(v, ex, t.clone(), t)
            }
            Block::Raters {
                src,
                groups,
                normalise,
                min,
                max,
            } => raters(ctx, src, groups, *normalise, *min, *max, ex, dp, explain),
            Block::CountBelow { src, below } => {
                let series = match ctx.get(src.slot) {
                    V::Series(s) => s,
                    V::Missing => return missing(ex, src, false),
                    V::Failed => return missing(ex, src, true),
                    _ => {
                        return Err(Fail::new(
                            &src.name,
                            format!("“{}”须为每日序列", src.name),
                            format!("`{}` must be a per-day series", src.name),
                        ))
                    }
                };
                if explain {
                    let vals: Vec<String> = series.iter().map(|d| n(*d)).collect();
                    ex.inputs.push((src.name.clone(), vals.join(",")));
                }
                let c = series.iter().filter(|v| **v < *below).count();
                let c = Decimal::from(c as u64);
                done(
                    c,
                    ex,
                    tx!("低于{}的天数：{}（等于不算低于）", n(*below), n(c)),
                    tx!("days below {}: {} (equal is not below)", n(*below), n(c)),
                )
            }
            Block::Grade { of, bands } => {
                let v = need!(ctx, of, ex, explain.then_some(dp));
                let hit = bands
                    .iter()
                    .find(|b| b.from.is_none_or(|f| v >= f) && b.to.is_none_or(|t| v < t));
                match hit {
                    Some(b) => {
                        ex.zh = tx!("{} → {}", n(v), b.label);
                        ex.en = tx!("{} → {}", n(v), b.label);
                        Ok((IVal::Label(b.label.as_str()), ex))
                    }
                    None => Err(Fail::new(
                        &of.name,
                        format!("{}不在任何等级区间内", e(v)),
                        format!("{} falls in no grade band", e(v)),
                    )),
                }
            }
            Block::Choose(cases) => {
                for (i, (c, s)) in cases.iter().enumerate() {
                    if c.eval(ctx)? {
                        return match ctx.get(s.slot) {
                            V::Num(d) => done(
                                d,
                                ex,
                                tx!("第{}个条件成立，取“{}” = {}", i + 1, s.name, n(d)),
                                tx!("case {} holds, takes `{}` = {}", i + 1, s.name, n(d)),
                            ),
                            V::Failed => missing(ex, s, true),
                            _ => missing(ex, s, false),
                        };
                    }
                }
                Err(Fail::new(
                    "choose",
                    "没有任何条件成立，无法选择指标".into(),
                    "no case holds; no indicator chosen".into(),
                ))
            }
            Block::Formula(f) => match f.eval(ctx)? {
                FValue::Num(d) => {
                    let t = tx!("公式结果 {}", n(d));
                    done(d, ex, t, tx!("formula gives {}", n(d)))
                }
                _ => Err(Fail::new(
                    "formula",
                    "指标公式须返回数值".into(),
                    "an indicator formula must return a number".into(),
                )),
            },
        }
    }
}

/// Multi-rater average (多人评分, P7.2/P7.3): each group's ratings are averaged, then weighted.
/// Computed as ONE fraction N / D with N = Σ w_g × sum_g × (L / count_g) and D = L × W
/// (L = the product of the groups' counts, W = 100 or the weights' sum when normalised), divided
/// once by [`exact_div`], so equal scores are equal bits whatever the order of ratings (X2).
#[allow(clippy::too_many_arguments)]
fn raters<'p>(
    ctx: &Ctx<'_, 'p>,
    src: &Src,
    groups: &'p [RaterGroup],
    normalise: bool,
    min: Option<Decimal>,
    max: Option<Decimal>,
    mut ex: Explanation,
    dp: u32,
    explain: bool,
) -> Computed<'p> {
    let ratings = match ctx.get(src.slot) {
        V::Ratings(r) => r,
        V::Missing => return missing(ex, src, false),
        V::Failed => return missing(ex, src, true),
        _ => {
            return Err(Fail::new(
                &src.name,
                format!("“{}”须为评分表", src.name),
                format!("`{}` must be ratings", src.name),
            ))
        }
    };
    let n = |d: Decimal| if explain { num(d, dp) } else { String::new() };
    let e = |d: Decimal| num(d, dp);
    // Explanation text, written only when explanations are wanted.
    macro_rules! tx {
        ($($t:tt)*) => {
            if explain { format!($($t)*) } else { String::new() }
        };
    }
    let mut per: BTreeMap<usize, (Decimal, u64)> = BTreeMap::new();
    for r in ratings {
        let g = groups
            .iter()
            .position(|g| g.group == r.group.trim())
            .ok_or_else(|| {
                Fail::new(
                    &src.name,
                    format!("评分人“{}”的类别“{}”未在制度中声明", r.rater, r.group),
                    format!(
                        "rater `{}` has group `{}`, which the policy does not declare",
                        r.rater, r.group
                    ),
                )
            })?;
        if min.is_some_and(|m| r.score < m) || max.is_some_and(|m| r.score > m) {
            return Err(Fail::new(
                &src.name,
                format!("评分人“{}”的评分{}超出范围", r.rater, e(r.score)),
                format!("rater `{}` gave {}, out of range", r.rater, e(r.score)),
            ));
        }
        let e = per.entry(g).or_insert((Decimal::ZERO, 0));
        e.0 += r.score;
        e.1 += 1;
    }
    let mut all_present = true;
    for (i, g) in groups.iter().enumerate() {
        if !per.contains_key(&i) {
            if g.required {
                return Err(Fail::new(
                    &src.name,
                    format!("缺少“{}”组的评分", g.group),
                    format!("no rating from group `{}`", g.group),
                ));
            }
            all_present = false;
        }
    }
    if per.is_empty() {
        return missing(ex, src, false);
    }
    let mut l: u64 = 1;
    for (_, c) in per.values() {
        l = l.saturating_mul(*c);
    }
    let l_dec = Decimal::from(l);
    let mut numer = Decimal::ZERO;
    let mut present_w = Decimal::ZERO;
    let mut terms = Vec::new();
    for (i, (sum, c)) in &per {
        let g = &groups[*i];
        numer += g.weight * *sum * Decimal::from(l / *c);
        present_w += g.weight;
        let avg = exact_div(*sum, Decimal::from(*c));
        if explain {
            ex.inputs
                .push((g.group.clone(), format!("{}人平均{}", c, n(avg))));
            terms.push(format!("{} × {}", n(g.weight), n(avg)));
        }
    }
    let w = if normalise || !all_present {
        present_w
    } else {
        Decimal::ONE_HUNDRED
    };
    let v = exact_div(numer, l_dec * w);
    let t = tx!("({}) ÷ {} = {}", terms.join(" + "), n(w), n(v));
    done(
        v,
        ex,
        if normalise {
            tx!("{t}（按权重之和归一，P7.3）")
        } else {
            t.clone()
        },
        if normalise {
            tx!("{t} (normalised by the weights' sum, P7.3)")
        } else {
            t
        },
    )
}

#[cfg(test)]
mod num_tests {
    use super::*;
    use std::str::FromStr;

    /// gcd by hand: gcd(84, 36) = 12; gcd(0, 5) = 5; past 64 bits, 3·2^70 and 9·2^66 share 3·2^66.
    #[test]
    fn gcd_small_and_wide() {
        assert_eq!(gcd(84, 36), 12);
        assert_eq!(gcd(36, 84), 12);
        assert_eq!(gcd(0, 5), 5);
        assert_eq!(gcd(5, 0), 5);
        assert_eq!(gcd(3 << 70, 9 << 66), 3 << 66);
        // 70 × 123.45 ÷ 200 (P4.4 shape) reduces to 1728.3 / 40 → exact 43.2075.
        let v = exact_div(
            Decimal::from(70) * Decimal::from_str("123.45").unwrap(),
            Decimal::from(200),
        );
        assert_eq!(v, Decimal::from_str("43.2075").unwrap());
    }

    /// The digit-by-digit `num` writes exactly what the generic formatter wrote, e.g.
    /// 90.585 at 2 places → `90.59` (half up, X2), -0.004 → `0`, 0.05 → `0.05`, 1200 → `1200`.
    #[test]
    fn num_matches_the_generic_formatter() {
        let samples = [
            "90.585",
            "-4",
            "0",
            "-0.004",
            "0.05",
            "1200",
            "1200.00",
            "-0.5",
            "0.000123",
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
            "12.3456789",
            "-99.995",
            "100",
            "0.1",
            "-1",
        ];
        for s in samples {
            let d = Decimal::from_str(s).unwrap();
            for dp in 0..6 {
                let old = round(d, dp).normalize().to_string();
                assert_eq!(num(d, dp), old, "{s} at {dp} places");
            }
        }
        assert_eq!(num(Decimal::from_str("90.585").unwrap(), 2), "90.59");
        let mut x = Decimal::from_str("-1234.5678").unwrap();
        for _ in 0..200 {
            x = x * Decimal::from_str("0.73").unwrap() + Decimal::from_str("0.011").unwrap();
            for dp in 0..4 {
                assert_eq!(num(x, dp), round(x, dp).normalize().to_string());
            }
        }
    }
}
