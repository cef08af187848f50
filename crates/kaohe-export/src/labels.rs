//! Labels in Chinese and English (标签) for the engine's enums and common phrases.

use crate::Lang;
use kaohe_engine::data::Source;
use kaohe_engine::result::{LinePosition, Status};
use kaohe_policy::model::{Cycle, LegalPath, Measure};

/// The empty-state message (空结果提示).
pub const EMPTY_MESSAGE: &str = "本期无数据 / No data for this period";

/// Pick the text for the language.
pub fn pick<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Status label (状态).
pub fn status(s: Status, lang: Lang) -> &'static str {
    let (zh, en) = match s {
        Status::Ranked => ("参与排名", "ranked"),
        Status::Exempt => ("豁免", "exempt"),
        Status::NewHire => ("新人不计", "new hire, not counted"),
        Status::Vetoed => ("否决", "vetoed"),
        Status::NotCovered => ("不在考核范围", "not covered"),
        Status::Absent => ("未参加考核", "not assessed"),
        Status::NeedsData => ("数据待补", "needs data"),
        Status::Passed => ("通过", "passed"),
        Status::Failed => ("未通过", "failed"),
    };
    pick(lang, zh, en)
}

/// Line position label (末位线); empty when above the line or not applicable.
pub fn line_position(p: LinePosition, lang: Lang) -> &'static str {
    let (zh, en) = match p {
        LinePosition::InLine => ("▼ 末位线", "▼ in the line"),
        LinePosition::TiePending => ("并列待定", "tie pending"),
        LinePosition::Fallback => ("▼ 兜底措施", "▼ fallback measure"),
        LinePosition::VetoPlace => ("否决占名额", "veto takes a place"),
        LinePosition::Above | LinePosition::NotApplicable => ("", ""),
    };
    pick(lang, zh, en)
}

/// Measure label (措施).
pub fn measure(m: Measure, lang: Lang) -> &'static str {
    let (zh, en) = match m {
        Measure::Warning => ("警告", "warning"),
        Measure::Observation => ("观察培训", "observation"),
        Measure::Training => ("培训", "training"),
        Measure::PayChange => ("调薪", "pay change"),
        Measure::Transfer => ("转岗", "transfer"),
        Measure::LevelChange => ("职级调整", "level change"),
        Measure::EliminationList => (
            "进入淘汰名单（名单，不是解除）",
            "elimination list (a list, not a termination)",
        ),
        Measure::Proposal => ("提议淘汰，由人工决定", "proposed; a person decides"),
        Measure::AskToResign => ("劝退/协商解除", "asked to resign (mutual agreement)"),
        Measure::OnboardingFail => ("入职考核未通过", "failed onboarding"),
        Measure::Misconduct => ("违纪处理", "misconduct"),
        Measure::Restore => ("恢复原岗原薪", "post and pay restored"),
        Measure::Record => ("仅记录", "recorded only"),
    };
    pick(lang, zh, en)
}

/// Legal path label (法律路径), LABOUR-LAW.md.
pub fn legal_path(p: LegalPath, lang: Lang) -> &'static str {
    let (zh, en) = match p {
        LegalPath::Improvement => (
            "改进措施：警告、培训、观察，不解除劳动合同",
            "improvement: warning, training, observation; no termination",
        ),
        LegalPath::Adjustment => (
            "依规章制度调整岗位、薪酬或职级",
            "adjustment of post, pay or level under the rules",
        ),
        LegalPath::Incompetence => (
            "不能胜任解除（劳动合同法第40条第2项），须满足全部要件",
            "incompetence termination (Labour Contract Law Art. 40(2)); every requirement must be met",
        ),
        LegalPath::Misconduct => (
            "严重违纪（劳动合同法第39条），规章须界定为严重违纪并附证据",
            "misconduct (Art. 39); the rules must define it as serious, evidence attached",
        ),
        LegalPath::Probation => (
            "试用期不符合录用条件（劳动合同法第21条、第39条第1项），须书面说明理由",
            "probation: hiring conditions not met (Art. 21, 39(1)); written reason required",
        ),
        LegalPath::MutualAgreement => (
            "协商一致解除（劳动合同法第36条），员工可以拒绝",
            "mutual agreement (Art. 36); the employee may refuse",
        ),
        LegalPath::Decision => (
            "由人工决定，本身不产生法律效果",
            "a person decides; no legal effect by itself",
        ),
    };
    pick(lang, zh, en)
}

/// The unit of a period for history texts: (Chinese, English).
pub fn period_unit(cycle: Cycle) -> (&'static str, &'static str) {
    match cycle {
        Cycle::Monthly => ("个月", "months"),
        Cycle::Quarterly => ("个季度", "quarters"),
        Cycle::Annual => ("年", "years"),
        Cycle::Once => ("期", "periods"),
    }
}

/// English ordinal: 1st, 2nd, 3rd, 4th, 11th, 22nd.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Where a value came from: `a.xlsx / 表 2024-05 / 第5行`.
pub fn source(s: &Source, lang: Lang) -> String {
    let mut parts = vec![if s.file.is_empty() {
        pick(lang, "未知文件", "unknown file").to_string()
    } else {
        s.file.clone()
    }];
    if let Some(sheet) = &s.sheet {
        parts.push(match lang {
            Lang::Zh => format!("表 {sheet}"),
            Lang::En => format!("sheet {sheet}"),
        });
    }
    if let Some(row) = s.row {
        parts.push(match lang {
            Lang::Zh => format!("第{row}行"),
            Lang::En => format!("row {row}"),
        });
    }
    parts.join(" / ")
}

/// The Guiding Case 18 note (X4): a bottom rank is no termination ground by itself.
pub fn gc18_note(lang: Lang) -> &'static str {
    pick(
        lang,
        "注：排名末位或进入末位线本身不等于“不能胜任工作”，此结果不能单独作为解除劳动合同的理由（最高法指导案例18号）。",
        "Note: a bottom rank or entering the line is not by itself \"unable to do the job\"; this result alone is no ground for terminating the labour contract (SPC Guiding Case No. 18).",
    )
}

/// Shown when the policy switched the labour-law checks off (visibly, never silently).
pub fn law_off(lang: Lang) -> &'static str {
    pick(
        lang,
        "⚠ 本制度关闭了劳动法校验（jurisdiction = none），结果未按中国劳动法检查。",
        "⚠ This policy switched the labour-law checks off (jurisdiction = none); results were not checked against Chinese labour law.",
    )
}

/// A document kind (文书) by its id in the policy, in words; an unknown id is shown as written.
pub fn document(id: &str, lang: Lang) -> String {
    let (zh, en) = match id {
        "warning_letter" => ("淘汰警告函", "warning letter"),
        "elimination_notice" => ("末位淘汰通知书", "elimination notice"),
        "written_notice" => ("书面通知", "written notice"),
        "result_notice" => ("结果书面通知", "written notice of the result"),
        "misconduct_notice" => ("违纪处理通知", "misconduct notice"),
        "onboarding_result_notice" => ("入职考核结果通知", "onboarding result notice"),
        "self_review" => (
            "书面检查及整改措施",
            "written self-review and improvement plan",
        ),
        "admonishment_record" => ("诫勉谈话记录", "admonishment talk record"),
        "monthly_summary" => ("月度汇总", "monthly summary"),
        _ => return id.to_string(),
    };
    pick(lang, zh, en).to_string()
}

/// The display name of an input or indicator id (输入项/指标名称); the id itself if unknown.
pub fn field_name<'a>(policy: &'a kaohe_policy::model::Policy, id: &'a str, lang: Lang) -> &'a str {
    if let Some(i) = policy.inputs.iter().find(|i| i.id == id) {
        return pick(lang, &i.name, i.name_en.as_deref().unwrap_or(&i.name));
    }
    if let Some(i) = policy.indicators.iter().find(|i| i.id == id) {
        return pick(lang, &i.name, i.name_en.as_deref().unwrap_or(&i.name));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(3), "3rd");
        assert_eq!(ordinal(11), "11th");
        assert_eq!(ordinal(22), "22nd");
    }

    #[test]
    fn source_text() {
        let s = Source {
            file: "2024-05.xlsx".into(),
            sheet: Some("5月".into()),
            row: Some(7),
        };
        assert_eq!(source(&s, Lang::Zh), "2024-05.xlsx / 表 5月 / 第7行");
        assert_eq!(source(&s, Lang::En), "2024-05.xlsx / sheet 5月 / row 7");
    }

    #[test]
    fn documents_by_name() {
        assert_eq!(
            super::document("warning_letter", super::Lang::Zh),
            "淘汰警告函"
        );
        assert_eq!(
            super::document("elimination_notice", super::Lang::En),
            "elimination notice"
        );
        assert_eq!(super::document("custom_doc", super::Lang::Zh), "custom_doc");
    }
}
