//! kaohe-import — reading real, messy spreadsheets into engine input (数据导入).
//!
//! Rosters (花名册), period facts (考核数据), rater sheets (评分表), history (历史记录) and tie
//! decisions (并列裁决) are read from CSV (UTF-8 with or without BOM, or GBK), XLSX or XLS.
//! Title rows, two-row merged headers, totals rows, notes columns, blank rows, full-width digits,
//! thousands separators and percentages are handled; the exact conventions are in
//! `docs/data-files.md`. Every reader is all-or-nothing: either the whole file is read, or every
//! problem found (up to [`error::MAX_ERRORS`]) is returned with file, sheet, row, column, value
//! and what was expected. No input makes a reader panic.
//!
//! The `parse_*` functions work on bytes plus a file name used in messages; the `read_*`
//! functions read a path and call them.

pub mod error;
mod facts;
mod grid;
mod header;
mod history;
mod lookup;
mod ratings;
mod roster;
mod value;

pub use error::{ImportError, ImportErrors, MAX_ERRORS};
pub use facts::{parse_facts, FactsByPeriod, PERSON_NAME_HEADERS, TOTAL_HEADERS};
pub use grid::MAX_FILE_BYTES;
/// The raw cells of a file's sheets, for a preview that shows every cell (the web import
/// wizard highlights each bad cell in place).
pub use grid::{col_letter, load as load_sheets, Cell, Sheet};
pub use header::{norm as normalise_header, TOTAL_ROW_WORDS};
pub use history::{parse_decisions, parse_history, write_history_csv};
pub use lookup::PERIOD_HEADERS;
pub use ratings::{
    merge_facts, parse_ratings, GROUP_HEADERS, RATEE_ID_HEADERS, RATEE_NAME_HEADERS, RATER_HEADERS,
    SCORE_HEADERS,
};
pub use roster::{parse_roster, ID_HEADERS, NAME_HEADERS};
pub use value::{date_text as parse_date_text, parse_plain_number};

use kaohe_engine::data::{History, Period, Person, TieDecision};
use kaohe_policy::model::Cycle;
use kaohe_policy::Policy;
use std::io::Read;
use std::path::Path;

/// Read a file (at most [`MAX_FILE_BYTES`]) and its display name.
fn slurp(path: &Path) -> Result<(Vec<u8>, String), ImportErrors> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let fail = |e: std::io::Error| {
        ImportError::file(
            &name,
            format!("无法读取文件：{e}"),
            format!("cannot read the file: {e}"),
        )
    };
    let f = std::fs::File::open(path).map_err(fail)?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    Ok((bytes, name))
}

/// Read a roster (花名册).
pub fn read_roster(path: &Path) -> Result<Vec<Person>, ImportErrors> {
    let (b, n) = slurp(path)?;
    parse_roster(&b, &n)
}

/// Read period facts (考核数据) for the policy's declared inputs.
pub fn read_facts(
    path: &Path,
    policy: &Policy,
    roster: &[Person],
    period: Option<&Period>,
) -> Result<FactsByPeriod, ImportErrors> {
    let (b, n) = slurp(path)?;
    parse_facts(&b, &n, policy, roster, period)
}

/// Read a rater sheet (评分表) into the policy's ratings input; merge with [`merge_facts`].
pub fn read_ratings(
    path: &Path,
    policy: &Policy,
    roster: &[Person],
    period: Option<&Period>,
) -> Result<FactsByPeriod, ImportErrors> {
    let (b, n) = slurp(path)?;
    parse_ratings(&b, &n, policy, roster, period)
}

/// Read history (历史记录).
pub fn read_history(path: &Path, cycle: Cycle) -> Result<History, ImportErrors> {
    let (b, n) = slurp(path)?;
    parse_history(&b, &n, cycle)
}

/// Read tie decisions (并列裁决).
pub fn read_decisions(
    path: &Path,
    cycle: Cycle,
) -> Result<Vec<(Period, TieDecision)>, ImportErrors> {
    let (b, n) = slurp(path)?;
    parse_decisions(&b, &n, cycle)
}
