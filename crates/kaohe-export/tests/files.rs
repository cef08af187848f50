//! JSON, CSV and XLSX output.

mod common;
use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;
use kaohe_engine::data::Period;
use kaohe_engine::result::PeriodResult;
use kaohe_export::{csv, json, xlsx, EMPTY_MESSAGE};

#[test]
fn json_keeps_exact_decimals_as_strings() {
    // X2: the exact 900000.585 is kept, not the displayed 900000.59.
    let text = json(&p8_may());
    assert!(text.contains("\"score\": \"900000.585\""), "{text}");
    let back: PeriodResult = serde_json::from_str(&text).unwrap();
    assert_eq!(back.people.len(), 9);
    assert_eq!(back.people[1].score, Some(d("900000.585")));
    // Stable: the same result gives the same text.
    assert_eq!(text, json(&p8_may()));
}

#[test]
fn csv_has_bom_and_chinese_header() {
    let policy = shipped("p2-sales-consultant.toml");
    let mut buf = Vec::new();
    csv(&policy, &p2_month(Period::month(2016, 4)), &mut buf).unwrap();
    assert!(buf.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(buf[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "期间,排名组,排名,工号,姓名,日常工作,日常考勤,销售情况,总分,状态,末位线,豁免,否决,历史,结果"
    );
    // P2.3/P2.5: 6 + (−4) + 15 = 17, rounded for display to 2 places.
    assert_eq!(
        lines.next().unwrap(),
        "2016-04,全部,1,2001,黄磊,8.00,10.00,30.00,48.00,参与排名,,,,,"
    );
    assert_eq!(
        lines.next().unwrap(),
        "2016-04,全部,2,2002,吴敏,6.00,-4.00,15.00,17.00,参与排名,,,,,"
    );
    assert!(lines.next().is_none());
}

#[test]
fn csv_p8_marks_and_rounding() {
    let policy = shipped("p8-amber-bay.toml");
    let mut buf = Vec::new();
    csv(&policy, &p8_may(), &mut buf).unwrap();
    let text = String::from_utf8(buf[3..].to_vec()).unwrap();
    // 900000.585 → 900000.59 (half up, X2).
    assert!(
        text.contains("2024-05,全部,2,1002,李娜,600000.00,,900000.59,参与排名"),
        "{text}"
    );
    assert!(
        text.contains("1001,王芳,800000.00,,1200000.00,豁免,,完成当月销售任务,,,"),
        "{text}"
    );
    assert!(text.contains("1006,陈静,100000.00,,300000.00,参与排名,末位线,,,连续第2个月；近6个月第3次,淘汰警告函及一个月考察培训、列入淘汰名单：劝其主动辞职（项目组决定）"), "{text}");
    assert!(
        text.contains("1007,赵磊,,,,否决,,,套现套票 P4.8,,"),
        "{text}"
    );
}

#[test]
fn csv_empty_result_is_header_only() {
    let policy = shipped("p8-amber-bay.toml");
    let mut buf = Vec::new();
    csv(&policy, &empty(Period::month(2024, 6)), &mut buf).unwrap();
    let text = String::from_utf8(buf[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 1);
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaohe-export-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(v: Option<&Data>) -> String {
    match v {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

fn f(v: Option<&Data>) -> f64 {
    match v {
        Some(Data::Float(x)) => *x,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn xlsx_score_sheet_round_trips() {
    // P2.5 layout: title row, header with full marks, numbers as numbers, 备注 with the
    // mismatch note (P2.7), then 排名, 末位线, 结果; one sheet per period, then 说明.
    let policy = shipped("p2-sales-consultant.toml");
    let path = tmp("p2.xlsx");
    let april = p2_month(Period::month(2016, 4));
    let mut odd = p2_month(Period {
        index: 0,
        label: "2016/05: 补录[1]".into(),
    });
    odd.people.truncate(1);
    xlsx(&policy, &[april, odd], &path).unwrap();

    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["2016-04", "2016-05- 补录-1-", "说明"]
    );
    let merged = wb.merge_cells_by_sheet_name("2016-04").unwrap();
    assert_eq!(merged.len(), 1);
    assert_eq!((merged[0].start, merged[0].end), ((0, 0), (0, 9)));
    let r = wb.worksheet_range("2016-04").unwrap();
    assert_eq!(s(r.get_value((0, 0))), "销售部末位淘汰制度 2016-04");
    assert_eq!(
        r.width(),
        10,
        "10 columns: 姓名, 工号, three parts, total, 备注, 排名, 末位线, 结果"
    );
    // 吴敏 on row 4 (index 3): 6, −4, 15, 17 as numbers; rank 2 as a number.
    assert_eq!(s(r.get_value((3, 0))), "吴敏");
    assert_eq!(s(r.get_value((3, 1))), "2002");
    assert_eq!(f(r.get_value((3, 2))), 6.0);
    assert_eq!(f(r.get_value((3, 3))), -4.0);
    assert_eq!(f(r.get_value((3, 4))), 15.0);
    assert_eq!(f(r.get_value((3, 5))), 17.0);
    assert!(s(r.get_value((3, 6))).contains("表内合计 21.00 与计算值 17.00 不符"));
    assert_eq!(f(r.get_value((3, 7))), 2.0);

    let notes = wb.worksheet_range("说明").unwrap();
    let rows: Vec<Vec<String>> = notes
        .rows()
        .map(|row| row.iter().map(|c| s(Some(c))).collect())
        .collect();
    assert_eq!(
        rows[0],
        vec!["期间", "工号", "姓名", "项目", "值", "规则", "说明"]
    );
    assert!(
        rows.iter()
            .any(|r| r[1] == "2002" && r[3] == "日常考勤" && r[5] == "P2.3" && r[6].contains("−4")),
        "{rows:?}"
    );
    std::fs::remove_file(&path).ok();
}

#[test]
fn xlsx_header_exact() {
    let policy = shipped("p2-sales-consultant.toml");
    let path = tmp("p2-header.xlsx");
    xlsx(&policy, &[p2_month(Period::month(2016, 4))], &path).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let r = wb.worksheet_range("2016-04").unwrap();
    let header: Vec<String> = (0..10).map(|c| s(r.get_value((1, c)))).collect();
    assert_eq!(
        header,
        [
            "姓名",
            "工号",
            "日常工作(10分)",
            "日常考勤(10分)",
            "销售情况(每套10分)",
            "合计当月考核分数",
            "备注",
            "排名",
            "末位线",
            "结果"
        ]
    );
    std::fs::remove_file(&path).ok();
}

#[test]
fn xlsx_p8_rounds_and_notes() {
    let policy = shipped("p8-amber-bay.toml");
    let path = tmp("p8.xlsx");
    xlsx(&policy, &[p8_may()], &path).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let r = wb.worksheet_range("2024-05").unwrap();
    let header: Vec<String> = (0..r.width() as u32)
        .map(|c| s(r.get_value((1, c))))
        .collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap() as u32;
    let row_of = |id: &str| {
        (2..r.height() as u32)
            .find(|&k| s(r.get_value((k, 1))) == id)
            .unwrap()
    };
    // X2: the exact 900000.585 is written rounded half-up: 900000.59.
    assert_eq!(f(r.get_value((row_of("1002"), col("销售额")))), 900000.59);
    assert_eq!(
        s(r.get_value((row_of("1001"), col("备注")))),
        "豁免：完成当月销售任务"
    );
    assert!(s(r.get_value((row_of("1004"), col("备注")))).contains("末位并列待定"));
    assert_eq!(s(r.get_value((row_of("1004"), col("末位线")))), "并列待定");
    assert_eq!(s(r.get_value((row_of("1006"), col("末位线")))), "末位线");
    assert!(s(r.get_value((row_of("1006"), col("结果")))).contains("淘汰警告函"));
    assert_eq!(
        s(r.get_value((row_of("1007"), col("备注")))),
        "否决：套现套票 P4.8"
    );
    assert!(s(r.get_value((row_of("1009"), col("备注")))).contains("销售额为空"));
    std::fs::remove_file(&path).ok();
}

#[test]
fn xlsx_empty() {
    let policy = shipped("p8-amber-bay.toml");
    let path = tmp("empty.xlsx");
    xlsx(&policy, &[], &path).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let r = wb.worksheet_range("无数据").unwrap();
    assert_eq!(s(r.get_value((0, 0))), EMPTY_MESSAGE);
    let path2 = tmp("empty-period.xlsx");
    xlsx(&policy, &[empty(Period::month(2024, 6))], &path2).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path2).unwrap();
    let r = wb.worksheet_range("2024-06").unwrap();
    assert_eq!(s(r.get_value((2, 0))), EMPTY_MESSAGE);
    std::fs::remove_file(&path).ok();
    std::fs::remove_file(&path2).ok();
}

#[test]
fn csv_all_periods_is_one_table() {
    // Two months: one byte-order mark, one header, then both months' rows.
    let policy = shipped("p2-sales-consultant.toml");
    let months = [
        p2_month(Period::month(2016, 4)),
        p2_month(Period::month(2016, 5)),
    ];
    let mut buf = Vec::new();
    kaohe_export::csv_all(&policy, &months, &mut buf).unwrap();
    assert_eq!(buf.windows(3).filter(|w| *w == b"\xEF\xBB\xBF").count(), 1);
    let text = String::from_utf8(buf[3..].to_vec()).unwrap();
    assert_eq!(text.lines().filter(|l| l.starts_with("期间,")).count(), 1);
    assert!(text.lines().any(|l| l.starts_with("2016-04,")));
    assert!(text.lines().any(|l| l.starts_with("2016-05,")));
}
