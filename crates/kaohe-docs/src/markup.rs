//! The structured text a template produces (文书标记), laid out by both the PDF and the DOCX
//! writer.
//!
//! One line is one block; the first characters of a line written in the template say what it
//! is (a value inserted with `{{ … }}` never counts as a marker, whatever it starts with):
//!
//! | line | block |
//! |---|---|
//! | `# 标题` | title, centred, large |
//! | `## 小标题` | section heading |
//! | `^ 文字` | centred line (subtitle) |
//! | `> 文字` | right-aligned line (sender, date) |
//! | `- 文字` | bullet item |
//! | `! 文字` | note in small print, boxed (legal note) |
//! | `~ 标签` | signature line: the label followed by a blank to sign on |
//! | `[[rows]]` | the table of `rows` (名次, 工号, 姓名, 单位, 考核结果, 状态) |
//! | `---` | extra vertical space |
//! | empty line | nothing |
//! | anything else | a paragraph, first line indented by two characters |

/// Wraps every value a template inserts, so that a value never acts as a marker. Stripped
/// before layout.
pub(crate) const VALUE_START: char = '\u{E000}';
/// End of an inserted value; see [`VALUE_START`].
pub(crate) const VALUE_END: char = '\u{E001}';

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `# …` the document's title
    Title(String),
    /// `## …` a section heading
    Heading(String),
    /// `^ …` a centred line (subtitle)
    Center(String),
    /// plain line: a paragraph
    Para(String),
    /// `> …` right-aligned line
    Right(String),
    /// `- …` bullet item
    Bullet(String),
    /// `! …` note in small print
    Note(String),
    /// `~ …` signature line with its label
    Sign(String),
    /// `[[rows]]` the rows table
    Table,
    /// `---` vertical space
    Space,
}

impl Block {
    /// The block's text ("" for the table and space).
    pub fn text(&self) -> &str {
        match self {
            Block::Title(t)
            | Block::Heading(t)
            | Block::Center(t)
            | Block::Para(t)
            | Block::Right(t)
            | Block::Bullet(t)
            | Block::Note(t)
            | Block::Sign(t) => t,
            Block::Table | Block::Space => "",
        }
    }
}

/// Parses a rendered template into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for raw in text.lines() {
        let line = raw.trim_matches([' ', '\t', '\r', '\u{3000}']);
        if strip(line).trim().is_empty() {
            continue;
        }
        let marked = |m: &str| line.strip_prefix(m).map(clean);
        let block = if line == "[[rows]]" {
            Block::Table
        } else if line.chars().all(|c| c == '-') && line.len() >= 3 {
            Block::Space
        } else if let Some(t) = marked("## ") {
            Block::Heading(t)
        } else if let Some(t) = marked("# ") {
            Block::Title(t)
        } else if let Some(t) = marked("^ ") {
            Block::Center(t)
        } else if let Some(t) = marked("> ") {
            Block::Right(t)
        } else if let Some(t) = marked("- ") {
            Block::Bullet(t)
        } else if let Some(t) = marked("! ") {
            Block::Note(t)
        } else if let Some(t) = marked("~ ") {
            Block::Sign(t)
        } else {
            Block::Para(clean(line))
        };
        out.push(block);
    }
    out
}

/// Removes the value markers.
fn strip(s: &str) -> String {
    s.chars()
        .filter(|&c| c != VALUE_START && c != VALUE_END)
        .collect()
}

/// Removes the value markers and surrounding blanks.
fn clean(s: &str) -> String {
    strip(s).trim_matches([' ', '\t', '\u{3000}']).to_string()
}

/// Makes a value safe to insert: markers removed, line breaks and other control characters
/// turned into spaces (a value is always one line).
pub(crate) fn sanitize_value(s: &str) -> String {
    s.chars()
        .filter(|&c| c != VALUE_START && c != VALUE_END)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let v = |s: &str| format!("{VALUE_START}{s}{VALUE_END}");
        let text = format!(
            "# 警告函\n^ 副标题\n\n## 一、原因\n{}同事：\n> 2025年4月2日\n- 培训\n! 注意\n~ 签字：\n[[rows]]\n---\n{}\n   \n",
            v("李喆"),
            v("# 不是标题"),
        );
        assert_eq!(
            parse(&text),
            vec![
                Block::Title("警告函".into()),
                Block::Center("副标题".into()),
                Block::Heading("一、原因".into()),
                Block::Para("李喆同事：".into()),
                Block::Right("2025年4月2日".into()),
                Block::Bullet("培训".into()),
                Block::Note("注意".into()),
                Block::Sign("签字：".into()),
                Block::Table,
                Block::Space,
                Block::Para("# 不是标题".into()),
            ]
        );
    }

    #[test]
    fn values_are_one_line() {
        assert_eq!(sanitize_value("a\n# b\r\tc\u{E000}"), "a # b  c");
    }
}
