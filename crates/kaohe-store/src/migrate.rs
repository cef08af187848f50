//! Schema migrations (数据库结构版本): versioned SQL files, one folder per backend
//! (`migrations/sqlite`, `migrations/postgres`), embedded in the binary and applied on connect.
//! A database from an older version is upgraded in place; applied migrations are checked by
//! checksum so an edited old migration is refused.

use crate::db::Db;
use crate::error::Result;
use sqlx::migrate::Migrator;

/// SQLite migrations.
pub static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
/// PostgreSQL migrations.
pub static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Apply every pending migration.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE.run(p).await?,
            Db::Pg(p) => POSTGRES.run(p).await?,
        }
        Ok(())
    }

    /// Apply migrations up to and including `version` only (used to test upgrades).
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE.run_to(version, p).await?,
            Db::Pg(p) => POSTGRES.run_to(version, p).await?,
        }
        Ok(())
    }

    /// The highest applied schema version, if any.
    pub async fn schema_version(&self) -> Result<Option<i64>> {
        let v: Option<i64> = read!(self, |p| sqlx::query_scalar(
            "SELECT MAX(version) FROM _sqlx_migrations WHERE success"
        )
        .fetch_one(p)
        .await?);
        Ok(v)
    }

    /// The newest schema version this build knows.
    pub fn latest_schema_version(&self) -> i64 {
        let m = match self {
            Db::Sqlite(_) => &SQLITE,
            Db::Pg(_) => &POSTGRES,
        };
        m.iter().map(|m| m.version).max().unwrap_or(0)
    }
}
