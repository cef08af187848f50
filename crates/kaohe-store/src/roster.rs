//! Period roster snapshots (期间花名册快照): the roster a period is computed with, one JSON
//! object per person, as the server imported it. Replacing a snapshot is all or nothing: the
//! old rows go and the new ones come in one transaction, in batches (multi-row `INSERT` on
//! SQLite, `COPY` on PostgreSQL, as for facts), and the audit row records the counts before and
//! after and a SHA-256 of the new snapshot.

use crate::audit::{hex, AuditEntry};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::facts::{copy_text, SQLITE_BATCH};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, SqliteConnection};
use std::collections::HashSet;

/// Backend-specific bulk insert, called inside the replacing transaction.
pub(crate) trait BulkPeople {
    async fn bulk_people(&mut self, period: i64, rows: &[(String, String)]) -> Result<()>;
}

impl BulkPeople for SqliteConnection {
    async fn bulk_people(&mut self, period: i64, rows: &[(String, String)]) -> Result<()> {
        for chunk in rows.chunks(SQLITE_BATCH) {
            let row = format!("({period},?,?)");
            let mut sql = String::with_capacity(60 + (row.len() + 1) * chunk.len());
            sql.push_str("INSERT INTO period_people (period_id, person_id, person_json) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&row);
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (id, json) in chunk {
                q = q.bind(id).bind(json);
            }
            q.execute(&mut *self).await?;
        }
        Ok(())
    }
}

impl BulkPeople for PgConnection {
    async fn bulk_people(&mut self, period: i64, rows: &[(String, String)]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut copy = self
            .copy_in_raw("COPY period_people (period_id, person_id, person_json) FROM STDIN")
            .await?;
        const CHUNK: usize = 1 << 20;
        let mut buf = String::with_capacity(CHUNK + 4096);
        let prefix = format!("{period}\t");
        for (id, json) in rows {
            buf.push_str(&prefix);
            copy_text(&mut buf, id);
            buf.push('\t');
            copy_text(&mut buf, json);
            buf.push('\n');
            if buf.len() >= CHUNK {
                copy.send(std::mem::take(&mut buf).into_bytes()).await?;
                buf.reserve(CHUNK + 4096);
            }
        }
        if !buf.is_empty() {
            copy.send(buf.into_bytes()).await?;
        }
        copy.finish().await?;
        Ok(())
    }
}

/// Refuse a snapshot that is wrong on its face, naming the person.
fn check(people: &[(String, String)]) -> Result<()> {
    let mut seen = HashSet::with_capacity(people.len());
    for (id, json) in people {
        if id.trim().is_empty() {
            return Err(Error::Invalid(
                "花名册中有空工号 / the roster has an empty person id".into(),
            ));
        }
        if id.contains('\0') || json.contains('\0') {
            return Err(Error::Invalid(format!(
                "工号 {id} 的数据含有空字符 / the data of {id} contains a NUL character"
            )));
        }
        if !seen.insert(id.as_str()) {
            return Err(Error::Invalid(format!(
                "工号 {id} 在花名册中重复 / {id} appears twice in the roster"
            )));
        }
        if serde_json::from_str::<serde_json::Value>(json).is_err() {
            return Err(Error::Invalid(format!(
                "工号 {id} 的数据不是有效的 JSON / the data of {id} is not valid JSON"
            )));
        }
    }
    Ok(())
}

/// SHA-256 over `id \t json \n` of each row in the order given.
fn snapshot_hash(people: &[(String, String)]) -> String {
    let mut h = Sha256::new();
    for (id, json) in people {
        h.update(id.as_bytes());
        h.update(b"\t");
        h.update(json.as_bytes());
        h.update(b"\n");
    }
    hex(&h.finalize())
}

/// Replace a period's snapshot inside a write transaction (`sorted` by person id, checked).
macro_rules! replace_snapshot {
    ($c:expr, $period_id:expr, $sorted:expr, $hash:expr, $actor:expr) => {{
        let c = $c;
        let period_id = $period_id;
        let sorted = $sorted;
        let hash = $hash;
        let actor = $actor;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM periods WHERE id = $1")
                .bind(period_id)
                .fetch_optional(&mut *c)
                .await?;
            if exists.is_none() {
                return Err(Error::NotFound {
                    entity: "period",
                    id: period_id.to_string(),
                });
            }
            let before = sqlx::query("DELETE FROM period_people WHERE period_id = $1")
                .bind(period_id)
                .execute(&mut *c)
                .await?
                .rows_affected();
            c.bulk_people(period_id, &sorted).await?;
            let e = AuditEntry::new(actor, "period.people", format!("period:{period_id}"))
                .before(serde_json::json!({ "count": before }))?
                .after(serde_json::json!({ "count": sorted.len(), "sha256": hash }))?;
            append_audit!(&mut *c, &e);
    }};
}

impl Db {
    /// Replace the roster snapshot of a period with `people` (`(person_id, person_json)`), all
    /// or nothing. An unknown period is [`Error::NotFound`]; an empty or repeated id, or text
    /// that is not JSON, is [`Error::Invalid`] and nothing is written.
    pub async fn set_period_people(
        &self,
        period_id: i64,
        people: &[(String, String)],
        actor: &str,
    ) -> Result<()> {
        check(people)?;
        let mut sorted: Vec<(String, String)> = people.to_vec();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let hash = snapshot_hash(&sorted);
        write_tx!(self, |c| {
            replace_snapshot!(&mut *c, period_id, &sorted, &hash, actor);
        });
        Ok(())
    }

    /// The roster snapshot of a period, `(person_id, person_json)` by person id (byte order,
    /// the same on both backends whatever PostgreSQL's collation).
    pub async fn period_people(&self, period_id: i64) -> Result<Vec<(String, String)>> {
        let sql = "SELECT person_id, person_json FROM period_people WHERE period_id = $1";
        let mut rows: Vec<(String, String)> = read!(self, |p| sqlx::query_as(sql)
            .bind(period_id)
            .fetch_all(p)
            .await?);
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(rows)
    }

    /// Import a period's roster in one transaction: every person created or their situation
    /// changed (as [`Db::upsert_person_from_roster`] does one by one), then the period's
    /// snapshot replaced. All or nothing: a failure anywhere writes nothing.
    pub async fn import_roster(
        &self,
        period_id: i64,
        people: &[(crate::people::NewPerson, crate::people::HistoryEntry)],
        snapshot: &[(String, String)],
        actor: &str,
    ) -> Result<()> {
        for (p, _) in people {
            crate::people::check_person(p)?;
        }
        check(snapshot)?;
        let mut sorted: Vec<(String, String)> = snapshot.to_vec();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let hash = snapshot_hash(&sorted);
        write_tx!(self, |c| {
            for (p, entry) in people {
                upsert_person!(&mut *c, p, entry, actor);
            }
            replace_snapshot!(&mut *c, period_id, &sorted, &hash, actor);
        });
        Ok(())
    }
}
