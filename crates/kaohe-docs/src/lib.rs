//! kaohe-docs — the product's documents as PDF and DOCX (文书生成).
//!
//! Four kinds of document ([`DocKind`]): the warning letter (警告函, P8.9), the elimination
//! notice (末位淘汰通知书, P7.5), the written notice (书面通知, P6.2) and the monthly summary
//! for the general manager's office (月度考核汇总, P2.6).
//!
//! Each kind has a default template ([`default_template`]) that an admin may replace. A
//! template is a [minijinja](https://docs.rs/minijinja) template that produces a small
//! line-based markup (see [`markup`]); that markup is laid out as PDF (typst, with the
//! embedded Noto Sans SC font, see [`pdf`]) and as DOCX for editing in Word (see [`docx`]),
//! so one template serves both formats.
//!
//! No database, no clock (the document date is an input), no network.
//!
//! Labour law (LABOUR-LAW.md, X4): the letters never announce or imply a termination. A line
//! entry or a place on the elimination list leads to improvement measures (training,
//! observation, transfer), and every letter names the appeal route and deadline. Rendering a
//! letter whose text would say otherwise fails (see [`guard`]).

pub mod docx;
mod error;
pub mod guard;
mod kind;
pub mod markup;
pub mod pdf;
mod sample;
pub mod template;
mod zh;

use serde::{Deserialize, Serialize};

pub use error::{DocError, DocErrorKind};
pub use kind::{DocKind, Format};
pub use sample::sample_data;
pub use template::{default_template, template_variables};
pub use zh::{zh_date, zh_period};

/// Everything a document may show (文书数据). The server passes it as JSON too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocData {
    /// 公司名称 company name
    pub company: String,
    /// 分公司/部门 branch or department
    pub unit: String,
    /// 考核期间 the period, e.g. "2025-03"; shown as 2025年3月 (see [`zh_period`])
    pub period_label: String,
    /// 考核制度名称 the policy's name
    pub policy_name: String,
    /// 制度版本 the policy's version
    pub policy_version: String,
    /// 文书日期 the document's date, shown as 2025年4月2日
    pub date: chrono::NaiveDate,
    /// 收件人 the addressee of a letter
    pub person: Option<DocPerson>,
    /// 汇总行 one row per person (the summary's table; letters may show it too)
    #[serde(default)]
    pub rows: Vec<DocRow>,
    /// 附注 extra paragraphs (legal note, appeal route …)
    #[serde(default)]
    pub notes: Vec<String>,
    /// 报送 who the summary goes to, as the policy says (P2.6: 总经办); none when it says nothing
    #[serde(default)]
    pub report_to: Option<String>,
    /// 审批 the policy's approval chain as it names it (P4.11: 分公司负责人、区总、总部人事部)
    #[serde(default)]
    pub approvers: Vec<String>,
}

/// The addressee of a letter (收件人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocPerson {
    /// 工号 staff id
    pub id: String,
    /// 姓名 name
    pub name: String,
    /// 岗位 post
    #[serde(default)]
    pub post: Option<String>,
    /// 考核结果 the score, already formatted with the policy's decimals
    #[serde(default)]
    pub score: Option<String>,
    /// 名次 rank in the group
    #[serde(default)]
    pub rank: Option<u32>,
    /// 参与排名人数 size of the ranking group
    #[serde(default)]
    pub group_size: Option<u32>,
    /// 原因 why the person is on the line / list, with rule ids
    pub reason: String,
    /// 改进措施 improvement measures, e.g. 书面警告、培训
    #[serde(default)]
    pub measures: Vec<String>,
    /// 依据条款 rule ids cited (P8.5 …)
    #[serde(default)]
    pub rules: Vec<String>,
    /// 申诉截止日期 last day to file a written appeal (required for letters)
    #[serde(default)]
    pub appeal_until: Option<chrono::NaiveDate>,
}

/// One row of the summary table (汇总行).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocRow {
    /// 工号 staff id
    pub id: String,
    /// 姓名 name
    pub name: String,
    /// 单位 branch or department
    pub unit: String,
    /// 考核结果 the score, already formatted
    pub score: String,
    /// 名次 rank
    #[serde(default)]
    pub rank: Option<u32>,
    /// 状态 正常/末位/否决/豁免 …
    pub status: String,
}

/// Renders a document (生成文书).
///
/// `template` is an admin's override in the same syntax as [`default_template`]; `None` uses
/// the default. Letters need `data.person` with an appeal deadline. Errors are Chinese first,
/// then English; nothing here panics on input.
pub fn render(
    kind: DocKind,
    format: Format,
    data: &DocData,
    template: Option<&str>,
) -> Result<Vec<u8>, DocError> {
    template::validate_data(kind, data)?;
    let source = template.unwrap_or_else(|| default_template(kind));
    if template.is_some() {
        guard::check_template_text(kind, source)?;
    }
    let text = template::render_text(kind, data, source)?;
    let doc = markup::parse(&text);
    guard::check_document(kind, data, &doc)?;
    match format {
        Format::Pdf => pdf::render(kind, data, &doc),
        Format::Docx => docx::render(kind, data, &doc),
    }
}

/// Checks a template an admin uploads before it is stored (检查模板): syntax, unknown
/// variables (also misspelt fields of `person` and of loop rows), a trial render on sample
/// data, and no wording that announces a termination in a letter.
pub fn check_template(kind: DocKind, template: &str) -> Result<(), DocError> {
    template::check(kind, template)
}
