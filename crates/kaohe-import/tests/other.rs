//! Roster, rater sheet (P7.2), history and tie decision (P7.6) files.

mod common;
use common::*;
use kaohe_engine::data::{History, Mark, Period, PeriodRecord, Rating, Value};
use kaohe_import::{
    merge_facts, parse_decisions, parse_facts, parse_history, parse_ratings, parse_roster,
    write_history_csv,
};
use kaohe_policy::model::Cycle;
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

#[test]
fn roster_fields_dates_and_extra() {
    let r = roster();
    assert_eq!(r.len(), 6);
    assert_eq!(r[0].id, "E001");
    assert_eq!(r[0].branch.as_deref(), Some("一分公司"));
    assert_eq!(r[0].level.as_deref(), Some("初级"), "职级 → level");
    assert_eq!(r[0].status.as_deref(), Some("转正"));
    assert_eq!(
        r[0].extra.get("手机").map(String::as_str),
        Some("13800000001")
    );
    assert_eq!(
        r[1].hire_date,
        chrono::NaiveDate::from_ymd_opt(2022, 3, 1),
        "2022/3/1"
    );
    assert_eq!(
        r[2].hire_date,
        chrono::NaiveDate::from_ymd_opt(2024, 4, 10),
        "2024年4月10日"
    );
    assert!(r[1].extra.is_empty(), "empty extra cells are not kept");
}

#[test]
fn roster_xlsx_with_variants_title_and_date_cells() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_row(ws, 0, &[C::S("员工花名册")]);
    write_row(
        ws,
        1,
        &[
            C::S("序号"),
            C::S("员工编号"),
            C::S("名字"),
            C::S("大区"),
            C::S("支行"),
            C::S("职位"),
            C::S("入职时间"),
        ],
    );
    write_row(
        ws,
        2,
        &[
            C::N(1.0),
            C::N(1001.0),
            C::S("张三"),
            C::S("华东"),
            C::S("城南支行"),
            C::S("客户经理"),
        ],
    );
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let date =
        rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 2, 1).unwrap_or_else(|e| panic!("{e}"));
    ws.write_datetime_with_format(2, 6, &date, &fmt)
        .unwrap_or_else(|e| panic!("{e}"));
    write_row(ws, 3, &[C::N(2.0), C::N(1001.0), C::S("李四")]);
    let bytes = save(&mut wb);
    let errs = parse_roster(&bytes, "roster.xlsx")
        .err()
        .unwrap_or_default();
    assert_eq!(errs.0.len(), 1, "duplicate id: {errs}");
    assert_eq!(
        (errs.0[0].row, errs.0[0].column.as_deref()),
        (Some(4), Some("B 员工编号"))
    );
    assert!(errs.0[0].expected_en.contains("row 3"));
    // Without the duplicate row the roster loads.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_row(
        ws,
        0,
        &[
            C::S("员工编号"),
            C::S("名字"),
            C::S("大区"),
            C::S("支行"),
            C::S("职位"),
            C::S("入职时间"),
        ],
    );
    write_row(
        ws,
        1,
        &[
            C::N(1001.0),
            C::S("张三"),
            C::S("华东"),
            C::S("城南支行"),
            C::S("客户经理"),
        ],
    );
    ws.write_datetime_with_format(1, 5, &date, &fmt)
        .unwrap_or_else(|e| panic!("{e}"));
    let r = parse_roster(&save(&mut wb), "roster.xlsx").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r[0].id, "1001", "numeric id cell as text");
    assert_eq!(r[0].region.as_deref(), Some("华东"));
    assert_eq!(r[0].branch.as_deref(), Some("城南支行"));
    assert_eq!(r[0].post.as_deref(), Some("客户经理"));
    assert_eq!(r[0].hire_date, chrono::NaiveDate::from_ymd_opt(2023, 2, 1));
}

#[test]
fn roster_without_header_is_an_error() {
    let errs = parse_roster("a,b\n1,2\n".as_bytes(), "r.csv")
        .err()
        .unwrap_or_default();
    assert_eq!(errs.0.len(), 1);
    assert!(errs.to_string().contains("工号"));
}

const RATINGS: &str = "被评人工号,评分人,评分人类别,分数\n\
E001,李四,同事,80\n\
E001,赵六,部门负责人,90\n\
E002,张三,同事,85.5\n";

#[test]
fn ratings_become_values_and_merge_into_facts() {
    let may = Period::month(2024, 5);
    let (p, r) = (policy(), roster());
    let ratings = parse_ratings(RATINGS.as_bytes(), "ratings.csv", &p, &r, Some(&may))
        .unwrap_or_else(|e| panic!("{e}"));
    let rating = |rater: &str, group: &str, score: i64| Rating {
        rater: rater.into(),
        group: group.into(),
        score: Decimal::from(score),
    };
    assert_eq!(
        ratings[&may]["E001"].values["peer"],
        Value::Ratings(vec![
            rating("李四", "同事", 80),
            rating("赵六", "部门负责人", 90)
        ])
    );
    let facts_csv = "工号,日常考勤,销售额,套数\nE001,8,10,1\n";
    let mut facts = parse_facts(facts_csv.as_bytes(), "f.csv", &p, &r, Some(&may))
        .unwrap_or_else(|e| panic!("{e}"));
    merge_facts(&mut facts, ratings.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        facts[&may]["E001"].values.len(),
        4,
        "daily, sales, units, peer"
    );
    assert!(facts[&may]["E002"].values.contains_key("peer"));
    // Merging the same ratings again conflicts and changes nothing.
    let before = facts.clone();
    assert!(merge_facts(&mut facts, ratings).is_err());
    assert_eq!(facts, before);
}

#[test]
fn ratings_errors_unknown_group_range_duplicate() {
    let may = Period::month(2024, 5);
    let csv = "被评人,评分人,评分人类别,分数\n张三,李四,领导,80\n张三,赵六,同事,101\n李四,张三,同事,80\n李四,张三,同事,81\n";
    let errs = parse_ratings(csv.as_bytes(), "r.csv", &policy(), &roster(), Some(&may))
        .err()
        .unwrap_or_default();
    let rows: Vec<(Option<u32>, Option<&str>)> = errs
        .0
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (Some(2), Some("C 评分人类别")),
            (Some(3), Some("D 分数")),
            (Some(5), Some("B 评分人"))
        ]
    );
}

#[test]
fn history_round_trips_and_reads_english_marks() {
    let mut h = History::default();
    h.insert(
        "E001",
        PeriodRecord {
            period: Period::month(2024, 4),
            mark: Mark::Line,
            score: Some(Decimal::new(7125, 2)),
            ladder_count: 1,
        },
    );
    h.insert(
        "E001",
        PeriodRecord {
            period: Period::month(2024, 5),
            mark: Mark::Exempt,
            score: None,
            ladder_count: 0,
        },
    );
    h.insert(
        "E002",
        PeriodRecord {
            period: Period::month(2024, 5),
            mark: Mark::Pending,
            score: Some(Decimal::from(80)),
            ladder_count: 2,
        },
    );
    let mut buf = Vec::new();
    write_history_csv(&h, &mut buf).unwrap_or_else(|e| panic!("{e}"));
    let back = parse_history(&buf, "history.csv", Cycle::Monthly).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.records, h.records);
    let en = "工号,期间,标记,分数\nE003,2024-03,vetoed,\nE003,2024年2月,未划线,60\n";
    let back =
        parse_history(en.as_bytes(), "h.csv", Cycle::Monthly).unwrap_or_else(|e| panic!("{e}"));
    let marks: Vec<Mark> = back.of("E003").iter().map(|r| r.mark).collect();
    assert_eq!(marks, vec![Mark::Skipped, Mark::Vetoed], "sorted by period");
    let bad = "工号,期间,标记\nE003,2024-03,坏\n";
    let errs = parse_history(bad.as_bytes(), "h.csv", Cycle::Monthly)
        .err()
        .unwrap_or_default();
    assert_eq!(
        (errs.0[0].row, errs.0[0].column.as_deref()),
        (Some(2), Some("C 标记"))
    );
}

#[test]
fn decisions_are_grouped_per_period_and_group() {
    let csv = "期间,排名组,工号,决定人,理由\n\
               2024-05,一分公司,E001,王经理,客户投诉较多\n\
               2024-05,一分公司,E002,王经理,\n\
               2024-05,二分公司,E003,李总,回款最低\n";
    let d =
        parse_decisions(csv.as_bytes(), "d.csv", Cycle::Monthly).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].0, Period::month(2024, 5));
    assert_eq!(d[0].1.group, "一分公司");
    assert_eq!(d[0].1.chosen, vec!["E001".to_string(), "E002".to_string()]);
    assert_eq!(d[0].1.decided_by, "王经理");
    assert_eq!(d[0].1.reason, "客户投诉较多");
    assert_eq!(d[1].1.chosen, vec!["E003".to_string()]);
}
