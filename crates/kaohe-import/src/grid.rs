//! Raw grids (原始表格): every supported file (CSV in UTF-8 or GBK, XLSX, XLS) becomes a list of
//! sheets of cells, with merged ranges forward-filled, before any meaning is given to them.
//! Sizes are capped so that no file can exhaust memory (huge used ranges, zip bombs).

use crate::error::{ImportError, ImportErrors};
use calamine::{Data, DataRef, Dimensions, Reader, Xls, Xlsx};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::io::Cursor;
use std::str::FromStr;

/// Largest input file read (64 MiB).
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// Largest uncompressed part of a workbook (256 MiB) and of all parts together (1 GiB).
const MAX_ZIP_ENTRY: u64 = 256 << 20;
const MAX_ZIP_TOTAL: u64 = 1 << 30;
/// Most non-empty cells read from one file.
const MAX_CELLS: usize = 4_000_000;
/// Most cells held in memory for one file, empty ones between used cells included.
const MAX_DENSE: usize = 8_000_000;
/// Highest row and column index kept (Excel's own limits).
const MAX_ROW: u32 = 1_048_576;
const MAX_COL: u32 = 16_384;

/// One cell as read.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Cell {
    /// Nothing (also whitespace only).
    #[default]
    Empty,
    /// Text, trimmed.
    Text(String),
    /// A number cell, exact.
    Number(Decimal),
    /// A boolean cell.
    Bool(bool),
    /// A date cell.
    Date(NaiveDate),
    /// A formula error such as `#DIV/0!`, or a value that cannot be represented.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text, for headers, ids and messages.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(d) => d.normalize().to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One sheet: `rows[r][c]`, 0-based; rows may be shorter than others.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    /// Sheet name (None for CSV).
    pub name: Option<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Cells held (row lengths added up), checked against [`MAX_DENSE`].
    dense: usize,
    /// Cells filled from a merged range whose top-left cell is on an earlier row:
    /// (row, column) → that top-left cell. A value must not be shared by several people's rows.
    filled_down: std::collections::HashMap<(usize, usize), (usize, usize)>,
}

impl Sheet {
    pub fn cell(&self, r: usize, c: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&EMPTY)
    }

    /// The top-left cell of the merged range this cell was filled from, when that cell is on
    /// an earlier row (a vertical merge).
    pub fn merged_from_above(&self, r: usize, c: usize) -> Option<(usize, usize)> {
        self.filled_down.get(&(r, c)).copied()
    }

    /// Set a cell; false when the file would hold too many cells.
    fn set(&mut self, r: usize, c: usize, v: Cell) -> bool {
        if self.rows.len() <= r {
            self.dense += r + 1 - self.rows.len();
            if self.dense > MAX_DENSE {
                return false;
            }
            self.rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            self.dense += c + 1 - row.len();
            if self.dense > MAX_DENSE {
                return false;
            }
            row.resize_with(c + 1, Cell::default);
        }
        row[c] = v;
        true
    }

    /// Copy each merged range's top-left value into the whole range, clipped to the used area.
    fn fill_merged(&mut self, regions: &[Dimensions], budget: &mut usize) {
        let height = self.rows.len() as u32;
        let width = self.rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
        for d in regions {
            let (r0, c0) = d.start;
            let (r1, c1) = (
                d.end.0.min(height.saturating_sub(1)),
                d.end.1.min(width.saturating_sub(1)),
            );
            let v = self.cell(r0 as usize, c0 as usize).clone();
            if v.is_empty() || r1 < r0 || c1 < c0 {
                continue;
            }
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if *budget == 0 {
                        return;
                    }
                    *budget -= 1;
                    if self.cell(r as usize, c as usize).is_empty() {
                        if !self.set(r as usize, c as usize, v.clone()) {
                            return;
                        }
                        if r > r0 {
                            self.filled_down
                                .insert((r as usize, c as usize), (r0 as usize, c0 as usize));
                        }
                    }
                }
            }
        }
    }
}

/// Which reader a file needs, by its first bytes (never by its name alone).
fn looks_like_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04")
}
fn looks_like_ole(b: &[u8]) -> bool {
    b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Read all sheets of a file.
pub fn load(bytes: &[u8], file: &str) -> Result<Vec<Sheet>, ImportErrors> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(
            file,
            format!("文件过大（超过 {} MiB）", MAX_FILE_BYTES >> 20),
            format!("file too large (over {} MiB)", MAX_FILE_BYTES >> 20),
        ));
    }
    if looks_like_zip(bytes) {
        read_xlsx(bytes, file)
    } else if looks_like_ole(bytes) {
        read_xls(bytes, file)
    } else {
        let lower = file.to_lowercase();
        if lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".xlsm") {
            return Err(bad_workbook(file, "not a zip or OLE file"));
        }
        read_csv(bytes, file).map(|s| vec![s])
    }
}

/// A file-level error as the readers return it.
fn fail(file: &str, zh: impl Into<String>, en: impl Into<String>) -> ImportErrors {
    ImportError::file(file, zh, en).into()
}

fn bad_workbook(file: &str, why: &str) -> ImportErrors {
    fail(
        file,
        format!("不是有效的 Excel 文件（{why}）"),
        format!("not a valid Excel workbook ({why})"),
    )
}

fn too_many_cells(file: &str) -> ImportErrors {
    fail(
        file,
        format!("表格内容过多（超过 {MAX_CELLS} 个非空单元格）"),
        format!("too much content (over {MAX_CELLS} non-empty cells)"),
    )
}

/// Decode CSV text: UTF-8 (BOM stripped), else GBK as exported by Chinese Excel.
pub fn decode_text(bytes: &[u8], file: &str) -> Result<String, ImportErrors> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if b.contains(&0) {
        return Err(fail(
            file,
            "不是文本文件（含二进制内容），应为 CSV、XLSX 或 XLS",
            "not a text file (binary content); expected CSV, XLSX or XLS",
        ));
    }
    match std::str::from_utf8(b) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => match encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(b) {
            Some(s) => Ok(s.into_owned()),
            None => Err(fail(
                file,
                "文件编码无法识别，应为 UTF-8 或 GBK",
                "unrecognised text encoding; expected UTF-8 or GBK",
            )),
        },
    }
}

fn read_csv(bytes: &[u8], file: &str) -> Result<Sheet, ImportErrors> {
    let text = decode_text(bytes, file)?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delim = if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut sheet = Sheet::default();
    let mut cells = 0usize;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            ImportError::file(
                file,
                format!("CSV 格式错误：{e}"),
                format!("malformed CSV: {e}"),
            )
        })?;
        cells += rec.len();
        if cells > MAX_CELLS.min(MAX_DENSE) || rec.len() > MAX_COL as usize {
            return Err(too_many_cells(file));
        }
        sheet.rows.push(rec.iter().map(text_cell).collect());
    }
    Ok(sheet)
}

fn text_cell(s: &str) -> Cell {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(t.to_string())
    }
}

/// An f64 from a workbook as the exact decimal it displays as (shortest round-trip text).
fn float_cell(f: f64) -> Cell {
    if !f.is_finite() {
        return Cell::Error(format!("{f}"));
    }
    match Decimal::from_str(&format!("{f}")) {
        Ok(d) => Cell::Number(d),
        // Too large or too small for exact decimals (beyond 28 digits): shown short, as 1e308.
        Err(_) => Cell::Error(format!("{f:e}")),
    }
}

fn serial_date(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_duration() {
        return float_cell(dt.as_f64());
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)) {
        Some(date) => Cell::Date(date),
        None => Cell::Error(format!("{}", dt.as_f64())),
    }
}

fn iso_date(s: &str) -> Cell {
    let day = s.get(..10).unwrap_or(s);
    match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(d) => Cell::Date(d),
        Err(_) => text_cell(s),
    }
}

fn from_ref(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(Decimal::from(*i)),
        DataRef::Float(f) => float_cell(*f),
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => serial_date(dt),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => text_cell(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(v: &Data) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(Decimal::from(*i)),
        Data::Float(f) => float_cell(*f),
        Data::String(s) => text_cell(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => serial_date(dt),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => text_cell(s),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// Refuse zip bombs before calamine inflates anything.
fn check_zip(bytes: &[u8], file: &str) -> Result<(), ImportErrors> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad_workbook(file, &e.to_string()))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| bad_workbook(file, &e.to_string()))?;
        let size = entry.size();
        total = total.saturating_add(size);
        let ratio_bad = size > (16 << 20) && size / entry.compressed_size().max(1) > 200;
        if size > MAX_ZIP_ENTRY || total > MAX_ZIP_TOTAL || ratio_bad {
            return Err(bad_workbook(
                file,
                "compressed content too large / 解压后过大",
            ));
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], file: &str) -> Result<Vec<Sheet>, ImportErrors> {
    check_zip(bytes, file)?;
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| bad_workbook(file, &e.to_string()))?;
    let mut out = Vec::new();
    let mut cells = 0usize;
    let mut fill_budget = MAX_CELLS;
    for name in wb.sheet_names() {
        let merged = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let mut sheet = Sheet {
            name: Some(name.clone()),
            ..Sheet::default()
        };
        {
            let mut rdr = match wb.worksheet_cells_reader(&name) {
                Ok(r) => r,
                // Chart sheets and the like have no cells.
                Err(_) => continue,
            };
            loop {
                let cell = match rdr.next_cell() {
                    Ok(Some(c)) => c,
                    Ok(None) => break,
                    Err(e) => return Err(bad_workbook(file, &e.to_string())),
                };
                let v = from_ref(cell.get_value());
                if v.is_empty() {
                    continue;
                }
                let (r, c) = cell.get_position();
                cells += 1;
                if cells > MAX_CELLS
                    || r >= MAX_ROW
                    || c >= MAX_COL
                    || !sheet.set(r as usize, c as usize, v)
                {
                    return Err(too_many_cells(file));
                }
            }
        }
        sheet.fill_merged(&merged, &mut fill_budget);
        out.push(sheet);
    }
    Ok(out)
}

fn read_xls(bytes: &[u8], file: &str) -> Result<Vec<Sheet>, ImportErrors> {
    let mut wb: Xls<_> =
        Xls::new(Cursor::new(bytes)).map_err(|e| bad_workbook(file, &e.to_string()))?;
    let mut out = Vec::new();
    let mut cells = 0usize;
    let mut fill_budget = MAX_CELLS;
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let mut sheet = Sheet {
            name: Some(name.clone()),
            ..Sheet::default()
        };
        for (r, c, v) in range.used_cells() {
            let v = from_data(v);
            if v.is_empty() {
                continue;
            }
            cells += 1;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            if cells > MAX_CELLS || !sheet.set(r + r0 as usize, c + c0 as usize, v) {
                return Err(too_many_cells(file));
            }
        }
        let merged = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheet.fill_merged(&merged, &mut fill_budget);
        out.push(sheet);
    }
    Ok(out)
}

/// Excel column letters: 0 → A, 25 → Z, 26 → AA.
pub fn col_letter(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}
