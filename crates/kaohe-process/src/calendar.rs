//! Mainland-China working days (工作日): public holidays (法定节假日) and make-up workdays
//! (调休上班) kept as data, one TOML file per year as the State Council General Office
//! (国务院办公厅) publishes it.
//!
//! A working day is Monday–Friday that is not a holiday, or a listed make-up workday (a
//! Saturday or Sunday). A date in a year with no data is an error
//! ([`CalendarError::YearNotLoaded`]), never a silent weekends-only guess: deadlines in an
//! arbitration must be right or visibly unknown.
//!
//! Conventions (documented choices):
//! - [`Calendar::add_working_days`]`(d, n)` is the n-th working day strictly after `d`
//!   ("within 15 working days after the cycle" ends on that day, inclusive). `n = 0` gives `d`.
//! - [`Calendar::working_days_between`]`(a, b)` counts working days `d` with `a < d ≤ b`.
//! - A deadline is a date; it is still met on that whole day ([`is_past`]).
//!
//! File format (`data/cn-YYYY.toml`): `year`, `source`, `confidence`, then `[[holiday]]`
//! tables with `name`, `name_en`, `from`, `to` (inclusive, `YYYY-MM-DD` text or a bare TOML
//! date) and optional `workdays`. Every date must fall in `year`; a make-up workday must be a
//! weekend day and not inside a holiday.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// The years shipped with the crate (embedded at build time).
const BUILTIN: &[(&str, &str)] = &[
    ("cn-2023.toml", include_str!("../data/cn-2023.toml")),
    ("cn-2024.toml", include_str!("../data/cn-2024.toml")),
    ("cn-2025.toml", include_str!("../data/cn-2025.toml")),
    ("cn-2026.toml", include_str!("../data/cn-2026.toml")),
];

/// Calendar errors (日历错误), each with a Chinese and English text in its message.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum CalendarError {
    /// No holiday data for this year (未加载该年节假日数据).
    #[error("{0}年的节假日安排未加载，无法计算工作日（请管理员添加该年数据） / no holiday data loaded for {0}: working days cannot be computed (an admin must add the year)")]
    YearNotLoaded(i32),
    /// The year file could not be read.
    #[error("节假日数据文件 {file} 有误：{zh} / holiday data file {file} is invalid: {en}")]
    Invalid {
        /// File name or label.
        file: String,
        /// Chinese detail.
        zh: String,
        /// English detail.
        en: String,
    },
    /// A date computation left chrono's range.
    #[error("日期超出范围 / date out of range")]
    OutOfRange,
}

/// One holiday period as written in the file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    #[serde(default)]
    name_en: Option<String>,
    from: toml::Value,
    to: toml::Value,
    #[serde(default)]
    workdays: Vec<toml::Value>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i32,
    source: String,
    #[serde(default)]
    confidence: Option<String>,
    #[serde(default)]
    holiday: Vec<RawHoliday>,
}

/// A named holiday period (假期), inclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    /// Chinese name, e.g. `春节`.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// First day off.
    pub from: NaiveDate,
    /// Last day off.
    pub to: NaiveDate,
    /// Make-up workdays (调休上班) belonging to this holiday.
    pub workdays: Vec<NaiveDate>,
}

/// One year's holiday arrangement (年度节假日安排), validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearData {
    /// The year.
    pub year: i32,
    /// Where the data comes from (the notice).
    pub source: String,
    /// Stated confidence, as written in the file.
    pub confidence: Option<String>,
    /// Holidays in file order.
    pub holidays: Vec<Holiday>,
    off: BTreeSet<NaiveDate>,
    makeup: BTreeSet<NaiveDate>,
}

impl YearData {
    /// Parses and validates one year file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<YearData, CalendarError> {
        let bad = |zh: String, en: String| CalendarError::Invalid {
            file: file.to_string(),
            zh,
            en,
        };
        let raw: RawYear = toml::from_str(text).map_err(|e| {
            bad(
                format!("TOML格式错误：{e}"),
                format!("not valid TOML for a year file: {e}"),
            )
        })?;
        let year = raw.year;
        let mut off = BTreeSet::new();
        let mut makeup = BTreeSet::new();
        let mut holidays = Vec::new();
        for h in raw.holiday {
            let date = |v: &toml::Value, what: &str| -> Result<NaiveDate, CalendarError> {
                let text = match v {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Datetime(d) => d.to_string(),
                    other => other.to_string(),
                };
                let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                    bad(
                        format!("“{}”的{what}“{text}”不是YYYY-MM-DD日期", h.name),
                        format!(
                            "{what} \"{text}\" of \"{}\" is not a YYYY-MM-DD date",
                            h.name
                        ),
                    )
                })?;
                if d.year() != year {
                    return Err(bad(
                        format!("“{}”的日期{d}不在{year}年内", h.name),
                        format!("date {d} of \"{}\" is not in {year}", h.name),
                    ));
                }
                Ok(d)
            };
            let from = date(&h.from, "from")?;
            let to = date(&h.to, "to")?;
            if to < from {
                return Err(bad(
                    format!("“{}”的结束日{to}早于开始日{from}", h.name),
                    format!("\"{}\" ends ({to}) before it starts ({from})", h.name),
                ));
            }
            let mut workdays = Vec::new();
            for w in &h.workdays {
                let d = date(w, "workday")?;
                if !is_weekend(d) {
                    return Err(bad(
                        format!("调休上班日{d}不是周六或周日"),
                        format!("make-up workday {d} is not a Saturday or Sunday"),
                    ));
                }
                workdays.push(d);
                makeup.insert(d);
            }
            let mut d = from;
            while d <= to {
                off.insert(d);
                d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            }
            holidays.push(Holiday {
                name: h.name,
                name_en: h.name_en,
                from,
                to,
                workdays,
            });
        }
        if let Some(d) = makeup.intersection(&off).next() {
            return Err(bad(
                format!("{d}既是假日又是调休上班日"),
                format!("{d} is both a holiday and a make-up workday"),
            ));
        }
        Ok(YearData {
            year,
            source: raw.source,
            confidence: raw.confidence,
            holidays,
            off,
            makeup,
        })
    }

    /// Whether `date` (in this year) is a working day.
    fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.makeup.contains(&date) {
            return true;
        }
        !is_weekend(date) && !self.off.contains(&date)
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The working-day calendar (工作日历): the years loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, YearData>,
}

impl Calendar {
    /// A calendar with no years (every question is [`CalendarError::YearNotLoaded`]).
    pub fn empty() -> Calendar {
        Calendar::default()
    }

    /// The years shipped with the crate (2023–2026), parsed now.
    pub fn builtin() -> Result<Calendar, CalendarError> {
        let mut cal = Calendar::empty();
        for (file, text) in BUILTIN {
            cal = cal.with_year(YearData::parse(file, text)?);
        }
        Ok(cal)
    }

    /// Adds (or replaces, for a corrected notice) one year.
    pub fn with_year(mut self, year: YearData) -> Calendar {
        self.years.insert(year.year, year);
        self
    }

    /// The years loaded, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// The data of one year, if loaded.
    pub fn year(&self, year: i32) -> Option<&YearData> {
        self.years.get(&year)
    }

    /// Whether `date` is a working day (工作日).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.years
            .get(&date.year())
            .map(|y| y.is_working_day(date))
            .ok_or(CalendarError::YearNotLoaded(date.year()))
    }

    /// The `n`-th working day strictly after `date` (`n = 0` → `date`).
    ///
    /// P4.9 "within 15 working days after the cycle": `add_working_days(cycle_end, 15)`.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Working days `d` with `from < d ≤ to` (0 when `to ≤ from`).
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.is_working_day(d)? {
                n += 1;
            }
        }
        Ok(n)
    }
}

/// Calendar days after a date (自然日), e.g. P4.11 "within one week of publication" = 7.
pub fn add_calendar_days(date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
    date.checked_add_days(Days::new(u64::from(n)))
        .ok_or(CalendarError::OutOfRange)
}

/// Whether a deadline has passed on `today`: a deadline is met all through its own day.
pub fn is_past(deadline: NaiveDate, today: NaiveDate) -> bool {
    today > deadline
}

#[cfg(test)]
mod tests;
