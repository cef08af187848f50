//! Words for the plain-language rendering (说明用语): names, conditions and enum values in
//! Chinese or English.

use super::Lang;
use crate::model::{Cond, Cycle, LegalPath, Measure, Op, Order, Policy, Rounding, StreakEffect};

/// Pick the Chinese or English text.
pub(crate) fn t(lang: Lang, zh: impl Into<String>, en: impl Into<String>) -> String {
    match lang {
        Lang::Zh => zh.into(),
        Lang::En => en.into(),
    }
}

/// A Chinese name with an optional English one.
pub(crate) fn named(lang: Lang, zh: &str, en: Option<&String>) -> String {
    match (lang, en) {
        (Lang::En, Some(e)) => e.clone(),
        _ => zh.to_string(),
    }
}

/// Display name of an input, indicator, roster field or built-in.
pub(crate) fn name(p: &Policy, lang: Lang, id: &str) -> String {
    if let Some(i) = p.inputs.iter().find(|i| i.id == id) {
        return named(lang, &i.name, i.name_en.as_ref());
    }
    if let Some(i) = p.indicators.iter().find(|i| i.id == id) {
        return named(lang, &i.name, i.name_en.as_ref());
    }
    let fixed = [
        ("id", "工号"),
        ("name", "姓名"),
        ("region", "区域"),
        ("branch", "分公司"),
        ("department", "部门"),
        ("project", "项目"),
        ("post", "岗位"),
        ("level", "职级"),
        ("status", "状态"),
        ("hire_date", "入职日期"),
        ("level_since", "任现职级起始日"),
        ("tenure_periods", "司龄期数"),
        ("rank", "名次"),
        ("group_size", "组内人数"),
        ("rank_percent", "名次百分比"),
        ("periods_at_level", "任现职级期数"),
    ];
    match (lang, fixed.iter().find(|(k, _)| *k == id)) {
        (Lang::Zh, Some((_, zh))) => (*zh).to_string(),
        (Lang::En, Some((en, _))) => en.replace('_', " "),
        _ => id.to_string(),
    }
}

/// Display name of an outcome.
pub(crate) fn outcome(p: &Policy, lang: Lang, id: &str) -> String {
    match p.outcomes.get(id) {
        Some(o) => format!("“{}”", named(lang, &o.name, o.name_en.as_ref())),
        None => id.to_string(),
    }
}

fn op_words(lang: Lang, op: Op) -> &'static str {
    match (lang, op) {
        (_, Op::Lt) => "<",
        (_, Op::Le) => "≤",
        (_, Op::Gt) => ">",
        (_, Op::Ge) => "≥",
        (_, Op::Eq) => "=",
        (_, Op::Ne) => "≠",
        (Lang::Zh, Op::In) => "属于",
        (Lang::En, Op::In) => "is one of",
        (Lang::Zh, Op::NotIn) => "不属于",
        (Lang::En, Op::NotIn) => "is none of",
        (Lang::Zh, Op::IsTrue) => "为“是”",
        (Lang::En, Op::IsTrue) => "is yes",
        (Lang::Zh, Op::IsFalse) => "为“否”",
        (Lang::En, Op::IsFalse) => "is no",
        (Lang::Zh, Op::Present) => "已填写",
        (Lang::En, Op::Present) => "is given",
        (Lang::Zh, Op::Missing) => "未填写",
        (Lang::En, Op::Missing) => "is missing",
    }
}

fn list(p: &Policy, lang: Lang, cs: &[Cond], zh_join: &str, en_join: &str) -> String {
    let parts: Vec<String> = cs.iter().map(|c| cond(p, lang, c)).collect();
    let joined = parts.join(&t(lang, zh_join, en_join));
    if parts.len() > 1 {
        format!("（{joined}）")
    } else {
        joined
    }
}

/// A condition in words.
pub(crate) fn cond(p: &Policy, lang: Lang, c: &Cond) -> String {
    if let Some(all) = &c.all {
        return list(p, lang, all, " 且 ", " and ");
    }
    if let Some(any) = &c.any {
        return list(p, lang, any, " 或 ", " or ");
    }
    if let Some(n) = &c.not {
        return t(
            lang,
            format!("并非{}", cond(p, lang, n)),
            format!("not {}", cond(p, lang, n)),
        );
    }
    if let Some(e) = &c.expr {
        return t(
            lang,
            format!("公式 `{e}` 成立"),
            format!("formula `{e}` holds"),
        );
    }
    if let Some(of) = &c.of {
        let k = c.at_least.unwrap_or(0);
        let inner = list(p, lang, of, "；", "; ");
        let mut s = t(
            lang,
            format!("以下 {} 项中至少 {k} 项成立：{inner}", of.len()),
            format!("at least {k} of these {} hold: {inner}", of.len()),
        );
        if let Some(m) = c.mandatory.as_ref().filter(|m| !m.is_empty()) {
            let must = list(p, lang, m, " 且 ", " and ");
            s.push_str(&t(
                lang,
                format!("，且必须{must}"),
                format!(", and in any case {must}"),
            ));
        }
        return s;
    }
    let var = c
        .var
        .as_deref()
        .map_or_else(String::new, |v| name(p, lang, v));
    let Some(op) = c.op else { return var };
    let rhs = if let Some(v) = c.value {
        format!(" {v}")
    } else if let Some(o) = &c.other {
        format!(" {}", name(p, lang, o))
    } else if let Some(vs) = &c.values {
        format!(" [{}]", vs.join(t(lang, "、", ", ").as_str()))
    } else {
        String::new()
    };
    let sep =
        if matches!(op, Op::IsTrue | Op::IsFalse | Op::Present | Op::Missing) && lang == Lang::Zh {
            ""
        } else {
            " "
        };
    format!("{var}{sep}{}{rhs}", op_words(lang, op))
}

pub(crate) fn cycle(lang: Lang, c: Cycle) -> String {
    match c {
        Cycle::Monthly => t(lang, "每月", "monthly"),
        Cycle::Quarterly => t(lang, "每季度", "quarterly"),
        Cycle::Annual => t(lang, "每年", "annual"),
        Cycle::Once => t(lang, "一次性", "one-off"),
    }
}

pub(crate) fn order(lang: Lang, o: Order) -> String {
    match o {
        Order::Desc => t(lang, "从高到低", "high to low"),
        Order::Asc => t(lang, "从低到高", "low to high"),
    }
}

pub(crate) fn rounding(lang: Lang, r: Option<Rounding>) -> String {
    match r {
        Some(Rounding::Up) => t(lang, "向上取整", "rounded up"),
        Some(Rounding::Down) => t(lang, "向下取整", "rounded down"),
        Some(Rounding::Nearest) => t(lang, "四舍五入", "rounded to nearest, half up"),
        None => t(lang, "未定取整", "rounding not stated"),
    }
}

pub(crate) fn streak(lang: Lang, e: StreakEffect) -> String {
    match e {
        StreakEffect::Break => t(lang, "中断连续", "breaks the run"),
        StreakEffect::Neutral => t(lang, "跳过不计", "is passed over"),
    }
}

pub(crate) fn measure(lang: Lang, m: Measure) -> String {
    let (zh, en) = match m {
        Measure::Warning => ("警告", "warning"),
        Measure::Observation => ("观察培训", "observation and training"),
        Measure::Training => ("培训", "training"),
        Measure::PayChange => ("调薪", "pay change"),
        Measure::Transfer => ("调岗", "transfer"),
        Measure::LevelChange => ("职级调整", "level change"),
        Measure::EliminationList => (
            "列入淘汰名单（名单不等于解除）",
            "elimination list (a list, not a termination)",
        ),
        Measure::Proposal => (
            "提议淘汰，由人确认",
            "proposal for elimination, confirmed by a person",
        ),
        Measure::AskToResign => (
            "劝退（协商，本人可拒绝）",
            "asked to resign (by agreement; may refuse)",
        ),
        Measure::OnboardingFail => ("入职考核未通过", "onboarding failed"),
        Measure::Misconduct => ("违纪处理", "misconduct procedure"),
        Measure::Restore => ("恢复原岗原薪", "post and pay restored"),
        Measure::Record => ("仅记录", "recorded only"),
    };
    t(lang, zh, en)
}

pub(crate) fn legal(lang: Lang, l: LegalPath) -> String {
    let (zh, en) = match l {
        LegalPath::Improvement => ("改进措施，不解除合同", "improvement, no termination"),
        LegalPath::Adjustment => ("依制度调岗调薪", "adjustment under the rules"),
        LegalPath::Incompetence => (
            "不能胜任（第40条第2项）：须培训或调岗后再考核、第42条保护核查、通知工会、提前30日通知或代通知金、经济补偿",
            "incompetence (Art. 40(2)): needs training or transfer and reassessment, Art. 42 check, union notice, 30 days' notice or pay in lieu, compensation",
        ),
        LegalPath::Misconduct => ("严重违纪（第39条）：须附证据", "misconduct (Art. 39): evidence attached"),
        LegalPath::Probation => ("试用期不符合录用条件（第21条）：须书面说明理由", "probation (Art. 21): written reason required"),
        LegalPath::MutualAgreement => ("协商一致（第36条）：本人可拒绝", "mutual agreement (Art. 36): the person may refuse"),
        LegalPath::Decision => ("由人决定，本身无法律效果", "a person decides; no legal effect by itself"),
    };
    t(lang, zh, en)
}
