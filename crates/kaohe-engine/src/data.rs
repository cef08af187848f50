//! Engine input (引擎输入): the roster, one period's facts, earlier periods' records and
//! recorded tie decisions. Built by `kaohe-import` (or a test) and handed to the engine; the
//! engine never reads files.

use chrono::NaiveDate;
use kaohe_policy::model::Cycle;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A period (考核期间), ordered by `index`.
///
/// Monthly periods are `YYYY-MM` with index `year × 12 + month − 1`; quarterly `YYYY-Qn` with
/// index `year × 4 + n − 1`; annual `YYYY` with index `year`; one-off rounds any label with an
/// index the caller chooses. Two periods are consecutive when their indexes differ by one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    /// Ordering index.
    pub index: i64,
    /// Label as shown, e.g. `2024-05`.
    pub label: String,
}

impl Period {
    /// A month, e.g. `Period::month(2024, 5)` = `2024-05`.
    pub fn month(year: i32, month: u32) -> Period {
        Period {
            index: i64::from(year) * 12 + i64::from(month) - 1,
            label: format!("{year:04}-{month:02}"),
        }
    }

    /// Year and month (1–12) of a monthly period index.
    pub fn year_month(&self) -> (i32, u32) {
        let y = self.index.div_euclid(12);
        let m = self.index.rem_euclid(12) + 1;
        (y as i32, m as u32)
    }

    /// The period `n` after this one (for monthly, quarterly and annual cycles).
    pub fn offset(&self, cycle: Cycle, n: i64) -> Period {
        let index = self.index + n;
        let label = match cycle {
            Cycle::Monthly => {
                return Period::month(
                    index.div_euclid(12) as i32,
                    (index.rem_euclid(12) + 1) as u32,
                )
            }
            Cycle::Quarterly => format!("{}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
            Cycle::Annual => format!("{index}"),
            Cycle::Once => format!("#{index}"),
        };
        Period { index, label }
    }

    /// Parse a period as people write it, for the given cycle:
    /// monthly `2024-05`, `2024-5`, `2024/05`, `2024年5月`, `202405`;
    /// quarterly `2024-Q2`, `2024年第2季度`; annual `2024`, `2024年`;
    /// one-off rounds take any non-empty label (index 0).
    pub fn parse(text: &str, cycle: Cycle) -> Option<Period> {
        let t: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                other => other,
            })
            .collect();
        // Only digits and date punctuation may appear in a month, a year or a quarter label
        // (with its Q/季度 marker): "2025-Q4" is not a month, and "H2" is nothing we know.
        let allowed = |c: char| {
            c.is_ascii_digit()
                || matches!(c, '-' | '/' | '.' | ' ' | '年' | '月' | '日' | '号')
                || (cycle == Cycle::Quarterly && matches!(c, 'Q' | 'q' | '第' | '季' | '度'))
        };
        if cycle != Cycle::Once && !t.chars().all(allowed) {
            return None;
        }
        let nums: Vec<i64> = t
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        match cycle {
            Cycle::Monthly => {
                let (y, m) = match nums.as_slice() {
                    [y, m] => (*y, *m),
                    [ym] if (100_000..1_000_000).contains(ym) => (ym / 100, ym % 100),
                    [y, m, _d] if *y > 1000 => (*y, *m),
                    _ => return None,
                };
                if !(1900..=2999).contains(&y) || !(1..=12).contains(&m) {
                    return None;
                }
                Some(Period::month(y as i32, m as u32))
            }
            Cycle::Quarterly => match nums.as_slice() {
                [y, q] if (1900..=2999).contains(y) && (1..=4).contains(q) => Some(Period {
                    index: y * 4 + q - 1,
                    label: format!("{y}-Q{q}"),
                }),
                _ => None,
            },
            Cycle::Annual => match nums.as_slice() {
                [y] if (1900..=2999).contains(y) => Some(Period {
                    index: *y,
                    label: format!("{y}"),
                }),
                _ => None,
            },
            Cycle::Once => {
                if t.is_empty() {
                    None
                } else {
                    Some(Period { index: 0, label: t })
                }
            }
        }
    }
}

/// One person on the roster (花名册).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// 工号 employee id; unique.
    pub id: String,
    /// 姓名 name.
    pub name: String,
    /// 区域 region.
    pub region: Option<String>,
    /// 分公司 branch.
    pub branch: Option<String>,
    /// 部门 department.
    pub department: Option<String>,
    /// 项目 project.
    pub project: Option<String>,
    /// 岗位 post.
    pub post: Option<String>,
    /// 级别 level.
    pub level: Option<String>,
    /// 入职日期 hire date.
    pub hire_date: Option<NaiveDate>,
    /// 定级日期 date the current level was set.
    pub level_since: Option<NaiveDate>,
    /// 状态 employment status as written, e.g. `转正`, `试用`.
    pub status: Option<String>,
    /// Other roster columns by header.
    pub extra: BTreeMap<String, String>,
}

/// One rating (评分) from a rater sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 评分人 rater identity (kept, never destroyed).
    pub rater: String,
    /// 评分人类别 rater group, e.g. `同事`.
    pub group: String,
    /// 分数 score.
    pub score: Decimal,
}

/// A typed input value (输入值).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// Exact number (decimal, integer, percentage as a fraction).
    Number(Decimal),
    /// Yes/no.
    Bool(bool),
    /// Date.
    Date(NaiveDate),
    /// Text.
    Text(String),
    /// Per-day series.
    Series(Vec<Decimal>),
    /// Ratings.
    Ratings(Vec<Rating>),
}

/// Where a fact came from, for error messages and explanations (来源).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File name.
    pub file: String,
    /// Sheet name, if a workbook.
    pub sheet: Option<String>,
    /// 1-based row.
    pub row: Option<u32>,
}

/// One person's facts for one period (当期数据).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Input id → value. A missing key is a missing value.
    pub values: BTreeMap<String, Value>,
    /// Where the row came from.
    pub source: Source,
    /// A total typed in the sheet, kept only to check it against the computed one (P2.7).
    pub typed_total: Option<Decimal>,
}

/// Everything the engine needs for one period.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PeriodInput {
    /// The period.
    pub period: Option<Period>,
    /// Roster.
    pub people: Vec<Person>,
    /// Person id → facts. People covered but absent here are "not assessed" (absent).
    pub facts: BTreeMap<String, Facts>,
    /// Tie decisions recorded by a person for this period (P7.6, X5).
    pub decisions: Vec<TieDecision>,
}

/// A person's decision on a tie at the line (并列裁决).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieDecision {
    /// Ranking group key, as reported in [`crate::result::TieAtLine::group`].
    pub group: String,
    /// Person ids chosen to enter the line.
    pub chosen: Vec<String>,
    /// Who decided (决定人).
    pub decided_by: String,
    /// Why.
    pub reason: String,
}

/// How a person ended a period, as far as history rules are concerned (期间标记).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Entered the line (进入末位线).
    Line,
    /// Ranked, not in the line (正常).
    Clear,
    /// Exempt: target met, new hire (豁免).
    Exempt,
    /// Not assessed that period (未参加考核).
    Absent,
    /// The line was skipped or replaced by a fallback (本期未划线).
    Skipped,
    /// Vetoed (否决).
    Vetoed,
    /// Left pending: a tie or missing data awaiting a person (待定).
    Pending,
}

/// One person's record of one earlier period (历史记录).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRecord {
    /// The period.
    pub period: Period,
    /// Mark.
    pub mark: Mark,
    /// Ranking score that period, if any (for aggregates, P2.7).
    pub score: Option<Decimal>,
    /// Ladder count after that period (consecutive entries as the ladder counts them).
    pub ladder_count: u32,
}

/// Earlier periods' records per person (历史). Records are kept sorted by period index.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct History {
    /// Person id → records, ascending by period.
    pub records: BTreeMap<String, Vec<PeriodRecord>>,
}

impl History {
    /// Records of one person, ascending.
    pub fn of(&self, person: &str) -> &[PeriodRecord] {
        self.records.get(person).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Add or replace one record, keeping order.
    pub fn insert(&mut self, person: &str, record: PeriodRecord) {
        let list = self.records.entry(person.to_string()).or_default();
        match list.binary_search_by(|r| r.period.index.cmp(&record.period.index)) {
            Ok(i) => list[i] = record,
            Err(i) => list.insert(i, record),
        }
    }
}
