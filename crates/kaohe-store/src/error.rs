//! Storage errors (存储错误), each message in Chinese and English.

/// Result of a storage operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database reported an error; the transaction was rolled back.
    #[error("数据库错误，本次操作未写入任何数据 / database error, nothing was written: {0}")]
    Db(#[from] sqlx::Error),
    /// A schema migration failed.
    #[error("数据库结构升级失败 / schema migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The URL is neither `sqlite:` nor `postgres:`.
    #[error("不支持的数据库地址 {0}（请用 sqlite://文件?mode=rwc 或 postgres://…）/ unsupported database URL {0} (use sqlite://file?mode=rwc or postgres://…)")]
    Url(String),
    /// A stale write: the row changed since it was read (the server answers 409).
    #[error("数据已被他人修改（当前版本 {current_version}）/ conflict: {entity} {id} was changed by someone else (now version {current_version})")]
    Conflict {
        /// Entity kind, e.g. `period`.
        entity: &'static str,
        /// Row id.
        id: i64,
        /// The version now stored.
        current_version: i64,
        /// The row as now stored, for the 409 body.
        current: serde_json::Value,
    },
    /// No such row.
    #[error("未找到 {entity} {id} / {entity} {id} not found")]
    NotFound {
        /// Entity kind.
        entity: &'static str,
        /// The id looked for.
        id: String,
    },
    /// Input refused before anything was written.
    #[error("数据无效，未写入任何数据 / invalid input, nothing was written: {0}")]
    Invalid(String),
    /// A file operation (backup) failed.
    #[error("文件操作失败 / file operation failed: {0}")]
    Io(#[from] std::io::Error),
    /// Serialising a row for the audit log failed.
    #[error("JSON 错误 / JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

/// True when the database refused a row because a UNIQUE or PRIMARY KEY constraint already
/// holds that value (mapped to a readable [`Error::Invalid`] by the caller).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
