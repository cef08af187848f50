//! PDF output (PDF 排版) through typst used as a library: real CJK line breaking, and only the
//! glyphs used are embedded (font subsetting).
//!
//! The markup blocks are turned into typst code in which every text is a typst string
//! literal, so nothing a template or the data says is ever read as typst markup. The font is
//! Noto Sans SC Regular (SIL OFL 1.1, `fonts/OFL.txt`), compiled into the binary: the PDF
//! needs nothing installed. A character the font lacks is an error, not an empty box (a
//! letter must show the person's name right); the DOCX can still be made.

use std::fmt::Write as _;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::markup::Block;
use crate::{DocData, DocError, DocKind};

/// The embedded font: Noto Sans SC Regular (SIL Open Font License 1.1).
pub static FONT_DATA: &[u8] = include_bytes!("../fonts/NotoSansSC-Regular.ttf");

static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| Font::iter(Bytes::new(FONT_DATA)).collect());
static BOOK: LazyLock<LazyHash<FontBook>> =
    LazyLock::new(|| LazyHash::new(FontBook::from_fonts(FONTS.iter())));
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(<Library as LibraryExt>::default()));

/// The characters of `text` that the embedded font cannot show (whitespace and control
/// characters aside), each once, in order of appearance.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let Some(font) = FONTS.first() else {
        return Vec::new();
    };
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || out.contains(&c) {
            continue;
        }
        if !font.info().coverage.contains(c as u32) {
            out.push(c);
        }
    }
    out
}

/// A typst string literal holding `s`.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const PREAMBLE: &str = r#"
#set page(paper: "a4", margin: (x: 2.6cm, top: 2.4cm, bottom: 2.4cm),
  footer: context align(center, text(size: 8.5pt, fill: luma(110),
    counter(page).display("1 / 1", both: true))))
#set par(justify: true, leading: 0.85em, spacing: 1.05em,
  first-line-indent: (amount: 2em, all: true))
#let kbold(body) = text(stroke: 0.28pt + black, body)
#let ktitle(body) = align(center, block(below: 1.6em,
  text(size: 18pt, tracking: 0.1em, kbold(body))))
#let kheading(body) = block(above: 1.3em, below: 0.75em, sticky: true,
  text(size: 12pt, kbold(body)))
#let kcenter(body) = align(center, block(above: -0.6em, below: 1.4em, body))
#let kright(body) = align(right, block(above: 0.45em, below: 0.45em, body))
#let kbullet(body) = block(above: 0.6em, below: 0.6em, inset: (left: 2em),
  grid(columns: (1.2em, 1fr), [•], body))
#let knote(body) = block(above: 1em, below: 1em, width: 100%, inset: 8pt,
  stroke: 0.5pt + luma(150), radius: 2pt, text(size: 9.5pt, fill: luma(40), body))
#let ksign(label) = block(above: 1.5em, grid(columns: (auto, 13em), align: bottom,
  label, line(length: 100%, stroke: 0.5pt)))
#show table.cell: set par(justify: false)
"#;

/// The typst source of a document.
fn source(kind: DocKind, data: &DocData, doc: &[Block], family: &str) -> String {
    let mut s = String::new();
    let title = match &data.person {
        Some(p) if kind.is_letter() => format!("{} {}", kind.zh(), p.name),
        _ => format!("{} {}", kind.zh(), data.unit),
    };
    let _ = writeln!(
        s,
        "#set document(title: {}, author: {})",
        lit(&title),
        lit(&data.company)
    );
    let _ = writeln!(
        s,
        "#set text(font: {}, size: 11pt, lang: \"zh\", region: \"cn\", fallback: false, cjk-latin-spacing: none)",
        lit(family)
    );
    s.push_str(PREAMBLE);
    for block in doc {
        match block {
            Block::Title(t) => {
                let _ = writeln!(s, "#ktitle({})", lit(t));
            }
            Block::Heading(t) => {
                let _ = writeln!(s, "#kheading({})", lit(t));
            }
            Block::Center(t) => {
                let _ = writeln!(s, "#kcenter({})", lit(t));
            }
            Block::Para(t) => {
                let _ = writeln!(s, "#par({})", lit(t));
            }
            Block::Right(t) => {
                let _ = writeln!(s, "#kright({})", lit(t));
            }
            Block::Bullet(t) => {
                let _ = writeln!(s, "#kbullet({})", lit(t));
            }
            Block::Note(t) => {
                let _ = writeln!(s, "#knote({})", lit(t));
            }
            Block::Sign(t) => {
                let _ = writeln!(s, "#ksign({})", lit(t));
            }
            Block::Space => s.push_str("#v(1.2em)\n"),
            Block::Table => table(&mut s, data),
        }
    }
    s
}

/// Column titles of the rows table.
pub(crate) const TABLE_HEADER: [&str; 6] = ["名次", "工号", "姓名", "单位", "考核结果", "状态"];

/// The cells of one row of the rows table.
pub(crate) fn row_cells(r: &crate::DocRow) -> [String; 6] {
    [
        r.rank.map(|n| n.to_string()).unwrap_or_default(),
        r.id.clone(),
        r.name.clone(),
        r.unit.clone(),
        r.score.clone(),
        r.status.clone(),
    ]
}

fn table(s: &mut String, data: &DocData) {
    s.push_str(
        "#block(above: 1em, below: 1em, table(columns: (auto, auto, 1fr, 1.4fr, auto, auto),\n\
         inset: (x: 5pt, y: 4pt), stroke: 0.5pt + luma(120),\n\
         fill: (_, y) => if y == 0 { luma(235) },\n\
         align: (center + horizon, left + horizon, left + horizon, left + horizon, right + horizon, center + horizon),\n\
         table.header(",
    );
    for h in TABLE_HEADER {
        let _ = write!(s, "kbold({}), ", lit(h));
    }
    s.push_str("),\n");
    if data.rows.is_empty() {
        s.push_str("table.cell(colspan: 6, align: center, \"（无数据）\"),\n");
    }
    for r in &data.rows {
        for cell in row_cells(r) {
            let _ = write!(s, "{}, ", lit(&cell));
        }
        s.push('\n');
    }
    s.push_str("))\n");
}

struct DocWorld {
    main: Source,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &BOOK
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_string()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.get(index).cloned()
    }

    /// No clock: the document's date is an input.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn diagnostics(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Lays out the blocks as a PDF.
pub(crate) fn render(kind: DocKind, data: &DocData, doc: &[Block]) -> Result<Vec<u8>, DocError> {
    let Some(font) = FONTS.first() else {
        return Err(DocError::render(
            "内置中文字体无法加载",
            "the embedded Chinese font could not be loaded",
        ));
    };
    let mut text: String = doc.iter().map(|b| b.text()).collect();
    if doc.contains(&Block::Table) {
        text.extend(TABLE_HEADER);
        for r in &data.rows {
            text.extend(row_cells(r));
        }
    }
    let missing = missing_glyphs(&text);
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|c| format!("{c}（U+{:04X}）", *c as u32))
            .collect();
        let list = list.join("、");
        return Err(DocError::data(
            format!("PDF 内置字体缺少以下字符：{list}；请改用 DOCX 格式，或改写这些字符"),
            format!(
                "the PDF's embedded font lacks these characters: {list}; use DOCX, or write them differently"
            ),
        ));
    }
    let family = font.info().family.clone();
    let world = DocWorld {
        main: Source::detached(source(kind, data, doc, &family)),
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // Keep typst's memo cache small in a long-running server.
    typst::comemo::evict(10);
    let document = compiled.map_err(|errors| {
        let msg = diagnostics(&errors);
        DocError::render(
            format!("PDF 排版失败：{msg}"),
            format!("PDF layout failed: {msg}"),
        )
    })?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("kaohe-docs/{}", kind.code())),
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        let msg = diagnostics(&errors);
        DocError::render(
            format!("PDF 生成失败：{msg}"),
            format!("PDF export failed: {msg}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape() {
        assert_eq!(lit(r#"a"b\c#[x]"#), r#""a\"b\\c#[x]""#);
        assert_eq!(lit("a\nb"), r#""a\nb""#);
    }

    #[test]
    fn font_covers_rare_name_characters() {
        // Names seen in Chinese staff lists that small CJK subsets lack.
        assert_eq!(missing_glyphs("李喆王堃张赟刘珺"), Vec::<char>::new());
        assert_eq!(FONTS.len(), 1);
        assert_eq!(FONTS[0].info().family, "Noto Sans SC");
    }
}
