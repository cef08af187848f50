//! Small helpers around rust_xlsxwriter (表格写出): cells, rows and deterministic workbooks.
//!
//! Values are kept as decimal text until the moment they are written, so the example data is
//! exactly what the generator's tables say; Excel itself stores numbers as binary floats.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// One cell of an example sheet.
#[derive(Clone, Debug)]
pub enum Cell {
    /// Text, written as is (also "１８０", "1,234", "85%": messy on purpose).
    T(String),
    /// A number, given as exact decimal text and written as an Excel number.
    N(String),
    /// A date (year, month, day) with a date format.
    D(u16, u8, u8),
    /// Nothing.
    E,
}

/// Text cell.
pub fn t(s: impl Into<String>) -> Cell {
    Cell::T(s.into())
}

/// Number cell from decimal text.
pub fn n(s: impl ToString) -> Cell {
    Cell::N(s.to_string())
}

/// A decimal given in tenths (e.g. 725 → "72.5"), without floats.
pub fn tenths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    if a % 10 == 0 {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

/// A decimal given in hundredths (e.g. 85 → "0.85").
pub fn hundredths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    let frac = a % 100;
    if frac == 0 {
        format!("{sign}{}", a / 100)
    } else if frac % 10 == 0 {
        format!("{sign}{}.{}", a / 100, frac / 10)
    } else {
        format!("{sign}{}.{:02}", a / 100, frac)
    }
}

/// Full-width digits, as some people type them (１８０).
pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            '.' => '．',
            other => other,
        })
        .collect()
}

/// A workbook whose bytes depend only on its content (fixed creation date).
pub fn workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 1, 1)?;
    let props = DocProperties::new()
        .set_creation_datetime(&created)
        .set_author("kaohe make-examples")
        .set_comment("虚构的示例数据 / fictional example data");
    wb.set_properties(&props);
    Ok(wb)
}

/// Write one row of cells starting at column 0.
pub fn row(ws: &mut Worksheet, r: u32, cells: &[Cell]) -> Result<(), XlsxError> {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, cell) in cells.iter().enumerate() {
        let c = c as u16;
        match cell {
            Cell::T(s) => {
                ws.write_string(r, c, s)?;
            }
            Cell::N(s) => {
                let v: f64 = s
                    .parse()
                    .map_err(|_| XlsxError::ParameterError(format!("not a number: {s}")))?;
                ws.write_number(r, c, v)?;
            }
            Cell::D(y, m, d) => {
                let dt = ExcelDateTime::from_ymd(*y, *m, *d)?;
                ws.write_date_with_format(r, c, &dt, &date)?;
            }
            Cell::E => {}
        }
    }
    Ok(())
}

/// Write a header row and data rows from `start`; returns the next free row.
pub fn table(
    ws: &mut Worksheet,
    start: u32,
    header: &[&str],
    rows: &[Vec<Cell>],
) -> Result<u32, XlsxError> {
    let head: Vec<Cell> = header.iter().map(|h| t(*h)).collect();
    row(ws, start, &head)?;
    for (i, r) in rows.iter().enumerate() {
        row(ws, start + 1 + i as u32, r)?;
    }
    for c in 0..header.len() as u16 {
        ws.set_column_width(c, 14)?;
    }
    Ok(start + 1 + rows.len() as u32)
}
