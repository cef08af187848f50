//! kaohe-export — writing results for people (结果导出).
//!
//! Turns an engine [`PeriodResult`] into what HR reads and files:
//! - [`table`]: the ranked terminal table with the line drawn, marks, history and outcomes, and
//!   a section of everything that needs a person's decision (需要人工裁决);
//! - [`person`]: everything about one person, for `kaohe explain`, including the labour-law
//!   requirements of every outcome (LABOUR-LAW.md);
//! - [`json`]: the full result, exact decimals as strings;
//! - [`ranking`]: the ranking without its texts, for reading many times (the server's API);
//! - [`csv`]: one row per person, Chinese header, UTF-8 with BOM for Excel;
//! - [`xlsx`]: the seed's score-sheet layout (P2.5), one sheet per period, plus a 说明 sheet.
//!
//! Values stay exact until written: every number shown or written here goes through
//! [`kaohe_engine::display`] (half away from zero, the policy's decimals, X2).

mod columns;
mod csv_out;
pub mod labels;
mod person;
pub mod ranking;
mod rows;
mod table;
mod text;
mod xlsx;

use kaohe_engine::PeriodResult;
use kaohe_policy::Policy;
use std::io::Write;
use std::path::Path;

pub use labels::EMPTY_MESSAGE;
pub use person::because;

/// Output language (输出语言). Chinese is the default everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

/// An error while writing a file (导出错误).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing failed.
    #[error("写入失败 / write failed: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV writer failed.
    #[error("CSV 写入失败 / CSV write failed: {0}")]
    Csv(#[from] ::csv::Error),
    /// The XLSX writer failed.
    #[error("XLSX 写入失败 / XLSX write failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// More people than an Excel sheet has rows.
    #[error("期间 {period} 有 {rows} 人，超出 Excel 单表行数上限（1,048,576 行），请改用 CSV 或 JSON / period {period} has {rows} people, more than an Excel sheet holds (1,048,576 rows): use CSV or JSON")]
    TooManyRows {
        /// Period label.
        period: String,
        /// People in the period.
        rows: usize,
    },
}

/// The ranked terminal table of one period (终端排名表), at most ~120 columns wide.
pub fn table(policy: &Policy, result: &PeriodResult, lang: Lang) -> String {
    table::render(policy, result, lang)
}

/// Everything about one person (个人说明, `kaohe explain`); `None` if the id is not in the result.
pub fn person(
    policy: &Policy,
    result: &PeriodResult,
    person_id: &str,
    lang: Lang,
) -> Option<String> {
    person::render(policy, result, person_id, lang)
}

/// The whole result as pretty JSON; stable field order, exact decimals as strings.
pub fn json(result: &PeriodResult) -> String {
    match serde_json::to_string_pretty(result) {
        Ok(text) => text,
        // Unreachable for these types (all map keys are strings); never panic on it.
        Err(e) => serde_json::json!({ "error": e.to_string() }).to_string(),
    }
}

/// One CSV row per person, Chinese header, UTF-8 with BOM; numbers rounded for display.
pub fn csv(policy: &Policy, result: &PeriodResult, w: impl Write) -> Result<(), ExportError> {
    csv_out::write(policy, std::slice::from_ref(result), w)
}

/// Several periods as one CSV table: one byte-order mark, one header, every period's rows.
pub fn csv_all(
    policy: &Policy,
    results: &[PeriodResult],
    w: impl Write,
) -> Result<(), ExportError> {
    csv_out::write(policy, results, w)
}

/// An XLSX workbook in the score-sheet layout (P2.5): one sheet per period, then 说明.
pub fn xlsx(policy: &Policy, results: &[PeriodResult], path: &Path) -> Result<(), ExportError> {
    xlsx::write(policy, results, path)
}
