//! Display-width text helpers (显示宽度): CJK characters take two terminal columns.
//!
//! Widths come from `unicode-width` (East Asian Wide/Fullwidth = 2, ambiguous = 1), so a table
//! of Chinese names lines up in a terminal.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Terminal columns taken by `s`.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` columns, ending with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pad on the right to exactly `w` columns (text is cut first if wider).
pub fn pad_left_aligned(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(fill))
}

/// Pad on the left to exactly `w` columns (numbers).
pub fn pad_right_aligned(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{}{t}", " ".repeat(fill))
}

/// Wrap `s` to lines of at most `max` columns; continuation lines start with `indent`.
/// Breaks anywhere (Chinese has no spaces), preferring a space when one is near.
pub fn wrap(s: &str, max: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let indent_w = width(indent);
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max && !line.is_empty() {
            lines.push(line.trim_end().to_string());
            line = indent.to_string();
            used = indent_w;
            if c == ' ' {
                continue;
            }
        }
        line.push(c);
        used += w;
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// A rule id in brackets, or nothing: `[P8.6]`.
pub fn rule_tag(rule: &Option<String>) -> String {
    match rule {
        Some(r) if !r.is_empty() => format!(" [{r}]"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_double() {
        assert_eq!(width("张三"), 4);
        assert_eq!(width("a张"), 3);
        assert_eq!(pad_left_aligned("张三", 6), "张三  ");
        assert_eq!(pad_right_aligned("1.00", 6), "  1.00");
    }

    #[test]
    fn truncate_keeps_width() {
        // "完成当月销售任务" is 16 columns; cut to 7 = 3 characters (6) + "…" (1).
        assert_eq!(truncate("完成当月销售任务", 7), "完成当…");
        assert!(width(&truncate("完成当月销售任务", 8)) <= 8);
        assert_eq!(truncate("abc", 3), "abc");
    }

    #[test]
    fn wrap_respects_width() {
        let lines = wrap("一二三四五六七八九十", 8, "  ");
        assert_eq!(lines[0], "一二三四");
        assert!(lines.iter().all(|l| width(l) <= 8));
        assert_eq!(lines.concat().replace(' ', ""), "一二三四五六七八九十");
    }
}
