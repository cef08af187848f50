//! Backups (备份). SQLite: `VACUUM INTO` writes a consistent copy of the live database to a new
//! file while the server runs; restoring is copying that file back while the server is stopped
//! (the copy opens as an ordinary database). PostgreSQL: `pg_dump --format=custom` of the
//! database (run by [`Db::backup`] when `pg_dump` is on the PATH), restored with
//! `pg_restore --clean --dbname=URL FILE`. There is no cross-backend export yet.

use crate::db::Db;
use crate::error::{Error, Result};
use std::path::Path;

impl Db {
    /// Write a consistent backup to `path` (which must not exist). For PostgreSQL, `url` is the
    /// connection URL handed to `pg_dump`; it is ignored for SQLite.
    pub async fn backup(&self, path: &Path, url: &str) -> Result<()> {
        if path.exists() {
            return Err(Error::Invalid(format!(
                "备份文件已存在 / backup file {} already exists",
                path.display()
            )));
        }
        match self {
            Db::Sqlite(p) => {
                let target = path.to_string_lossy().into_owned();
                sqlx::query("VACUUM INTO $1")
                    .bind(target)
                    .execute(p)
                    .await?;
                Ok(())
            }
            Db::Pg(_) => {
                let out = tokio::process::Command::new("pg_dump")
                    .arg("--format=custom")
                    .arg("--file")
                    .arg(path)
                    .arg(url)
                    .output()
                    .await?;
                if out.status.success() {
                    Ok(())
                } else {
                    Err(Error::Invalid(format!(
                        "pg_dump 失败 / pg_dump failed: {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    )))
                }
            }
        }
    }
}
