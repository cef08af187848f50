//! Charts as server-rendered SVG (图表): a group's score distribution with the line marked
//! (分数分布与末位线) and a person's trend over the last months (个人趋势).
//!
//! Numbers are exact decimals everywhere; they become `f64` here only to place points on the
//! drawing. Every label printed in a chart is the display text (half-up, the policy's
//! decimals) made by the caller. The SVG is built as text with every label escaped, so a
//! template may include it with `|safe`.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Escape text for SVG/HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A decimal as a coordinate (drawing only).
fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// One person in a distribution.
#[derive(Clone, Debug)]
pub struct Dot {
    /// Exact score.
    pub score: Decimal,
    /// Score as shown (policy decimals).
    pub shown: String,
    /// Name (tooltip).
    pub name: String,
    /// In the line (进入末位线).
    pub in_line: bool,
}

const W: f64 = 640.0;
const PAD: f64 = 36.0;

/// A group's score distribution: one dot per person on a score axis (stacked where scores
/// fall close together), line entries in red, and a dashed line between the highest score in
/// the line and the lowest above it. `title` is the chart's accessible title.
pub fn distribution(dots: &[Dot], title: &str, line_label: &str) -> String {
    if dots.is_empty() {
        return String::new();
    }
    let min = dots.iter().map(|d| d.score).min().unwrap_or_default();
    let max = dots.iter().map(|d| d.score).max().unwrap_or_default();
    let (lo, hi) = if max > min {
        (f(min), f(max))
    } else {
        (f(min) - 1.0, f(max) + 1.0)
    };
    let x = |v: f64| PAD + (v - lo) / (hi - lo) * (W - 2.0 * PAD);
    // Stack dots that would overlap (within 12px).
    let mut sorted: Vec<&Dot> = dots.iter().collect();
    sorted.sort_by_key(|a| a.score);
    let mut placed: Vec<(f64, u32, &Dot)> = Vec::new();
    for d in sorted {
        let px = x(f(d.score));
        let level = placed
            .iter()
            .filter(|(qx, _, _)| (qx - px).abs() < 12.0)
            .map(|(_, l, _)| l + 1)
            .max()
            .unwrap_or(0);
        placed.push((px, level, d));
    }
    let levels = placed.iter().map(|(_, l, _)| *l).max().unwrap_or(0);
    let base = 40.0 + 14.0 * f64::from(levels);
    let h = base + 40.0;
    let mut s = format!(
        r#"<svg class="chart dist" viewBox="0 0 {W} {h}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = esc(title)
    );
    s.push_str(&format!(
        r##"<line x1="{PAD}" y1="{base}" x2="{x2}" y2="{base}" stroke="#98a2b3"/>"##,
        x2 = W - PAD
    ));
    // Axis labels: min and max as shown.
    if let (Some(a), Some(b)) = (
        dots.iter().min_by_key(|d| d.score),
        dots.iter().max_by_key(|d| d.score),
    ) {
        s.push_str(&format!(
            r##"<text x="{PAD}" y="{y}" font-size="11" fill="#667085">{}</text><text x="{x2}" y="{y}" font-size="11" fill="#667085" text-anchor="end">{}</text>"##,
            esc(&a.shown),
            esc(&b.shown),
            y = base + 16.0,
            x2 = W - PAD
        ));
    }
    // The line: between the highest in-line score and the lowest score above it.
    let top_line = dots.iter().filter(|d| d.in_line).map(|d| d.score).max();
    if let Some(t) = top_line {
        let above = dots
            .iter()
            .filter(|d| !d.in_line && d.score >= t)
            .map(|d| d.score)
            .min();
        let lx = match above {
            Some(a) => (x(f(t)) + x(f(a))) / 2.0,
            None => x(f(t)) + 6.0,
        };
        s.push_str(&format!(
            r##"<line class="cut" x1="{lx:.1}" y1="8" x2="{lx:.1}" y2="{y2}" stroke="#b42318" stroke-width="2" stroke-dasharray="5 3"/><text x="{tx:.1}" y="18" font-size="11" fill="#b42318">{}</text>"##,
            esc(line_label),
            y2 = base + 4.0,
            tx = lx + 4.0
        ));
    }
    for (px, level, d) in &placed {
        let cy = base - 8.0 - 14.0 * f64::from(*level);
        let fill = if d.in_line { "#b42318" } else { "#1f5fbf" };
        s.push_str(&format!(
            r#"<circle cx="{px:.1}" cy="{cy:.1}" r="5" fill="{fill}"><title>{} {}</title></circle>"#,
            esc(&d.name),
            esc(&d.shown)
        ));
    }
    s.push_str("</svg>");
    s
}

/// One month of a trend.
#[derive(Clone, Debug)]
pub struct Point {
    /// Period as shown (2025年3月).
    pub label: String,
    /// Exact score, if scored that month.
    pub score: Option<Decimal>,
    /// Score as shown.
    pub shown: String,
    /// In the line that month.
    pub in_line: bool,
}

/// A person's trend: one point per month (up to the last 12), the score printed above each
/// point, line months in red. Months without a score leave a gap.
pub fn trend(points: &[Point], title: &str) -> String {
    let points = &points[points.len().saturating_sub(12)..];
    if points.is_empty() {
        return String::new();
    }
    let scored: Vec<Decimal> = points.iter().filter_map(|p| p.score).collect();
    let (lo, hi) = match (scored.iter().min(), scored.iter().max()) {
        (Some(a), Some(b)) if b > a => (f(*a), f(*b)),
        (Some(a), _) => (f(*a) - 1.0, f(*a) + 1.0),
        _ => (0.0, 1.0),
    };
    let h = 200.0;
    let top = 28.0;
    let bottom = h - 40.0;
    let n = points.len();
    let step = if n > 1 {
        (W - 2.0 * PAD) / (n as f64 - 1.0)
    } else {
        0.0
    };
    let x = |i: usize| {
        if n > 1 {
            PAD + step * i as f64
        } else {
            W / 2.0
        }
    };
    let y = |v: f64| bottom - (v - lo) / (hi - lo) * (bottom - top);
    let mut s = format!(
        r#"<svg class="chart trend" viewBox="0 0 {W} {h}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = esc(title)
    );
    s.push_str(&format!(
        r##"<line x1="{PAD}" y1="{bottom}" x2="{x2}" y2="{bottom}" stroke="#98a2b3"/>"##,
        x2 = W - PAD
    ));
    // Polyline segments over consecutive scored months.
    let mut seg: Vec<String> = Vec::new();
    let flush = |seg: &mut Vec<String>, s: &mut String| {
        if seg.len() > 1 {
            s.push_str(&format!(
                r##"<polyline fill="none" stroke="#1f5fbf" stroke-width="2" points="{}"/>"##,
                seg.join(" ")
            ));
        }
        seg.clear();
    };
    for (i, p) in points.iter().enumerate() {
        match p.score {
            Some(v) => seg.push(format!("{:.1},{:.1}", x(i), y(f(v)))),
            None => flush(&mut seg, &mut s),
        }
    }
    flush(&mut seg, &mut s);
    for (i, p) in points.iter().enumerate() {
        s.push_str(&format!(
            r##"<text x="{:.1}" y="{}" font-size="10" fill="#667085" text-anchor="middle">{}</text>"##,
            x(i),
            h - 22.0,
            esc(&p.label)
        ));
        if let Some(v) = p.score {
            let fill = if p.in_line { "#b42318" } else { "#1f5fbf" };
            let cy = y(f(v));
            s.push_str(&format!(
                r#"<circle cx="{:.1}" cy="{cy:.1}" r="4" fill="{fill}"/><text x="{:.1}" y="{:.1}" font-size="10" fill="{fill}" text-anchor="middle">{}</text>"#,
                x(i),
                x(i),
                cy - 8.0,
                esc(&p.shown)
            ));
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn distribution_marks_the_line_between_57_and_67_5() {
        let dots = vec![
            Dot {
                score: d("57"),
                shown: "57.00".into(),
                name: "潘俊熙".into(),
                in_line: true,
            },
            Dot {
                score: d("67.5"),
                shown: "67.50".into(),
                name: "杜欣怡".into(),
                in_line: false,
            },
            Dot {
                score: d("100"),
                shown: "100.00".into(),
                name: "<钱>".into(),
                in_line: false,
            },
        ];
        let svg = distribution(&dots, "分布", "末位线");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("class=\"cut\""), "the line is drawn");
        assert!(svg.contains("&lt;钱&gt;"), "names escaped");
        assert!(!svg.contains("<钱>"));
        // 57 at x=36, 67.5 at 36 + 10.5/43 × 568 = 174.7; the cut halfway: 105.3.
        assert!(svg.contains("x1=\"105.3\""), "{svg}");
    }

    #[test]
    fn trend_keeps_the_last_twelve_and_gaps() {
        let pts: Vec<Point> = (1..=14)
            .map(|m| Point {
                label: format!("{m}月"),
                score: if m == 5 { None } else { Some(Decimal::from(m)) },
                shown: format!("{m}.00"),
                in_line: m == 14,
            })
            .collect();
        let svg = trend(&pts, "趋势");
        assert!(!svg.contains(">1月<") && !svg.contains(">2月<"));
        assert!(svg.contains(">14月<") && svg.contains(">3月<"));
        assert!(svg.contains("<polyline"), "{svg}");
        assert!(!svg.contains("5.00"), "the unscored month shows no score");
        assert!(trend(&[], "x").is_empty());
    }
}
