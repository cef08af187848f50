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
/// Chinese may break between any two characters; a run of Latin letters or digits is kept
/// whole unless it alone is wider than a line.
pub fn wrap(s: &str, max: usize, indent: &str) -> Vec<String> {
    let max = max.max(width(indent) + 2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for token in tokens(s) {
        let w = width(token);
        if used + w > max && !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
            line = indent.to_string();
            used = width(indent);
            if token == " " {
                continue;
            }
        }
        if used + w > max {
            // A token wider than a line: split it by characters.
            for c in token.chars() {
                let cw = UnicodeWidthChar::width(c).unwrap_or(0);
                if used + cw > max {
                    lines.push(line.trim_end().to_string());
                    line = indent.to_string();
                    used = width(indent);
                }
                line.push(c);
                used += cw;
            }
            continue;
        }
        line.push_str(token);
        used += w;
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Split into break units: a space, one wide character, or a run of other characters.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let single = c == ' ' || UnicodeWidthChar::width(c).unwrap_or(0) != 1;
        if single {
            if let Some(b) = start.take() {
                out.push(&s[b..i]);
            }
            out.push(&s[i..i + c.len_utf8()]);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(b) = start {
        out.push(&s[b..]);
    }
    out
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
        // English words stay whole: "does" is not split.
        let lines = wrap("the program does not choose", 14, "");
        assert_eq!(lines, vec!["the program", "does not", "choose"]);
        // A word wider than a line is split.
        assert_eq!(wrap("abcdefgh", 4, ""), vec!["abcd", "efgh"]);
    }
}
