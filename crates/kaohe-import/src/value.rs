//! Cell values (单元格取值): numbers as people type them (full-width digits, `1,234`, `85%`),
//! yes/no words, dates in cells or text, series in one cell. Text in a numeric cell is an error,
//! never a zero.

use crate::grid::Cell;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a cell was rejected: Chinese and English "what was expected".
pub type Reject = (String, String);

fn reject(zh: &str, en: &str) -> Reject {
    (zh.to_string(), en.to_string())
}

/// Full-width digits and signs to ASCII; spaces dropped.
fn half_width(t: &str) -> String {
    t.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' | '。' => Some('.'),
            '－' | '—' | '−' => Some('-'),
            '＋' => Some('+'),
            '％' => Some('%'),
            '，' => Some(','),
            c if c.is_whitespace() || c == '\u{3000}' => None,
            c => Some(c),
        })
        .collect()
}

/// A plain number in text: optional sign, digits with optional thousands separators in groups of
/// three, optional fraction. No percent sign. `None` when it is not one.
pub fn parse_plain_number(text: &str) -> Option<Decimal> {
    let t = half_width(text);
    let t = t.strip_prefix('+').unwrap_or(&t);
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    let groups: Vec<&str> = int.split(',').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let digits: String = groups.concat();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac {
        if !f.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let s = format!(
        "{}{}{}",
        if neg { "-" } else { "" },
        if digits.is_empty() { "0" } else { &digits },
        frac.map(|f| format!(".{f}")).unwrap_or_default()
    );
    Decimal::from_str(&s).ok()
}

/// A number from a cell. Text may end in `%` (divided by 100). `percent_column`: the column's
/// header says `%`, so a bare number there is a percentage too.
pub fn number(cell: &Cell, percent_column: bool) -> Result<Decimal, Reject> {
    match cell {
        Cell::Number(d) => Ok(*d),
        Cell::Text(t) => {
            let h = half_width(t);
            if let Some(p) = h.strip_suffix('%') {
                return parse_plain_number(p)
                    .map(|d| d / Decimal::ONE_HUNDRED)
                    .ok_or_else(not_number);
            }
            let d = parse_plain_number(t).ok_or_else(not_number)?;
            Ok(if percent_column {
                d / Decimal::ONE_HUNDRED
            } else {
                d
            })
        }
        Cell::Error(e) => Err(formula_error(e)),
        Cell::Bool(_) | Cell::Date(_) => Err(not_number()),
        Cell::Empty => Err(reject("缺少数值", "missing value")),
    }
}

fn not_number() -> Reject {
    reject("不是数字，应为数值", "is not a number; expected a decimal")
}

/// A formula error such as `#DIV/0!`, or a number beyond exact decimals (`1e308`, `inf`).
pub fn formula_error(e: &str) -> Reject {
    if e.starts_with('#') {
        (
            format!("公式错误 {e}，应为数值"),
            format!("formula error {e}; expected a value"),
        )
    } else {
        (
            "数值超出可精确计算的范围（最多 28 位有效数字），应为常规数值".to_string(),
            "the number is beyond exact decimals (at most 28 significant digits); expected an ordinary number".to_string(),
        )
    }
}

/// A whole number.
pub fn integer(cell: &Cell) -> Result<Decimal, Reject> {
    let d = number(cell, false).map_err(|(zh, en)| {
        if en.starts_with("is not a number") {
            reject(
                "不是整数，应为整数",
                "is not a number; expected a whole number",
            )
        } else {
            (zh, en)
        }
    })?;
    if d.fract().is_zero() {
        Ok(d.trunc())
    } else {
        Err(reject(
            "不是整数，应为整数",
            "has a fraction; expected a whole number",
        ))
    }
}

/// Yes/no: 是/否, Y/N, √/×, yes/no, true/false, 1/0, and boolean cells.
pub fn yes_no(cell: &Cell) -> Result<bool, Reject> {
    let bad = || {
        reject(
            "应为 是/否（Y/N、√/×、1/0）",
            "expected yes/no (是/否, Y/N, √/×, 1/0)",
        )
    };
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Number(d) if *d == Decimal::ONE => Ok(true),
        Cell::Number(d) if d.is_zero() => Ok(false),
        Cell::Text(t) => match half_width(t).to_lowercase().as_str() {
            "是" | "y" | "yes" | "true" | "1" | "√" | "✓" | "✔" => Ok(true),
            "否" | "n" | "no" | "false" | "0" | "×" | "✗" | "✘" | "x" => Ok(false),
            _ => Err(bad()),
        },
        Cell::Error(e) => Err(formula_error(e)),
        _ => Err(bad()),
    }
}

/// A date: a date cell, an Excel serial number, or text `2024-05-03`, `2024/5/3`, `2024.5.3`,
/// `2024年5月3日`, `20240503`.
pub fn date(cell: &Cell) -> Result<NaiveDate, Reject> {
    let bad = || {
        reject(
            "不是日期，应为如 2024-05-03 的日期",
            "is not a date; expected a date such as 2024-05-03",
        )
    };
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(d) if d.fract().is_zero() && *d >= Decimal::ONE => {
            let days = i64::try_from(d.trunc().mantissa()).map_err(|_| bad())?;
            if days > 2_958_465 {
                return Err(bad());
            }
            NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|e| e.checked_add_signed(chrono::Duration::days(days)))
                .ok_or_else(bad)
        }
        Cell::Text(t) => date_text(t).ok_or_else(bad),
        Cell::Error(e) => Err(formula_error(e)),
        _ => Err(bad()),
    }
}

/// Parse a date written as text.
pub fn date_text(t: &str) -> Option<NaiveDate> {
    let t = half_width(t);
    let t = t.split(['T', ' ']).next().unwrap_or("");
    let nums: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let (y, m, d) = match nums.as_slice() {
        [y, m, d] => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        [ymd] if ymd.len() == 8 => (
            ymd.get(..4)?.parse().ok()?,
            ymd.get(4..6)?.parse().ok()?,
            ymd.get(6..)?.parse().ok()?,
        ),
        _ => return None,
    };
    if !(1900..=2999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A series written in one cell, separated by `,` `，` `/` `、` `;` `；` or spaces (no thousands
/// separators inside a series). A single number cell is a one-value series.
pub fn series_cell(cell: &Cell) -> Result<Vec<Decimal>, Reject> {
    match cell {
        Cell::Number(d) => Ok(vec![*d]),
        Cell::Text(t) => {
            let parts: Vec<&str> = t
                .split(|c: char| {
                    matches!(c, ',' | '，' | '/' | '、' | ';' | '；') || c.is_whitespace()
                })
                .filter(|s| !s.is_empty())
                .collect();
            let mut out = Vec::new();
            for p in parts {
                match parse_plain_number(p) {
                    Some(d) => out.push(d),
                    None => {
                        return Err((
                            format!("「{p}」不是数字，应为用逗号分隔的数值序列"),
                            format!(
                                "\"{p}\" is not a number; expected numbers separated by commas"
                            ),
                        ))
                    }
                }
            }
            Ok(out)
        }
        Cell::Error(e) => Err(formula_error(e)),
        _ => Err(reject("应为数值序列", "expected a series of numbers")),
    }
}

/// The accepted range for messages: `0 ~ 10`, `≥ 0` or `≤ 10` (a missing bound is not shown
/// as an empty space).
pub fn range_text(lo: Option<Decimal>, hi: Option<Decimal>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{} ~ {}", lo.normalize(), hi.normalize()),
        (Some(lo), None) => format!("≥ {}", lo.normalize()),
        (None, Some(hi)) => format!("≤ {}", hi.normalize()),
        (None, None) => String::new(),
    }
}
