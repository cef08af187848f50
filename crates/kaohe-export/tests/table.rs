//! The terminal table: line marker placement, CJK alignment, decisions section, empty state.

mod common;
use common::*;
use kaohe_engine::data::Period;
use kaohe_export::{table, Lang, EMPTY_MESSAGE};
use unicode_width::UnicodeWidthStr;

/// The text of one column of one person's row, joining the row's continuation lines: the
/// column runs from the display offset of `header` to that of `next` in the header line.
fn cell(t: &str, id: &str, header: &str, next: Option<&str>) -> String {
    let lines: Vec<&str> = t.lines().collect();
    let head = lines.iter().find(|l| l.contains(header)).unwrap();
    let offset = |h: &str| head[..head.find(h).unwrap()].width();
    let (from, to) = (offset(header), next.map(offset).unwrap_or(usize::MAX));
    let start = lines
        .iter()
        .position(|l| l.contains(&format!("  {id}  ")))
        .unwrap();
    let mut parts: Vec<String> = Vec::new();
    for (k, l) in lines[start..].iter().enumerate() {
        if k > 0 && !l.starts_with("          ") {
            break;
        }
        let mut col = 0;
        let mut out = String::new();
        for c in l.chars() {
            if col >= from && col < to {
                out.push(c);
            }
            col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
        parts.push(out.trim().to_string());
    }
    parts.retain(|p| !p.is_empty());
    // Chinese wraps between characters, English between words.
    let sep = if parts.iter().all(|p| p.is_ascii()) {
        " "
    } else {
        ""
    };
    parts.join(sep)
}

/// The header lines (they may wrap) joined, from the `排名`/`Rank` line to the rule below.
fn header_text(t: &str) -> String {
    let lines: Vec<&str> = t.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("排名") || l.starts_with("Rank"))
        .unwrap();
    lines[start..]
        .iter()
        .take_while(|l| !l.starts_with("────"))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

fn lines_with_ids(text: &str, ids: &[&str]) -> Vec<String> {
    text.lines()
        .filter(|l| ids.iter().any(|id| l.contains(&format!("  {id}  "))))
        .map(String::from)
        .collect()
}

#[test]
fn line_marker_sits_above_the_first_person_in_the_line() {
    // P8.3 + P8.4/X5: 1004 and 1005 tie for the last place, 1006 is in the line; the marker goes
    // right above 1004, the first row at the line, and appears once for the one group.
    let policy = shipped("p8-amber-bay.toml");
    let t = table(&policy, &p8_may(), Lang::Zh);
    let lines: Vec<&str> = t.lines().collect();
    let marker: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("──── 末位线 "))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(marker.len(), 1, "{t}");
    assert!(lines[marker[0] + 1].contains("1004"), "{t}");
    assert!(lines[marker[0] - 1].contains("1003"), "{t}");
    // Marks in the rows.
    let status = |id: &str| cell(&t, id, "状态/标记", Some("历史"));
    assert_eq!(status("1006"), "▼ 末位线", "{t}");
    assert_eq!(status("1004"), "并列待定");
    assert_eq!(status("1001"), "豁免：完成当月销售任务", "{t}");
    assert_eq!(status("1007"), "否决：套现套票 P4.8");
    assert_eq!(status("1008"), "新人不计");
    assert_eq!(status("1009"), "数据待补");
    assert_eq!(
        cell(&t, "1006", "历史", Some("结果")),
        "连续第2个月；近6个月第3次",
        "{t}"
    );
    assert!(
        cell(&t, "1006", "结果", None).starts_with("淘汰警告函及一个月考察培训"),
        "{t}"
    );
    let row = |id: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!("  {id}  ")))
            .unwrap()
            .to_string()
    };
    // X2: 900000.585 shows half-up as 900000.59.
    assert!(row("1002").contains("900000.59"));
}

#[test]
fn every_row_has_the_same_display_width() {
    // 欧阳明轩 is 8 columns, 王芳 4: padding must count CJK as double width.
    let policy = shipped("p8-amber-bay.toml");
    for lang in [Lang::Zh, Lang::En] {
        let t = table(&policy, &p8_may(), lang);
        let ids = [
            "1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009",
        ];
        let mut rows = lines_with_ids(&t, &ids);
        assert_eq!(rows.len(), 9, "{t}");
        rows.extend(
            t.lines()
                .filter(|l| l.starts_with("────"))
                .map(String::from),
        );
        rows.extend(
            t.lines()
                .filter(|l| l.starts_with("排名") || l.starts_with("Rank"))
                .map(String::from),
        );
        let w = rows[0].width();
        for r in &rows {
            assert_eq!(r.width(), w, "row {r:?} in\n{t}");
        }
        assert!(t.lines().all(|l| l.width() <= 120), "{t}");
    }
}

#[test]
fn decisions_section_lists_ties_errors_and_mismatches() {
    let policy = shipped("p8-amber-bay.toml");
    let t = table(&policy, &p8_may(), Lang::Zh);
    let (_, section) = t.split_once("需要人工裁决").unwrap();
    assert!(
        section.contains("末位并列【全部】：1 个名额，候选 欧阳明轩(1004)、刘洋(1005)"),
        "{section}"
    );
    assert!(section.contains("500000.00"));
    assert!(section.contains("P8.4"));
    assert!(
        section.contains("2024-05.xlsx / 表 5月 / 第11行"),
        "{section}"
    );
    assert!(section.contains("合计不符 李娜(1002)"), "{section}");
    assert!(
        section.contains("表内合计 900100.00 与计算值 900000.59 不符"),
        "{section}"
    );
    // The group header says the line awaits a decision and carries the note.
    assert!(t.contains("【全部】排名 6 人，名额 2 人，末位并列"), "{t}");
    assert!(t.contains("P8.3"));
}

#[test]
fn english_table() {
    let policy = shipped("p8-amber-bay.toml");
    let t = table(&policy, &p8_may(), Lang::En);
    assert!(t.contains("Needs a person's decision"));
    assert!(t.contains("──── line "));
    assert_eq!(
        cell(&t, "1006", "History", Some("Outcome")),
        "2nd in a row; 3rd in 6 months",
        "{t}"
    );
    // Wrapped English keeps its words: joined back with single spaces it reads as written.
    let status = cell(&t, "1001", "Status", Some("History"));
    assert_eq!(status, "exempt: met the month's sales target", "{t}");
}

#[test]
fn empty_result_says_so() {
    let policy = shipped("p8-amber-bay.toml");
    let t = table(&policy, &empty(Period::month(2024, 6)), Lang::Zh);
    assert!(t.contains(EMPTY_MESSAGE));
    assert!(t.contains("本期无数据 / No data for this period"));
    let t = table(&policy, &empty(Period::month(2024, 6)), Lang::En);
    assert!(t.contains("No data for this period"));
}

#[test]
fn blocked_group_names_who_needs_data() {
    let policy = shipped("p8-amber-bay.toml");
    let mut r = p8_may();
    r.groups[0].line = kaohe_engine::result::LineState::Blocked {
        people: vec!["1009".into()],
    };
    let t = table(&policy, &r, Lang::Zh);
    assert!(
        t.contains("未划线：以下人员数据待补，须先补齐 — 周杰(1009)"),
        "{t}"
    );
}

#[test]
fn p2_columns_come_from_the_sum_parts() {
    // P2.5: total = 日常工作 + 日常考勤 + 销售情况; 7 violations show as −4.00 (P2.3, no floor).
    let policy = shipped("p2-sales-consultant.toml");
    let t = table(&policy, &p2_month(Period::month(2016, 4)), Lang::Zh);
    let header = header_text(&t);
    for h in [
        "工号",
        "姓名",
        "日常工作",
        "日常考勤",
        "销售情况",
        "总分",
        "状态/标记",
        "历史",
        "结果",
    ] {
        assert!(header.contains(h), "{header}");
    }
    let row = t.lines().find(|l| l.contains("2002")).unwrap();
    assert!(row.contains("-4.00") && row.contains("17.00"), "{row}");
    assert!(!t.contains("──── 末位线"), "P2 has no monthly line:\n{t}");
}

#[test]
fn header_names_the_ranked_indicator_when_it_is_not_a_sum() {
    // P8 ranks by 销售额 itself (P8.3), so the score column says 销售额, not 总分.
    let policy = shipped("p8-amber-bay.toml");
    let t = table(&policy, &p8_may(), Lang::Zh);
    let header = t.lines().find(|l| l.starts_with("排名")).unwrap();
    assert!(
        header.contains("销售额") && !header.contains("总分"),
        "{header}"
    );
    // The fallback measure column (工作量完成率) has no values this month and is left out.
    assert!(!header.contains("工作量完成率"), "{header}");
}

#[test]
fn one_marker_per_group() {
    // Two groups: 东区 = the P8 fixture; 西区 = copies of 1001–1003 with 1003 in the line.
    // Each group gets its own header and its own marker above its first line row.
    let policy = shipped("p8-amber-bay.toml");
    let mut r = p8_may();
    let mut west: Vec<_> = r.people[..3].to_vec();
    for (k, p) in west.iter_mut().enumerate() {
        p.id = format!("200{}", k + 1);
        p.group = "西区".into();
        p.line = kaohe_engine::result::LinePosition::Above;
    }
    west[2].line = kaohe_engine::result::LinePosition::InLine;
    for p in r.people.iter_mut() {
        p.group = "东区".into();
    }
    r.groups[0].key = "东区".into();
    let mut g = r.groups[0].clone();
    g.key = "西区".into();
    g.ranked = 3;
    g.quota = 1;
    g.line = kaohe_engine::result::LineState::Drawn;
    r.groups.push(g);
    r.people.extend(west);
    let t = table(&policy, &r, Lang::Zh);
    let lines: Vec<&str> = t.lines().collect();
    let markers: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("──── 末位线"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(markers.len(), 2, "{t}");
    assert!(lines[markers[0] + 1].contains("1004"));
    assert!(lines[markers[1] + 1].contains("2003"), "{t}");
    assert!(t.contains("【西区】排名 3 人，名额 1 人，已划末位线"));
}

#[test]
fn aggregate_proposal_needs_a_person() {
    // P2.7: the quarter 2016-04..06 sums; 2002 is proposed (lowest sum 51 = 17 + 17 + 17),
    // the GM office confirms.
    use kaohe_engine::result::AggregateResult;
    let policy = shipped("p2-sales-consultant.toml");
    let mut r = p2_month(Period::month(2016, 6));
    r.aggregates.push(AggregateResult {
        id: "quarterly_proposal".into(),
        group: "全部".into(),
        periods: vec!["2016-04".into(), "2016-05".into(), "2016-06".into()],
        sums: vec![("2001".into(), d("144")), ("2002".into(), d("51"))],
        proposed: vec!["2002".into()],
        tied: vec![],
        incomplete: vec![],
    });
    let t = table(&policy, &r, Lang::Zh);
    assert!(
        t.contains("三个月合计末位提议淘汰【全部】2016-04~2016-06：提议 吴敏(2002) 51.00，须人工确认（P2.7）"),
        "{t}"
    );
}
