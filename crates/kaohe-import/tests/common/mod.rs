//! Shared test fixtures: a small policy, a roster, and helpers that build real XLSX files.

#![allow(dead_code)]

use kaohe_engine::data::Person;
use kaohe_policy::Policy;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

pub const POLICY: &str = r#"
[policy]
id = "test"
version = "1"
name = "测试制度"
cycle = "monthly"

[[input]]
id = "daily"
name = "日常工作"
type = "decimal"
headers = ["日常工作", "日常考勤"]
min = 0
max = 10

[[input]]
id = "sales"
name = "销售额"
type = "decimal"
headers = ["销售额", "回款"]

[[input]]
id = "units"
name = "套数"
type = "integer"
headers = ["套数", "成交套数"]

[[input]]
id = "rate"
name = "完成率"
type = "percent"
headers = ["完成率"]
required = false

[[input]]
id = "veto"
name = "违纪"
type = "yes_no"
headers = ["违纪"]
required = false

[[input]]
id = "calls"
name = "电话量"
type = "series"
headers = ["电话量"]
length = 5
required = false

[[input]]
id = "peer"
name = "评分"
type = "ratings"

[[indicator]]
id = "peer_score"
name = "多人评分"
raters = { input = "peer", groups = [
  { group = "同事", weight = 50, order = 1 },
  { group = "部门负责人", weight = 50, order = 2 },
], min = 0, max = 100 }
"#;

pub fn policy() -> Policy {
    match kaohe_policy::load_str(POLICY, "test.toml") {
        Ok(p) => p,
        Err(e) => panic!("test policy: {e:?}"),
    }
}

/// Roster: E001 张三, E002 李四, E003 王五, E004 赵六, E005 and E006 both 陈晨.
pub const ROSTER_CSV: &str = "\u{feff}工号,姓名,分公司,职级,入职日期,状态,手机\n\
E001,张三,一分公司,初级,2023-01-05,转正,13800000001\n\
E002,李四,一分公司,中级,2022/3/1,转正,\n\
E003,王五,二分公司,初级,2024年4月10日,试用,\n\
E004,赵六,二分公司,高级,2020-07-01,转正,\n\
E005,陈晨,二分公司,初级,2021-01-01,转正,\n\
E006,陈晨,一分公司,初级,2021-01-01,转正,\n";

pub fn roster() -> Vec<Person> {
    match kaohe_import::parse_roster(ROSTER_CSV.as_bytes(), "roster.csv") {
        Ok(r) => r,
        Err(e) => panic!("roster: {e}"),
    }
}

/// A cell to write.
pub enum C<'a> {
    S(&'a str),
    N(f64),
    B(bool),
}

pub fn write_row(ws: &mut Worksheet, row: u32, cells: &[C]) {
    for (i, c) in cells.iter().enumerate() {
        let col = i as u16;
        let r = match c {
            C::S("") => Ok(()),
            C::S(s) => ws.write_string(row, col, *s).map(|_| ()),
            C::N(n) => ws.write_number(row, col, *n).map(|_| ()),
            C::B(b) => ws.write_boolean(row, col, *b).map(|_| ()),
        };
        if let Err(e) = r {
            panic!("write: {e}");
        }
    }
}

pub fn merge(ws: &mut Worksheet, r0: u32, c0: u16, r1: u32, c1: u16, text: &str) {
    if let Err(e) = ws.merge_range(r0, c0, r1, c1, text, &Format::new()) {
        panic!("merge: {e}");
    }
}

pub fn save(wb: &mut Workbook) -> Vec<u8> {
    match wb.save_to_buffer() {
        Ok(b) => b,
        Err(e) => panic!("save: {e}"),
    }
}
