//! DOCX output (Word 文档) through docx-rs, for editing in Word or WPS.
//!
//! Runs set the East Asian font (`w:eastAsia`) so that Word shows Chinese with a Chinese face:
//! 宋体 for text, 黑体 for the title and headings (present on every Chinese Windows; Word
//! substitutes elsewhere). A4, margins as in the PDF.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
    Table, TableCell, TableRow, WidthType,
};

use crate::markup::Block;
use crate::pdf::{row_cells, TABLE_HEADER};
use crate::{DocData, DocError, DocKind};

/// Chinese text face.
const BODY_ZH: &str = "宋体";
/// Chinese heading face.
const HEAD_ZH: &str = "黑体";
/// Latin face.
const LATIN: &str = "Times New Roman";

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
}

fn run(text: &str) -> Run {
    Run::new().add_text(text).fonts(fonts(BODY_ZH))
}

fn heading_run(text: &str, half_points: usize) -> Run {
    Run::new()
        .add_text(text)
        .fonts(fonts(HEAD_ZH))
        .size(half_points)
        .bold()
}

fn cell(text: &str, bold: bool) -> TableCell {
    let r = if bold { run(text).bold() } else { run(text) };
    TableCell::new().add_paragraph(Paragraph::new().add_run(r.size(21)))
}

fn table(data: &DocData) -> Table {
    let mut rows = vec![TableRow::new(
        TABLE_HEADER.iter().map(|h| cell(h, true)).collect(),
    )];
    if data.rows.is_empty() {
        rows.push(TableRow::new(vec![cell("（无数据）", false).grid_span(6)]));
    }
    for r in &data.rows {
        rows.push(TableRow::new(
            row_cells(r).iter().map(|c| cell(c, false)).collect(),
        ));
    }
    // A4 text width at the margins below: 11906 − 2 × 1474 = 8958 twips.
    Table::new(rows)
        .set_grid(vec![800, 1300, 1500, 2558, 1400, 1400])
        .width(8958, WidthType::Dxa)
}

/// Lays out the blocks as a Word document.
pub(crate) fn render(_kind: DocKind, data: &DocData, doc: &[Block]) -> Result<Vec<u8>, DocError> {
    let stamp = format!("{}T00:00:00Z", data.date);
    let mut d = Docx::new()
        .default_fonts(fonts(BODY_ZH))
        .default_size(24)
        // 1.3 lines, a little space after each paragraph (as in the PDF).
        .default_line_spacing(LineSpacing::new().line(312).after(60))
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1361)
                .bottom(1361)
                .left(1474)
                .right(1474)
                .header(851)
                .footer(851),
        )
        .created_at(&stamp)
        .updated_at(&stamp);
    for block in doc {
        d = match block {
            Block::Title(t) => d.add_paragraph(
                Paragraph::new()
                    .add_run(heading_run(t, 36))
                    .align(AlignmentType::Center),
            ),
            Block::Center(t) => d.add_paragraph(
                Paragraph::new()
                    .add_run(run(t))
                    .align(AlignmentType::Center),
            ),
            Block::Heading(t) => {
                d.add_paragraph(Paragraph::new().add_run(heading_run(t, 25)).keep_next(true))
            }
            Block::Para(t) => d.add_paragraph(Paragraph::new().add_run(run(t)).indent(
                None,
                Some(SpecialIndentType::FirstLine(480)),
                None,
                None,
            )),
            Block::Right(t) => {
                d.add_paragraph(Paragraph::new().add_run(run(t)).align(AlignmentType::Right))
            }
            Block::Bullet(t) => d.add_paragraph(
                Paragraph::new()
                    .add_run(run(&format!("•\u{3000}{t}")))
                    .indent(Some(960), Some(SpecialIndentType::Hanging(480)), None, None),
            ),
            Block::Note(t) => d.add_paragraph(
                Paragraph::new()
                    .add_run(run(t).size(20).color("404040"))
                    .indent(Some(240), None, Some(240), None),
            ),
            Block::Sign(t) => d.add_paragraph(
                Paragraph::new()
                    .add_run(run(t))
                    .add_run(run(&"\u{3000}".repeat(10)).underline("single")),
            ),
            Block::Space => d.add_paragraph(Paragraph::new()),
            Block::Table => d.add_table(table(data)),
        };
    }
    let mut out = Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| {
        DocError::render(
            format!("DOCX 生成失败：{e}"),
            format!("DOCX writing failed: {e}"),
        )
    })?;
    Ok(out.into_inner())
}
