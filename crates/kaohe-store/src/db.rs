//! The database handle (数据库连接): [`Db`] is either a SQLite or a PostgreSQL pool, chosen from
//! the URL at run time; the macros below run one query body on either.
//!
//! SQLite is opened with WAL, `synchronous=FULL` (a lost commit of a signature or an approval
//! would matter in an arbitration; with WAL, FULL costs one fsync of the log per commit, and bulk
//! imports are one commit), `foreign_keys=ON` and a 30 s busy timeout, and every write
//! transaction starts with `BEGIN IMMEDIATE`: with a plain `BEGIN`, read-then-write transactions
//! fail under concurrency with `SQLITE_BUSY_SNAPSHOT`, which ignores the busy timeout.

use crate::error::{Error, Result};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// A connection pool on either backend.
#[derive(Clone, Debug)]
pub enum Db {
    /// Embedded SQLite file.
    Sqlite(SqlitePool),
    /// PostgreSQL server.
    Pg(PgPool),
}

/// Which backend a [`Db`] uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Run `$body` inside one write transaction on either backend and commit it.
///
/// `$c` is bound to `&mut SqliteConnection` or `&mut PgConnection`; use `&mut *$c` as the
/// executor. An error (`?`) inside the body drops the transaction, which rolls it back.
macro_rules! write_tx {
    ($db:expr, |$c:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = {
                    let $c: &mut sqlx::SqliteConnection = &mut tx;
                    $body
                };
                tx.commit().await?;
                out
            }
            $crate::db::Db::Pg(pool) => {
                let mut tx = pool.begin().await?;
                let out = {
                    let $c: &mut sqlx::PgConnection = &mut tx;
                    $body
                };
                tx.commit().await?;
                out
            }
        }
    };
}

/// Run a read-only `$body` with `$p` bound to the pool (`&SqlitePool` or `&PgPool`).
macro_rules! read {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($p) => $body,
            $crate::db::Db::Pg($p) => $body,
        }
    };
}

/// What differs between the two connection types inside a shared query body.
pub(crate) trait Conn {
    /// True on PostgreSQL.
    const IS_PG: bool;
}

impl Conn for sqlx::SqliteConnection {
    const IS_PG: bool = false;
}

impl Conn for sqlx::PgConnection {
    const IS_PG: bool = true;
}

/// `C::IS_PG` for a connection reference, usable inside [`write_tx!`] bodies.
pub(crate) fn is_pg<C: Conn>(_c: &C) -> bool {
    C::IS_PG
}

impl Db {
    /// Connect and bring the schema up to date.
    ///
    /// `sqlite://path/kaohe.db?mode=rwc` creates the file on first run; `postgres://…` connects
    /// to an existing database (`options=-c search_path=…` selects a schema).
    pub async fn connect(url: &str) -> Result<Db> {
        let db = Db::connect_without_migrating(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Connect without touching the schema (for upgrade tests and tools).
    pub async fn connect_without_migrating(url: &str) -> Result<Db> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .connect_with(options)
                .await?;
            Ok(Db::Pg(pool))
        } else {
            Err(Error::Url(url.to_string()))
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    /// Close every connection (waits for running queries).
    pub async fn close(&self) {
        read!(self, |p| p.close().await)
    }
}

tokio::task_local! {
    /// Seconds the server's clock is moved (a test or demo server; 0 otherwise).
    static CLOCK_OFFSET: i64;
}

/// Run `f` with the store's clock moved by `seconds`: a test or demo server whose clock has
/// been moved (to walk a month past its appeal window) wraps each request in this, so that
/// every time the store records (filed, signed, computed, generated, audited) is read from the
/// same clock as the server's deadline checks.
pub async fn with_clock_offset<F: std::future::Future>(seconds: i64, f: F) -> F::Output {
    CLOCK_OFFSET.scope(seconds, f).await
}

/// The current time (moved by [`with_clock_offset`] when inside it) truncated to
/// microseconds, so that it reads back identically from both backends (PostgreSQL keeps
/// microseconds).
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{Duration, SubsecRound, Utc};
    let offset = CLOCK_OFFSET.try_with(|o| *o).unwrap_or(0);
    (Utc::now() + Duration::seconds(offset)).trunc_subsecs(6)
}
