//! Command-line arguments (命令行参数), parsed with clap.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// kaohe 考核: rank sales staff, draw the elimination line, explain every number.
#[derive(Parser, Debug)]
#[command(name = "kaohe", version, about, long_about = None)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// 计算排名 Compute a period's ranking, line and outcomes.
    Run(RunArgs),
    /// 个人说明 Explain one person's result, to the rule.
    Explain(ExplainArgs),
    /// 制度文件 Check or explain policy files.
    Policy {
        /// Policy sub-command.
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// 启动服务 Start the server (embedded SQLite by default; PostgreSQL with --db postgres://…).
    Serve(ServeArgs),
    /// 演示 Start the server on a fresh demo database (./kaohe-demo/, recreated each run) with
    /// every shipped policy, 12 months of history and a login for every role.
    Demo(DemoArgs),
    /// 备份 Write a consistent backup of the database.
    Backup(BackupArgs),
    /// 恢复 Restore a backup (stop the server first).
    Restore(RestoreArgs),
    /// 审计 Audit-log commands.
    Audit {
        /// Audit sub-command.
        #[command(subcommand)]
        command: AuditCommand,
    },
}

/// Audit sub-commands.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// 校验 Check the hash chain; names every edited or deleted row (exit 1 if any).
    Verify(DbArg),
}

/// The database.
#[derive(Args, Debug, Clone)]
pub struct DbArg {
    /// Database URL: sqlite://file.db?mode=rwc (default sqlite://kaohe-data/kaohe.db?mode=rwc,
    /// or $KAOHE_DB) or postgres://user@host/db.
    #[arg(long)]
    pub db: Option<String>,
}

/// `kaohe serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Database.
    #[command(flatten)]
    pub db: DbArg,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Allow moving the clock through the API (tests only; never in production).
    #[arg(long, hide = true)]
    pub test_clock: bool,
    /// Mark the session cookie Secure (when served over HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
}

/// `kaohe demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Database URL (default: a fresh sqlite://kaohe-demo/kaohe.db, recreated each run; a
    /// database given here is seeded once and reused).
    #[arg(long)]
    pub db: Option<String>,
}

/// `kaohe backup`.
#[derive(Args, Debug)]
pub struct BackupArgs {
    /// Database.
    #[command(flatten)]
    pub db: DbArg,
    /// Backup file to write (must not exist).
    pub file: PathBuf,
}

/// `kaohe restore`.
#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// Database.
    #[command(flatten)]
    pub db: DbArg,
    /// Backup file.
    pub file: PathBuf,
    /// Replace an existing SQLite database.
    #[arg(long)]
    pub force: bool,
}

/// Policy sub-commands.
#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// 校验 Validate policy files; every problem with file, line and column.
    Check {
        /// Policy files (.toml).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 说明 Print a policy back in plain Chinese (or English).
    Explain {
        /// Policy file (.toml).
        file: PathBuf,
        /// Language.
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
    },
}

/// Output language.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Lang {
    /// 中文
    Zh,
    /// English
    En,
}

/// Output format.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Terminal table.
    Table,
    /// JSON with exact decimals.
    Json,
    /// CSV (UTF-8 with BOM, opens in Excel).
    Csv,
    /// XLSX in the seed's score-sheet layout.
    Xlsx,
}

/// Where the data comes from: an example folder with a kaohe.toml manifest, or files.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Example folder containing kaohe.toml (e.g. examples/p8-amber-bay).
    pub dir: Option<PathBuf>,
    /// Policy file (overrides the manifest).
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Roster file 花名册 (CSV/XLSX).
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// Facts files 考核数据 (CSV/XLSX), one row per person per period.
    #[arg(long)]
    pub facts: Vec<PathBuf>,
    /// Rater sheet 评分表 (CSV/XLSX).
    #[arg(long)]
    pub ratings: Option<PathBuf>,
    /// Earlier periods' results 历史记录 (CSV/XLSX written by --save-history).
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// Recorded tie decisions 并列裁决 (CSV/XLSX).
    #[arg(long)]
    pub decisions: Option<PathBuf>,
    /// Period to show, e.g. 2025-12 (default: the manifest's, else the last in the data).
    #[arg(long)]
    pub period: Option<String>,
    /// Language of the output.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

/// `kaohe run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Data.
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Output file (required for xlsx; default stdout otherwise).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Output every period computed, not only the one shown (json, csv, xlsx).
    #[arg(long)]
    pub all_periods: bool,
    /// Save the history after the shown period, for the next run's --history.
    #[arg(long)]
    pub save_history: Option<PathBuf>,
}

/// `kaohe explain`.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Data.
    #[command(flatten)]
    pub data: DataArgs,
    /// Person: 工号 or exact 姓名.
    #[arg(long)]
    pub person: String,
}
