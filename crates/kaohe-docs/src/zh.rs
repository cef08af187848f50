//! Chinese date and period labels (中文日期): 2025年4月2日, 2025年3月.

use chrono::{Datelike, NaiveDate};

/// 2025-04-02 → "2025年4月2日".
pub fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A period label in Chinese: "2025-03" → "2025年3月", "2025" → "2025年",
/// "2025-Q1" → "2025年第1季度", "2025-01..2025-03" (or with "~" / "至") → "2025年1月至2025年3月".
/// Anything else is shown as given (trimmed).
pub fn zh_period(label: &str) -> String {
    let label = label.trim();
    for sep in ["..", "~", "至", "–", "—"] {
        if let Some((a, b)) = label.split_once(sep) {
            if let (Some(a), Some(b)) = (month(a.trim()), month(b.trim())) {
                return format!("{a}至{b}");
            }
        }
    }
    if let Some(m) = month(label) {
        return m;
    }
    if let Some((y, q)) = label.split_once(['-', ' ']) {
        let q = q.trim_start_matches(['Q', 'q']);
        if let (Some(y), Ok(q @ 1..=4)) = (year(y), q.parse::<u8>()) {
            if label.contains(['Q', 'q']) {
                return format!("{y}年第{q}季度");
            }
        }
    }
    if let Some(y) = year(label) {
        return format!("{y}年");
    }
    label.to_string()
}

fn year(s: &str) -> Option<u32> {
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// "2025-03", "2025-3", "2025/03", "202503" → "2025年3月".
fn month(s: &str) -> Option<String> {
    let (y, m) = match s.split_once(['-', '/', '.']) {
        Some((y, m)) => (y, m),
        None if s.len() == 6 && s.is_char_boundary(4) => s.split_at(4),
        None => return None,
    };
    let y = year(y)?;
    if m.is_empty() || m.len() > 2 || !m.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let m: u32 = m.parse().ok()?;
    (1..=12).contains(&m).then(|| format!("{y}年{m}月"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_periods() {
        let d = NaiveDate::from_ymd_opt(2025, 4, 2).unwrap();
        assert_eq!(zh_date(d), "2025年4月2日");
        assert_eq!(zh_period("2025-03"), "2025年3月");
        assert_eq!(zh_period(" 2025-3 "), "2025年3月");
        assert_eq!(zh_period("202512"), "2025年12月");
        assert_eq!(zh_period("2025-13"), "2025-13");
        assert_eq!(zh_period("2025"), "2025年");
        assert_eq!(zh_period("2025-Q1"), "2025年第1季度");
        assert_eq!(zh_period("2025-Q5"), "2025-Q5");
        // P2.7: a three-month block
        assert_eq!(zh_period("2016-04..2016-06"), "2016年4月至2016年6月");
        assert_eq!(zh_period("三月"), "三月");
        assert_eq!(zh_period(""), "");
    }
}
