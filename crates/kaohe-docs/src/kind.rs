//! The kinds of document (文书类型) and the output formats (输出格式).

use serde::{Deserialize, Serialize};

/// 文书类型 the kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 警告函 warning letter on entering the line (P8.5, P8.9)
    WarningLetter,
    /// 末位淘汰通知书 notice of a place on the elimination list, for review (P7.5)
    EliminationNotice,
    /// 书面通知 written notice of reason, standard, process, rights and duties (P6.2)
    WrittenNotice,
    /// 月度考核汇总 monthly summary for the general manager's office (P2.6)
    MonthlySummary,
}

impl DocKind {
    /// The stable code used in URLs, JSON and template storage ("warning_letter" …).
    pub fn code(self) -> &'static str {
        match self {
            DocKind::WarningLetter => "warning_letter",
            DocKind::EliminationNotice => "elimination_notice",
            DocKind::WrittenNotice => "written_notice",
            DocKind::MonthlySummary => "monthly_summary",
        }
    }

    /// Parses a code as returned by [`DocKind::code`].
    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::all().into_iter().find(|k| k.code() == s.trim())
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            DocKind::WarningLetter => "警告函",
            DocKind::EliminationNotice => "末位淘汰通知书",
            DocKind::WrittenNotice => "书面通知",
            DocKind::MonthlySummary => "月度考核汇总",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            DocKind::WarningLetter => "warning letter",
            DocKind::EliminationNotice => "elimination-list notice",
            DocKind::WrittenNotice => "written notice",
            DocKind::MonthlySummary => "monthly summary",
        }
    }

    /// The rule the document implements (P8.9 …).
    pub fn rule(self) -> &'static str {
        match self {
            DocKind::WarningLetter => "P8.9",
            DocKind::EliminationNotice => "P7.5",
            DocKind::WrittenNotice => "P6.2",
            DocKind::MonthlySummary => "P2.6",
        }
    }

    /// Whether the document is a letter to one person (it then needs `person` and an appeal
    /// deadline).
    pub fn is_letter(self) -> bool {
        !matches!(self, DocKind::MonthlySummary)
    }

    /// Every kind, in a fixed order.
    pub fn all() -> [DocKind; 4] {
        [
            DocKind::WarningLetter,
            DocKind::EliminationNotice,
            DocKind::WrittenNotice,
            DocKind::MonthlySummary,
        ]
    }
}

/// 输出格式 the output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// PDF with the embedded Chinese font
    Pdf,
    /// Word document, for editing
    Docx,
}

impl Format {
    /// The file extension ("pdf", "docx").
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    /// The MIME type to send it with.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// Parses "pdf" or "docx".
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }
}
