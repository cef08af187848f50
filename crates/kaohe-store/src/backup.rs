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
                let mut cmd = tokio::process::Command::new("pg_dump");
                cmd.arg("--format=custom").arg("--file").arg(path);
                // A kaohe database kept in its own schema (`options=-c search_path=…` in the
                // URL) is that schema: dump it alone, not every schema of the database (which
                // also fails when another schema is dropped while pg_dump runs).
                if let Some(schema) = search_path_schema(url) {
                    cmd.arg(format!("--schema={schema}"));
                }
                let out = cmd.arg(url).output().await?;
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

/// The schema a PostgreSQL URL sets as its search path (`options=-c search_path=NAME`, also
/// percent-encoded as `-c%20search_path%3DNAME`), when it names one plain identifier.
fn search_path_schema(url: &str) -> Option<String> {
    let rest = url
        .split_once("search_path%3D")
        .or_else(|| url.split_once("search_path="))?
        .1;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::search_path_schema;

    #[test]
    fn the_schema_of_a_url() {
        assert_eq!(
            search_path_schema("postgres://u@h/test?options=-c%20search_path%3Dkaohe_t_1_2"),
            Some("kaohe_t_1_2".into())
        );
        assert_eq!(
            search_path_schema("postgres://u@h/db?options=-c search_path=abc&x=1"),
            Some("abc".into())
        );
        assert_eq!(search_path_schema("postgres://u@h/kaohe"), None);
    }
}
