//! The audit log (审计日志): every change — who, when, what, before, after, why — appended in
//! the same transaction as the change, in a table that triggers keep append-only. Rows are
//! hash-chained: `hash = sha256(prev_hash ‖ "\n" ‖ canonical JSON of the row)`, so
//! [`Db::verify_audit`] finds an edited row (its hash no longer matches), a deleted row (a gap in
//! `seq` and a broken link) and a reordered row. Deleting the newest rows leaves a shorter valid
//! chain: to catch that, keep the head hash ([`AuditReport::head`]) somewhere else (a
//! printed report, a backup).

use crate::db::Db;
use crate::error::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A change to record (审计条目).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditEntry {
    /// Who (login or `system`).
    pub actor: String,
    /// What was done, e.g. `period.state`.
    pub action: String,
    /// Which row, e.g. `period:12`.
    pub entity: String,
    /// The row before, if any.
    pub before: Option<serde_json::Value>,
    /// The row after, if any.
    pub after: Option<serde_json::Value>,
    /// Why (required by the server for corrections).
    pub reason: Option<String>,
}

impl AuditEntry {
    /// An entry without before/after/reason.
    pub fn new(actor: &str, action: &str, entity: impl Into<String>) -> AuditEntry {
        AuditEntry {
            actor: actor.to_string(),
            action: action.to_string(),
            entity: entity.into(),
            ..AuditEntry::default()
        }
    }

    /// With the row after the change.
    pub fn after(mut self, value: impl Serialize) -> Result<AuditEntry> {
        self.after = Some(serde_json::to_value(value)?);
        Ok(self)
    }

    /// With the row before the change.
    pub fn before(mut self, value: impl Serialize) -> Result<AuditEntry> {
        self.before = Some(serde_json::to_value(value)?);
        Ok(self)
    }

    /// With a reason.
    pub fn reason(mut self, reason: &str) -> AuditEntry {
        self.reason = Some(reason.to_string());
        self
    }
}

/// One stored audit row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When (UTC, microseconds).
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Which row.
    pub entity: String,
    /// Before, as JSON text.
    pub before_json: Option<String>,
    /// After, as JSON text.
    pub after_json: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Hash of the previous row ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// Hash of this row.
    pub hash: String,
}

#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    at: String,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    reason: Option<&'a str>,
}

impl AuditRow {
    /// The canonical JSON the hash covers: fixed field order, time as RFC 3339 with
    /// microseconds and `Z`, before/after as their stored text.
    pub fn canonical(&self) -> String {
        let c = Canonical {
            seq: self.seq,
            at: self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            actor: &self.actor,
            action: &self.action,
            entity: &self.entity,
            before: self.before_json.as_deref(),
            after: self.after_json.as_deref(),
            reason: self.reason.as_deref(),
        };
        // Serialising a struct of strings and integers cannot fail.
        serde_json::to_string(&c).unwrap_or_default()
    }

    /// The hash this row should carry given its content and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        chain_hash(&self.prev_hash, &self.canonical())
    }

    pub(crate) fn build(
        seq: i64,
        at: DateTime<Utc>,
        e: &AuditEntry,
        prev_hash: String,
    ) -> Result<AuditRow> {
        let to_text = |v: &Option<serde_json::Value>| -> Result<Option<String>> {
            Ok(match v {
                Some(v) => Some(serde_json::to_string(v)?),
                None => None,
            })
        };
        let mut row = AuditRow {
            seq,
            at,
            actor: e.actor.clone(),
            action: e.action.clone(),
            entity: e.entity.clone(),
            before_json: to_text(&e.before)?,
            after_json: to_text(&e.after)?,
            reason: e.reason.clone(),
            prev_hash,
            hash: String::new(),
        };
        row.hash = row.expected_hash();
        Ok(row)
    }
}

/// `sha256(prev_hash ‖ "\n" ‖ canonical)` as lowercase hex.
pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex(&h.finalize())
}

/// Lowercase hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Append `$entry` (an `&AuditEntry`) to the chain on connection `$c` inside the current write
/// transaction; evaluates to the stored [`AuditRow`]. On PostgreSQL the table is locked against
/// other writers first so two transactions cannot both extend the same head; on SQLite
/// `BEGIN IMMEDIATE` already serialises writers.
macro_rules! append_audit {
    ($c:expr, $entry:expr) => {{
        let c = $c;
        if $crate::db::is_pg(&*c) {
            sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE")
                .execute(&mut *c)
                .await?;
        }
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *c)
                .await?;
        let (seq, prev) = match last {
            Some((s, h)) => (s + 1, h),
            None => (1, $crate::audit::GENESIS.to_string()),
        };
        let row = $crate::audit::AuditRow::build(seq, $crate::db::now(), $entry, prev)?;
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, entity, before_json, after_json, \
             reason, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(row.seq)
        .bind(row.at)
        .bind(&row.actor)
        .bind(&row.action)
        .bind(&row.entity)
        .bind(&row.before_json)
        .bind(&row.after_json)
        .bind(&row.reason)
        .bind(&row.prev_hash)
        .bind(&row.hash)
        .execute(&mut *c)
        .await?;
        row
    }};
}

/// A break in the chain found by [`Db::verify_audit`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditProblem {
    /// Rows missing between two sequence numbers (deleted).
    Gap {
        /// Last row seen before the gap (0 = start).
        after: i64,
        /// Next row found.
        next: i64,
    },
    /// `prev_hash` does not match the previous row's hash (a row deleted or replaced before it).
    BrokenLink {
        /// The row.
        seq: i64,
    },
    /// The row's content does not match its hash (edited).
    Edited {
        /// The row.
        seq: i64,
    },
}

impl std::fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditProblem::Gap { after, next } => write!(
                f,
                "第 {after} 行与第 {next} 行之间缺少记录（被删除）/ rows missing between {after} and {next} (deleted)"
            ),
            AuditProblem::BrokenLink { seq } => write!(
                f,
                "第 {seq} 行与前一行的链接断开 / row {seq} does not link to the row before it"
            ),
            AuditProblem::Edited { seq } => write!(
                f,
                "第 {seq} 行内容被修改 / row {seq} was edited after it was written"
            ),
        }
    }
}

/// Outcome of [`Db::verify_audit`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Rows checked.
    pub rows: u64,
    /// Hash of the newest row (compare with an earlier copy to detect truncation).
    pub head: String,
    /// Every break found, in order.
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    /// True when the chain is intact.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

const PAGE: i64 = 10_000;

impl Db {
    /// Append one entry in its own transaction.
    pub async fn audit_append(&self, entry: &AuditEntry) -> Result<AuditRow> {
        Ok(write_tx!(self, |c| append_audit!(&mut *c, entry)))
    }

    /// Audit rows with `seq > after`, at most `limit`, ascending.
    pub async fn audit_rows(&self, after: i64, limit: i64) -> Result<Vec<AuditRow>> {
        let sql = "SELECT seq, at, actor, action, entity, before_json, after_json, reason, \
                   prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2";
        Ok(read!(self, |p| sqlx::query_as(sql)
            .bind(after)
            .bind(limit)
            .fetch_all(p)
            .await?))
    }

    /// Walk the whole chain and report every edited, deleted or relinked row.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        let mut report = AuditReport {
            rows: 0,
            head: GENESIS.to_string(),
            problems: Vec::new(),
        };
        let mut last_seq = 0;
        loop {
            let page = self.audit_rows(last_seq, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for row in page {
                if row.seq != last_seq + 1 {
                    report.problems.push(AuditProblem::Gap {
                        after: last_seq,
                        next: row.seq,
                    });
                }
                if row.prev_hash != report.head {
                    report
                        .problems
                        .push(AuditProblem::BrokenLink { seq: row.seq });
                }
                if row.hash != row.expected_hash() {
                    report.problems.push(AuditProblem::Edited { seq: row.seq });
                }
                report.rows += 1;
                report.head = row.hash;
                last_seq = row.seq;
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_hash_is_sha256_of_prev_newline_canonical() {
        // sha256("\n") = 01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b
        assert_eq!(
            chain_hash("", ""),
            "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b"
        );
    }
}
