//! Facts import from real XLSX/CSV files: title rows, two-row merged headers, totals rows, notes
//! columns, blank rows, full-width digits, thousands separators, percentages, errors with exact
//! positions (issue #2 item 5).

mod common;
use common::*;
use kaohe_engine::data::{Period, Value};
use kaohe_import::{parse_facts, ImportErrors};
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

fn num(s: &str) -> Value {
    Value::Number(d(s))
}

fn errors(r: Result<kaohe_import::FactsByPeriod, ImportErrors>) -> Vec<kaohe_import::ImportError> {
    match r {
        Ok(v) => panic!("expected errors, got {v:?}"),
        Err(e) => e.0,
    }
}

/// The messy sheet: title row, two-row header (日常工作 over (10分), 电话量 merged over 1..5),
/// 备注 column, a blank row, full-width digits, "1,234", "85%", a 合计 row.
fn messy_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2024-05").unwrap_or_else(|e| panic!("{e}"));
    merge(ws, 0, 0, 0, 13, "置业顾问末位淘汰评分表 2024年5月");
    merge(ws, 1, 0, 2, 0, "序号");
    merge(ws, 1, 1, 2, 1, "置业顾问");
    write_row(ws, 1, &[C::S(""), C::S(""), C::S("日常工作")]);
    write_row(ws, 2, &[C::S(""), C::S(""), C::S("(10分)")]);
    merge(ws, 1, 3, 2, 3, "销售额 (元)");
    merge(ws, 1, 4, 2, 4, "成交套数（每套10分）");
    merge(ws, 1, 5, 2, 5, "完成率");
    merge(ws, 1, 6, 1, 10, "电话量");
    for i in 0..5u16 {
        write_row(ws, 2, &[]);
        ws.write_string(2, 6 + i, (i + 1).to_string())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    merge(ws, 1, 11, 2, 11, "违纪");
    merge(ws, 1, 12, 2, 12, "合计");
    merge(ws, 1, 13, 2, 13, "备注");
    // Excel row 4
    write_row(
        ws,
        3,
        &[
            C::N(1.0),
            C::S("张三"),
            C::N(8.5),
            C::S("1,234"),
            C::N(3.0),
            C::S("85%"),
            C::N(10.0),
            C::N(12.0),
            C::N(8.0),
            C::N(9.0),
            C::N(11.0),
            C::S("否"),
            C::N(20.5),
            C::S("表现良好"),
        ],
    );
    // Excel row 5 blank; Excel row 6
    write_row(
        ws,
        5,
        &[
            C::N(2.0),
            C::S("李四"),
            C::S("９.５"),
            C::N(5000.0),
            C::S("２"),
            C::N(0.9),
            C::S("10"),
            C::S("0"),
            C::S("5"),
            C::S("5"),
            C::S("5"),
            C::B(true),
        ],
    );
    // Excel row 7: totals
    write_row(
        ws,
        6,
        &[C::S("合计"), C::S(""), C::N(18.0), C::N(6234.0), C::N(5.0)],
    );
    save(&mut wb)
}

#[test]
fn messy_workbook_loads_exact_values() {
    let facts = parse_facts(&messy_workbook(), "facts.xlsx", &policy(), &roster(), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let may = Period::month(2024, 5);
    assert_eq!(
        facts.keys().collect::<Vec<_>>(),
        vec![&may],
        "period from the sheet name"
    );
    let people = &facts[&may];
    assert_eq!(people.len(), 2, "blank and 合计 rows skipped");
    let z = &people["E001"];
    assert_eq!(z.values["daily"], num("8.5"));
    assert_eq!(z.values["sales"], num("1234"), "\"1,234\" → 1234");
    assert_eq!(z.values["units"], num("3"));
    assert_eq!(z.values["rate"], num("0.85"), "\"85%\" → 0.85");
    assert_eq!(
        z.values["calls"],
        Value::Series(vec![d("10"), d("12"), d("8"), d("9"), d("11")])
    );
    assert_eq!(z.values["veto"], Value::Bool(false));
    assert_eq!(z.typed_total, Some(d("20.5")));
    assert_eq!(z.source.row, Some(4));
    assert_eq!(z.source.sheet.as_deref(), Some("2024-05"));
    let l = &people["E002"];
    assert_eq!(l.values["daily"], num("9.5"), "full-width ９.５");
    assert_eq!(l.values["units"], num("2"), "full-width ２");
    assert_eq!(l.values["rate"], num("0.9"));
    assert_eq!(
        l.values["calls"],
        Value::Series(vec![d("10"), d("0"), d("5"), d("5"), d("5")])
    );
    assert_eq!(l.values["veto"], Value::Bool(true));
    assert_eq!(l.typed_total, None);
    assert_eq!(l.source.row, Some(6));
    assert!(
        !l.values.contains_key("peer"),
        "ratings are not read from the facts sheet"
    );
}

fn error_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2024-05").unwrap_or_else(|e| panic!("{e}"));
    write_row(ws, 0, &[C::S("五月考核")]);
    write_row(
        ws,
        1,
        &[
            C::S("工号"),
            C::S("姓名"),
            C::S("日常考勤"),
            C::S("销售额"),
            C::S("套数"),
            C::S("备注"),
        ],
    );
    write_row(
        ws,
        2,
        &[
            C::S("E001"),
            C::S("张三"),
            C::N(8.0),
            C::N(100.0),
            C::N(1.0),
        ],
    );
    write_row(
        ws,
        3,
        &[
            C::S("E002"),
            C::S("李四"),
            C::S("十"),
            C::N(100.0),
            C::N(1.0),
        ],
    );
    write_row(
        ws,
        4,
        &[
            C::S("E999"),
            C::S("某某"),
            C::N(5.0),
            C::N(100.0),
            C::N(1.0),
        ],
    );
    write_row(
        ws,
        5,
        &[C::S("E003"), C::S("王五"), C::N(5.0), C::S(""), C::N(1.0)],
    );
    write_row(
        ws,
        6,
        &[
            C::S("E004"),
            C::S("赵六"),
            C::N(11.0),
            C::N(100.0),
            C::N(1.5),
        ],
    );
    save(&mut wb)
}

#[test]
fn bad_cells_are_errors_with_exact_positions() {
    let errs = errors(parse_facts(
        &error_workbook(),
        "facts.xlsx",
        &policy(),
        &roster(),
        None,
    ));
    let got: Vec<(Option<u32>, Option<String>, Option<String>)> = errs
        .iter()
        .map(|e| (e.row, e.column.clone(), e.value.clone()))
        .collect();
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        got,
        vec![
            (Some(4), s("C 日常考勤"), s("十")), // text in a numeric cell: never a zero
            (Some(5), s("A 工号"), s("E999")),   // not on the roster
            (Some(6), s("D 销售额"), None),      // required value missing
            (Some(7), s("C 日常考勤"), s("11")), // above max 10
            (Some(7), s("E 套数"), s("1.5")),    // integer with a fraction
        ]
    );
    assert_eq!(
        errs[0].to_string(),
        "facts.xlsx [2024-05] 第4行 C列「日常考勤」: 值 \"十\" 不是数字，应为数值 / row 4 column C (日常考勤): \"十\" is not a number; expected a decimal"
    );
    assert!(errs.iter().all(|e| e.sheet.as_deref() == Some("2024-05")));
}

#[test]
fn gbk_csv_with_period_column() {
    let text =
        "工号,月份,日常考勤,销售额,套数\nE001,2024年5月,8,\"1,234\",2\nE002,2024-06,9,100,1\n";
    let (bytes, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    assert!(std::str::from_utf8(&bytes).is_err(), "really GBK");
    let facts = parse_facts(&bytes, "gbk.csv", &policy(), &roster(), None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        facts[&Period::month(2024, 5)]["E001"].values["sales"],
        num("1234")
    );
    assert_eq!(
        facts[&Period::month(2024, 6)]["E002"].values["daily"],
        num("9")
    );
    assert!(!facts[&Period::month(2024, 5)].contains_key("E002"));
}

#[test]
fn sheet_per_period_workbook_skips_notes_sheet() {
    let mut wb = Workbook::new();
    for (name, score) in [("2024年5月", 7.0), ("2024-06", 9.0)] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap_or_else(|e| panic!("{e}"));
        write_row(
            ws,
            0,
            &[C::S("工号"), C::S("日常考勤"), C::S("销售额"), C::S("套数")],
        );
        write_row(ws, 1, &[C::S("E001"), C::N(score), C::N(10.0), C::N(1.0)]);
    }
    let ws = wb.add_worksheet();
    ws.set_name("说明").unwrap_or_else(|e| panic!("{e}"));
    write_row(ws, 0, &[C::S("本表由人事部填写")]);
    let facts = parse_facts(&save(&mut wb), "months.xlsx", &policy(), &roster(), None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(facts.len(), 2);
    assert_eq!(
        facts[&Period::month(2024, 5)]["E001"].values["daily"],
        num("7")
    );
    assert_eq!(
        facts[&Period::month(2024, 6)]["E001"].values["daily"],
        num("9")
    );
}

#[test]
fn period_from_argument_and_none_is_an_error() {
    let csv = "工号,日常考勤,销售额,套数\nE001,8,10,1\n";
    let may = Period::month(2024, 5);
    let facts = parse_facts(csv.as_bytes(), "f.csv", &policy(), &roster(), Some(&may))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(facts[&may]["E001"].values["units"], num("1"));
    let errs = errors(parse_facts(
        csv.as_bytes(),
        "f.csv",
        &policy(),
        &roster(),
        None,
    ));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].expected_en.contains("cannot tell the period"));
}

#[test]
fn duplicate_names_need_an_id_column() {
    let csv = "姓名,日常考勤,销售额,套数\n陈晨,8,10,1\n张三,8,10,1\n";
    let may = Period::month(2024, 5);
    let errs = errors(parse_facts(
        csv.as_bytes(),
        "f.csv",
        &policy(),
        &roster(),
        Some(&may),
    ));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].row, Some(2));
    assert!(errs[0].expected_zh.contains("E005、E006"), "{}", errs[0]);
}

#[test]
fn series_in_one_cell_and_missing_required_column() {
    let may = Period::month(2024, 5);
    let csv = "工号,日常考勤,销售额,套数,电话量\nE001,8,10,1,\"3，4、5/6 7\"\nE002,8,10,1,1;2\n";
    let errs = errors(parse_facts(
        csv.as_bytes(),
        "f.csv",
        &policy(),
        &roster(),
        Some(&may),
    ));
    // E001: 3,4,5,6,7 is fine; E002 has 2 values where 5 are required.
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (errs[0].row, errs[0].column.as_deref()),
        (Some(3), Some("E 电话量"))
    );
    let ok = "工号,日常考勤,销售额,套数,电话量\nE001,8,10,1,\"3，4、5/6 7\"\n";
    let facts = parse_facts(ok.as_bytes(), "f.csv", &policy(), &roster(), Some(&may))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        facts[&may]["E001"].values["calls"],
        Value::Series(vec![d("3"), d("4"), d("5"), d("6"), d("7")])
    );
    let no_sales = "工号,日常考勤,套数\nE001,8,1\n";
    let errs = errors(parse_facts(
        no_sales.as_bytes(),
        "f.csv",
        &policy(),
        &roster(),
        Some(&may),
    ));
    assert!(
        errs[0]
            .expected_en
            .contains("missing required column 销售额"),
        "{}",
        errs[0]
    );
}

#[test]
fn day_columns_with_bracketed_markers() {
    let may = Period::month(2024, 5);
    let csv = "工号,日常考勤,销售额,套数,电话量(第1天),电话量(第2天),电话量(第3天),电话量(第4天),电话量(第5天),达成率(%)\n\
               E001,8,10,1,1,2,3,4,5,85\n";
    let facts = parse_facts(csv.as_bytes(), "f.csv", &policy(), &roster(), Some(&may))
        .unwrap_or_else(|e| panic!("{e}"));
    let f = &facts[&may]["E001"];
    assert_eq!(
        f.values["calls"],
        Value::Series(vec![d("1"), d("2"), d("3"), d("4"), d("5")])
    );
    assert!(
        !f.values.contains_key("rate"),
        "达成率 is not a header of 完成率"
    );
}

#[test]
fn percent_column_header_makes_bare_numbers_percentages() {
    let may = Period::month(2024, 5);
    let csv = "工号,日常考勤,销售额,套数,完成率(%)\nE001,8,10,1,85\nE002,8,10,1,0.9%\n";
    let facts = parse_facts(csv.as_bytes(), "f.csv", &policy(), &roster(), Some(&may))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(facts[&may]["E001"].values["rate"], num("0.85"));
    assert_eq!(facts[&may]["E002"].values["rate"], num("0.009"));
}

/// A 销售额 cell merged down over two people's rows (C2:C3): the value is 张三's, and 李四's row
/// must not silently receive it — an error naming the range, nothing read. A merged text column
/// (the branch) is filled as before.
#[test]
fn a_value_merged_over_two_people_is_an_error() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    if let Err(e) = ws.set_name("2024-05") {
        panic!("{e}");
    }
    write_row(
        ws,
        0,
        &[
            C::S("工号"),
            C::S("姓名"),
            C::S("销售额"),
            C::S("日常工作"),
            C::S("套数"),
        ],
    );
    write_row(
        ws,
        1,
        &[C::S("E001"), C::S("张三"), C::S(""), C::N(8.0), C::N(1.0)],
    );
    write_row(
        ws,
        2,
        &[C::S("E002"), C::S("李四"), C::S(""), C::N(9.0), C::N(2.0)],
    );
    merge(ws, 1, 2, 2, 2, "98");
    let errs = errors(parse_facts(
        &save(&mut wb),
        "m.xlsx",
        &policy(),
        &roster(),
        None,
    ));
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = &errs[0];
    assert_eq!(e.row, Some(3), "李四's row, as Excel numbers it");
    assert!(e.column.as_deref().unwrap_or("").starts_with('C'), "{e:?}");
    assert!(
        e.expected_zh.contains("C2:C3") && e.expected_en.contains("unmerge"),
        "{e:?}"
    );
}

/// 1e308 in a number cell: not a "formula error", and not printed with 309 digits.
#[test]
fn a_number_beyond_exact_decimals_is_named_short() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    if let Err(e) = ws.set_name("2024-05") {
        panic!("{e}");
    }
    write_row(
        ws,
        0,
        &[
            C::S("工号"),
            C::S("姓名"),
            C::S("销售额"),
            C::S("日常工作"),
            C::S("套数"),
        ],
    );
    write_row(
        ws,
        1,
        &[
            C::S("E001"),
            C::S("张三"),
            C::N(1e308),
            C::N(8.0),
            C::N(1.0),
        ],
    );
    let errs = errors(parse_facts(
        &save(&mut wb),
        "big.xlsx",
        &policy(),
        &roster(),
        None,
    ));
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = &errs[0];
    assert_eq!(e.value.as_deref(), Some("1e308"));
    assert!(
        e.expected_zh.contains("超出") && !e.expected_zh.contains("公式"),
        "{e:?}"
    );
}
