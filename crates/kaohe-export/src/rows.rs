//! One person's row (个人行): the texts shared by the terminal table, CSV and XLSX, so the
//! three outputs always say the same thing.

use crate::columns::Columns;
use crate::labels::{self, ordinal, pick};
use crate::Lang;
use kaohe_engine::display;
use kaohe_engine::result::DataError;
use kaohe_engine::result::{LinePosition, PeriodResult, PersonResult, Status};
use kaohe_policy::model::Policy;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Lookups built once per result, so every output stays linear in the number of people.
pub struct Index<'a> {
    names: HashMap<&'a str, &'a str>,
    errors: HashMap<&'a str, Vec<&'a DataError>>,
}

impl<'a> Index<'a> {
    /// Index a result's people and data errors by person id.
    pub fn new(result: &'a PeriodResult) -> Index<'a> {
        let names = result
            .people
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        let mut errors: HashMap<&str, Vec<&DataError>> = HashMap::new();
        for e in &result.data_errors {
            errors.entry(e.person.as_str()).or_default().push(e);
        }
        Index { names, errors }
    }

    /// `张三(1001)`, or the id alone when the person is not in the result.
    pub fn who(&self, id: &str) -> String {
        match self.names.get(id) {
            Some(name) => format!("{name}({id})"),
            None => id.to_string(),
        }
    }

    /// Data errors of one person.
    pub fn errors(&self, id: &str) -> &[&'a DataError] {
        self.errors.get(id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// A cell value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// An exact number, rounded only when written.
    Num(Decimal),
    /// A label (grades).
    Text(String),
    /// Nothing (not computed).
    Empty,
}

impl Cell {
    /// The cell as shown, rounded to `dp` places; empty → `empty`.
    pub fn show(&self, dp: u32, empty: &str) -> String {
        match self {
            Cell::Num(d) => display::show(*d, dp),
            Cell::Text(t) => t.clone(),
            Cell::Empty => empty.to_string(),
        }
    }
}

/// One person's texts.
pub struct Row<'a> {
    /// The person.
    pub p: &'a PersonResult,
    /// One cell per part column.
    pub values: Vec<Cell>,
    /// The ranking score.
    pub total: Cell,
    /// 状态/标记: line marker, exemption, veto, gates, status, mismatch.
    pub flag: String,
    /// 末位线: the line position label.
    pub line: String,
    /// 豁免: exemption reasons.
    pub exempt: String,
    /// 否决: vetoes with rule ids.
    pub veto: String,
    /// 历史: e.g. `连续第2个月；近6个月第3次`.
    pub history: String,
    /// 结果: outcome names and level change.
    pub outcomes: String,
    /// 备注: everything a reader of the score sheet must know, without the line marker.
    pub notes: String,
}

/// Build a person's row.
pub fn row<'a>(
    policy: &Policy,
    cols: &Columns,
    index: &Index,
    p: &'a PersonResult,
    lang: Lang,
) -> Row<'a> {
    let cell = |id: &str| match p.indicators.iter().find(|i| i.id == id) {
        Some(i) => match (i.value, &i.label) {
            (Some(v), _) => Cell::Num(v),
            (None, Some(l)) => Cell::Text(l.clone()),
            (None, None) => Cell::Empty,
        },
        None => Cell::Empty,
    };
    let values = cols.parts.iter().map(|c| cell(&c.id)).collect();
    let total = match (p.score, &cols.total) {
        (Some(s), _) => Cell::Num(s),
        (None, Some(c)) => cell(&c.id),
        (None, None) => Cell::Empty,
    };
    let sep = pick(lang, "、", ", ");
    let exempt = p
        .exemptions
        .iter()
        .map(|r| pick(lang, &r.zh, &r.en).to_string())
        .collect::<Vec<_>>()
        .join(sep);
    let veto = p
        .vetoes
        .iter()
        .map(|r| with_rule(pick(lang, &r.zh, &r.en), &r.rule))
        .collect::<Vec<_>>()
        .join(sep);
    let gates = p
        .gates_failed
        .iter()
        .map(|r| with_rule(pick(lang, &r.zh, &r.en), &r.rule))
        .collect::<Vec<_>>()
        .join(sep);
    let line = labels::line_position(p.line, lang).to_string();
    let colon = pick(lang, "：", ": ");

    // Status and reasons, without the line marker (shared by 状态/标记 and 备注).
    let mut marks: Vec<String> = Vec::new();
    if !exempt.is_empty() {
        marks.push(format!(
            "{}{colon}{exempt}",
            labels::status(Status::Exempt, lang)
        ));
    }
    if !veto.is_empty() {
        marks.push(format!(
            "{}{colon}{veto}",
            labels::status(Status::Vetoed, lang)
        ));
    }
    if !gates.is_empty() {
        // The engine's gate texts already say 未通过 (failed) or 记录 (a recorded flag, P3.2).
        marks.push(gates.clone());
    }
    let covered = match p.status {
        Status::Ranked => true,
        Status::Exempt => !exempt.is_empty(),
        Status::Vetoed => !veto.is_empty(),
        Status::Failed => !gates.is_empty(),
        _ => false,
    };
    if !covered {
        marks.push(labels::status(p.status, lang).to_string());
    }

    let mut flag_parts: Vec<String> = Vec::new();
    if !line.is_empty() {
        flag_parts.push(line.clone());
    }
    flag_parts.extend(marks.iter().cloned());
    if p.typed_total_mismatch.is_some() {
        flag_parts.push(pick(lang, "合计不符", "typed total differs").to_string());
    }

    let dp = policy.policy.decimals;
    let mut notes = marks;
    if p.line == LinePosition::TiePending {
        notes.insert(
            0,
            pick(
                lang,
                "末位并列待定，须人工裁决",
                "tie at the line, a person decides",
            )
            .to_string(),
        );
    }
    if let Some(typed) = p.typed_total_mismatch {
        notes.push(mismatch_text(typed, p.score, dp, lang));
    }
    for e in index.errors(&p.id) {
        notes.push(format!(
            "{}{colon}{} {}",
            pick(lang, "数据错误", "data error"),
            e.field,
            pick(lang, &e.zh, &e.en)
        ));
    }

    let mut outcomes: Vec<String> = p
        .outcomes
        .iter()
        .map(|o| pick(lang, &o.name, &o.name_en).to_string())
        .collect();
    if let Some(lc) = &p.level_change {
        let word = match (lc.promotion, lang) {
            (true, Lang::Zh) => "晋级",
            (false, Lang::Zh) => "降级",
            (true, Lang::En) => "promotion",
            (false, Lang::En) => "demotion",
        };
        outcomes.push(format!(
            "{word}{colon}{}→{}",
            level_name(policy, &lc.from, lang),
            level_name(policy, &lc.to, lang)
        ));
    }

    Row {
        p,
        values,
        total,
        flag: flag_parts.join(pick(lang, "；", "; ")),
        line: line.trim_start_matches("▼ ").to_string(),
        exempt,
        veto,
        history: history_summary(policy, p, lang),
        outcomes: outcomes.join(sep),
        notes: notes.join(pick(lang, "；", "; ")),
    }
}

/// `name P4.8`, or the name alone.
pub fn with_rule(text: &str, rule: &Option<String>) -> String {
    match rule {
        Some(r) if !r.is_empty() => format!("{text} {r}"),
        _ => text.to_string(),
    }
}

/// `表内合计 50.00 与计算值 48.00 不符（P2.7）`. `typed` is the total typed in the sheet.
pub fn mismatch_text(typed: Decimal, computed: Option<Decimal>, dp: u32, lang: Lang) -> String {
    let c = computed
        .map(|v| display::show(v, dp))
        .unwrap_or_else(|| "-".into());
    let t = display::show(typed, dp);
    match lang {
        Lang::Zh => format!("表内合计 {t} 与计算值 {c} 不符，以计算值为准（P2.7）"),
        Lang::En => {
            format!("typed total {t} differs from computed {c}; the computed total counts (P2.7)")
        }
    }
}

/// A level's name by id.
pub fn level_name(policy: &Policy, id: &str, lang: Lang) -> String {
    policy
        .levels
        .as_ref()
        .and_then(|l| l.order.iter().find(|d| d.id == id))
        .map(|d| match lang {
            Lang::Zh => d.name.clone(),
            Lang::En => d.name_en.clone().unwrap_or_else(|| d.name.clone()),
        })
        .unwrap_or_else(|| id.to_string())
}

/// History in a few words: `连续第2个月；近6个月第3次` (2nd in a row; 3rd in 6 months).
pub fn history_summary(policy: &Policy, p: &PersonResult, lang: Lang) -> String {
    let consecutive = p.history.iter().map(|h| h.consecutive).max().unwrap_or(0);
    let in_window = p.history.iter().map(|h| h.in_window).max().unwrap_or(0);
    let window = policy
        .history
        .iter()
        .filter(|r| p.history.iter().any(|h| h.id == r.id))
        .flat_map(|r| r.triggers.iter().filter_map(|t| t.within))
        .max();
    let (zh_unit, en_unit) = labels::period_unit(policy.policy.cycle);
    let mut parts = Vec::new();
    if consecutive >= 1 {
        parts.push(match lang {
            Lang::Zh => format!("连续第{consecutive}{zh_unit}"),
            Lang::En => format!("{} in a row", ordinal(consecutive)),
        });
    }
    if let (Some(w), true) = (window, in_window >= 1) {
        parts.push(match (lang, consecutive >= 1) {
            (Lang::Zh, true) => format!("近{w}{zh_unit}第{in_window}次"),
            (Lang::Zh, false) => format!("近{w}{zh_unit}共{in_window}次"),
            (Lang::En, true) => format!("{} in {w} {en_unit}", ordinal(in_window)),
            (Lang::En, false) => format!("{in_window} in {w} {en_unit}"),
        });
    }
    if parts.is_empty() {
        if let Some(l) = p.ladder.as_ref().filter(|l| l.count >= 1) {
            parts.push(match lang {
                Lang::Zh => format!("连续第{}{zh_unit}", l.count),
                Lang::En => format!("{} in a row", ordinal(l.count)),
            });
        }
    }
    parts.join(pick(lang, "；", "; "))
}
