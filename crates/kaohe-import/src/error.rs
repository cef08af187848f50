//! Import errors (导入错误): every problem names the file, sheet, row, column, the value and what
//! was expected, in Chinese and English. A reader collects all errors of a file (up to
//! [`MAX_ERRORS`]) and returns either a complete result or the errors, never a partial result.

use std::fmt;

/// Most errors collected from one file before the reader stops adding more.
pub const MAX_ERRORS: usize = 200;

/// One problem in an input file (导入错误).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// File name as shown to the user.
    pub file: String,
    /// Sheet name, for workbooks.
    pub sheet: Option<String>,
    /// 1-based row number as Excel shows it.
    pub row: Option<u32>,
    /// Column as `"D 日常考勤"`: Excel letter, a space, the header text.
    pub column: Option<String>,
    /// The offending value as written.
    pub value: Option<String>,
    /// What is wrong / what was expected, in Chinese.
    pub expected_zh: String,
    /// What is wrong / what was expected, in English.
    pub expected_en: String,
}

impl ImportError {
    /// A file-level error.
    pub fn file(file: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            sheet: None,
            row: None,
            column: None,
            value: None,
            expected_zh: zh.into(),
            expected_en: en.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, " [{s}]")?;
        }
        let (letter, header) = match &self.column {
            Some(c) => match c.split_once(' ') {
                Some((l, h)) => (Some(l), Some(h)),
                None => (Some(c.as_str()), None),
            },
            None => (None, None),
        };
        let mut zh = String::new();
        if let Some(r) = self.row {
            zh.push_str(&format!(" 第{r}行"));
        }
        if let Some(l) = letter {
            zh.push_str(&format!(" {l}列"));
            if let Some(h) = header {
                zh.push_str(&format!("「{h}」"));
            }
        }
        let mut en = String::new();
        if let Some(r) = self.row {
            en.push_str(&format!("row {r}"));
        }
        if let Some(l) = letter {
            if !en.is_empty() {
                en.push(' ');
            }
            en.push_str(&format!("column {l}"));
            if let Some(h) = header {
                en.push_str(&format!(" ({h})"));
            }
        }
        write!(f, "{zh}: ")?;
        if let Some(v) = &self.value {
            write!(f, "值 \"{v}\" ")?;
        }
        write!(f, "{} / ", self.expected_zh)?;
        if !en.is_empty() {
            write!(f, "{en}: ")?;
        }
        if let Some(v) = &self.value {
            write!(f, "\"{v}\" ")?;
        }
        write!(f, "{}", self.expected_en)
    }
}

/// All problems found in one file (or one merge), in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<ImportError>);

impl ImportErrors {
    /// The errors.
    pub fn errors(&self) -> &[ImportError] {
        &self.0
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

impl From<ImportError> for ImportErrors {
    fn from(e: ImportError) -> Self {
        ImportErrors(vec![e])
    }
}

/// Collects errors of one file with a cap; positions are filled in by the caller.
#[derive(Debug)]
pub(crate) struct Collector {
    pub file: String,
    pub list: Vec<ImportError>,
    truncated: bool,
}

impl Collector {
    pub fn new(file: &str) -> Self {
        Collector {
            file: file.to_string(),
            list: Vec::new(),
            truncated: false,
        }
    }

    /// Add an error; past the cap one final "too many errors" note is added instead.
    pub fn push(&mut self, e: ImportError) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(e);
        } else if !self.truncated {
            self.truncated = true;
            self.list.push(ImportError::file(
                &self.file,
                format!("错误过多，仅显示前 {MAX_ERRORS} 条"),
                format!("too many errors; only the first {MAX_ERRORS} are shown"),
            ));
        }
    }

    /// Add an error at a position.
    #[allow(clippy::too_many_arguments)]
    pub fn at(
        &mut self,
        sheet: Option<&str>,
        row: Option<u32>,
        column: Option<String>,
        value: Option<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.push(ImportError {
            file: self.file.clone(),
            sheet: sheet.map(str::to_string),
            row,
            column,
            value,
            expected_zh: zh.into(),
            expected_en: en.into(),
        });
    }

    /// `Ok(value)` when nothing was collected, else all errors.
    pub fn finish<T>(self, value: T) -> Result<T, ImportErrors> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(ImportErrors(self.list))
        }
    }
}
