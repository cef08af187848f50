//! Labour-law guard (劳动法把关): no document of this crate announces or implies a termination,
//! and every letter names its appeal deadline (LABOUR-LAW.md, X4).
//!
//! A bottom rank, a line entry or a place on the elimination list is never by itself a ground
//! for termination (SPC Guiding Case No. 18); these documents lead to improvement measures. An
//! admin's template, and every rendered letter, is scanned for wording of termination or of
//! a push to resign (解除劳动合同, 辞退, 开除, 劝退, 辞职 …). A term counts as negated, and is
//! allowed, only when a negation stands right before it, as in "本函不是解除劳动合同的通知" or
//! "不构成解除劳动合同的理由" (English: "not a termination"); "如未改进将予以辞退" is refused.

use crate::markup::Block;
use crate::zh::zh_date;
use crate::{DocData, DocError, DocKind};

/// Wording that announces or implies a termination or a push to resign.
const TERMS_ZH: &[&str] = &[
    "解除劳动合同",
    "解除劳动关系",
    "终止劳动合同",
    "终止劳动关系",
    "解除合同",
    "解约",
    "辞退",
    "开除",
    "解聘",
    "劝退",
    "除名",
    "辞职",
    "离职",
    "淘汰出局",
    "予以淘汰",
];

/// The same in English (matched case-insensitively).
const TERMS_EN: &[&str] = &[
    "terminat", "dismiss", "fired", "lay off", "layoff", "resign",
];

/// Words that, written right before a term, negate it: "不是解除劳动合同的通知".
const NEGATION_ZH: &[&str] = &[
    "不是",
    "并非",
    "而非",
    "非",
    "不构成",
    "不属于",
    "不等于",
    "不等同于",
    "不视为",
    "不作为",
    "不得",
    "不会",
    "不涉及",
];

/// Whether the text right before a term negates it (quotes and blanks in between ignored).
fn negated_zh(before: &str) -> bool {
    let before =
        before.trim_end_matches(|c: char| c.is_whitespace() || "“”\"'‘’「」《》（(".contains(c));
    NEGATION_ZH.iter().any(|n| before.ends_with(n))
}

/// Whether the English words right before a term negate it: "not", "no", "never", also
/// with an article between ("not a termination").
fn negated_en(before: &str) -> bool {
    let words: Vec<&str> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let neg = |w: &&str| matches!(*w, "not" | "no" | "never");
    match words.as_slice() {
        [.., w] if neg(w) => true,
        [.., w, a] if neg(w) && matches!(*a, "a" | "an" | "the") => true,
        _ => false,
    }
}

/// The first termination term in `text` that is not negated.
pub fn termination_wording(text: &str) -> Option<String> {
    for term in TERMS_ZH {
        for (at, _) in text.match_indices(term) {
            if !negated_zh(&text[..at]) {
                return Some((*term).to_string());
            }
        }
    }
    let lower = text.to_lowercase();
    for term in TERMS_EN {
        for (at, _) in lower.match_indices(term) {
            if !negated_en(&lower[..at]) {
                return Some((*term).to_string());
            }
        }
    }
    None
}

fn termination_error(kind: DocKind, term: &str, place_zh: &str, place_en: &str) -> DocError {
    DocError::template(
        format!(
            "{}的{place_zh}含有表示解除劳动合同或劝退的用语「{term}」：末位、进入末位线或列入淘汰名单本身不是解除劳动合同的理由，文书只能写改进措施（培训、观察、调岗）和申诉途径（劳动法说明 LABOUR-LAW.md）",
            kind.zh()
        ),
        format!(
            "the {}'s {place_en} contains wording of termination or of a push to resign (\"{term}\"): a bottom rank, a line entry or a place on the elimination list is no ground for termination; documents state improvement measures (training, observation, transfer) and the appeal route (LABOUR-LAW.md)",
            kind.en()
        ),
    )
}

/// Checks an admin's template text: no termination wording; a letter shows the appeal
/// deadline (`person.appeal_until`).
pub fn check_template_text(kind: DocKind, source: &str) -> Result<(), DocError> {
    if let Some(term) = termination_wording(source) {
        return Err(termination_error(kind, &term, "模板", "template"));
    }
    if kind.is_letter() && !source.contains("person.appeal_until") {
        return Err(DocError::template(
            format!(
                "{}模板必须写明申诉途径和截止日期（使用 {{{{ person.appeal_until }}}}）",
                kind.zh()
            ),
            format!(
                "a {} template must state the appeal route and deadline (use {{{{ person.appeal_until }}}})",
                kind.en()
            ),
        ));
    }
    Ok(())
}

/// Checks a rendered letter: no termination wording in any block (whatever the data said),
/// the addressee's name and the appeal deadline are shown.
pub fn check_document(kind: DocKind, data: &DocData, doc: &[Block]) -> Result<(), DocError> {
    if !kind.is_letter() {
        return Ok(());
    }
    for block in doc {
        if let Some(term) = termination_wording(block.text()) {
            return Err(termination_error(kind, &term, "正文", "text"));
        }
    }
    let Some(person) = &data.person else {
        return Ok(());
    };
    let shows = |s: &str| doc.iter().any(|b| b.text().contains(s));
    if let Some(until) = person.appeal_until {
        let until = zh_date(until);
        if !shows(&until) {
            return Err(DocError::template(
                format!("{}没有写明申诉截止日期（{until}）", kind.zh()),
                format!(
                    "the {} does not show the appeal deadline ({until})",
                    kind.en()
                ),
            ));
        }
    }
    if !shows(person.name.trim()) {
        return Err(DocError::template(
            format!("{}没有写明收件人姓名", kind.zh()),
            format!("the {} does not show the addressee's name", kind.en()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negated_terms_pass_others_fail() {
        // LABOUR-LAW.md gate 1: a line entry is never by itself a termination reason.
        assert_eq!(
            termination_wording(
                "本函是改进提示，不是解除劳动合同的通知；进入末位线本身不构成解除劳动合同的理由。"
            ),
            None
        );
        assert_eq!(
            termination_wording("连续两个月进入末位线，公司将与你解除劳动合同。"),
            Some("解除劳动合同".into())
        );
        // P8.6's "asked to resign" must not reach a letter.
        assert_eq!(termination_wording("请你主动辞职。"), Some("辞职".into()));
        assert_eq!(termination_wording("予以辞退"), Some("辞退".into()));
        // A negation elsewhere in the sentence does not negate the term.
        assert_eq!(
            termination_wording("下月仍未达标将予以辞退"),
            Some("辞退".into())
        );
        assert_eq!(termination_wording("并非“解除劳动合同”"), None);
        assert_eq!(
            termination_wording("This is not a termination notice."),
            None
        );
        assert_eq!(
            termination_wording("Your contract will be Terminated."),
            Some("terminat".into())
        );
        assert_eq!(termination_wording("培训、观察、调岗"), None);
    }
}
