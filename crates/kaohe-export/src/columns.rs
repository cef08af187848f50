//! Indicator columns (指标列) generated from the policy, never hard-coded to one policy.
//!
//! The columns are the parts of the ranking indicator (a `sum`, `weighted` or `choose`), in the
//! policy's order; when the ranking indicator has no parts, every other indicator; with no
//! ranking (gate-only policies, P3), every indicator. The total column is the ranking indicator.

use kaohe_policy::model::{Indicator, Policy};

/// One indicator column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Indicator id.
    pub id: String,
    /// Indicator name as in the policy (短名), e.g. `日常工作`.
    pub name: String,
    /// English name (the Chinese one when the policy has none).
    pub name_en: String,
    /// Header with full marks (表头), e.g. `日常工作(10分)`, `销售情况(每套10分)`.
    pub header: String,
}

/// The columns of one policy.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    /// Part columns.
    pub parts: Vec<Column>,
    /// The ranking indicator (合计), if the policy ranks.
    pub total: Option<Column>,
    /// Whether the ranking indicator is built from the part columns (then it is a 总分).
    pub composite: bool,
}

/// Build the columns for a policy.
impl Columns {
    /// The score's label: 总分 for a composite score (P2.5), otherwise the ranked indicator's
    /// own name (P8 ranks by 销售额).
    pub fn score_label(&self, lang: crate::Lang) -> String {
        match (&self.total, self.composite) {
            (Some(t), false) => crate::labels::pick(lang, &t.name, &t.name_en).to_string(),
            _ => crate::labels::pick(lang, "总分", "Total").to_string(),
        }
    }
}

pub fn columns(policy: &Policy) -> Columns {
    let find = |id: &str| policy.indicators.iter().find(|i| i.id == id);
    let Some(ranking) = &policy.ranking else {
        return Columns {
            parts: policy
                .indicators
                .iter()
                .map(|i| column(policy, i))
                .collect(),
            total: None,
            composite: false,
        };
    };
    let by = ranking.by.as_str();
    let total = find(by).map(|i| column(policy, i));
    let mut ids: Vec<&str> = Vec::new();
    if let Some(ind) = find(by) {
        if let Some(sum) = &ind.sum {
            ids.extend(sum.parts.iter().map(String::as_str));
        }
        if let Some(w) = &ind.weighted {
            ids.extend(w.parts.iter().map(|p| p.indicator.as_str()));
        }
        if let Some(c) = &ind.choose {
            ids.extend(c.cases.iter().map(|k| k.indicator.as_str()));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    ids.retain(|id| seen.insert(*id));
    let parts: Vec<Column> = if ids.is_empty() {
        policy
            .indicators
            .iter()
            .filter(|i| i.id != by)
            .map(|i| column(policy, i))
            .collect()
    } else {
        ids.iter()
            .filter_map(|id| find(id))
            .map(|i| column(policy, i))
            .collect()
    };
    Columns {
        composite: !ids.is_empty(),
        parts,
        total,
    }
}

fn column(policy: &Policy, ind: &Indicator) -> Column {
    Column {
        id: ind.id.clone(),
        name: ind.name.clone(),
        name_en: ind.name_en.clone().unwrap_or_else(|| ind.name.clone()),
        header: header(policy, ind),
    }
}

/// Measure words (量词) recognised in an input's name for a per-unit header, e.g. 成交套数 → 套.
const UNITS: &str = "套件台单份辆户张笔";

/// Header with full marks, as on the seed's score sheet (P2.5).
fn header(policy: &Policy, ind: &Indicator) -> String {
    let name = &ind.name;
    if name.contains('(') || name.contains('（') {
        return name.clone();
    }
    if let Some(full) = ind.full_marks {
        return format!("{name}({full}分)");
    }
    if let Some(pu) = &ind.per_unit {
        let unit = policy
            .inputs
            .iter()
            .find(|i| i.id == pu.input)
            .and_then(|i| i.name.chars().find(|c| UNITS.contains(*c)))
            .map(String::from)
            .unwrap_or_else(|| "单位".to_string());
        return format!("{name}(每{unit}{}分)", pu.points);
    }
    name.clone()
}
