//! Acknowledgements (制度确认): that a person has received and confirmed a policy version
//! (Art. 4 of the Labour Contract Law, P4.3), when and how. One per person and version:
//! acknowledging again returns the first row and writes nothing.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A stored acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AckRow {
    /// Row id.
    pub id: i64,
    /// Policy version acknowledged.
    pub policy_version_id: i64,
    /// 工号.
    pub person_id: String,
    /// When.
    pub at: DateTime<Utc>,
    /// How, e.g. `web`, `paper`, `email`.
    pub method: String,
}

const COLS: &str = "SELECT id, policy_version_id, person_id, at, method FROM acknowledgements";

impl Db {
    /// Record that `person_id` acknowledged a policy version. If they already did, the
    /// existing row is returned and no audit row is written.
    pub async fn acknowledge(
        &self,
        policy_version_id: i64,
        person_id: &str,
        method: &str,
        actor: &str,
    ) -> Result<AckRow> {
        if method.trim().is_empty() {
            return Err(Error::Invalid(
                "确认方式为空 / empty acknowledgement method".into(),
            ));
        }
        let select = format!("{COLS} WHERE policy_version_id = $1 AND person_id = $2");
        Ok(write_tx!(self, |c| {
            let at = crate::db::now();
            // ON CONFLICT: a concurrent acknowledgement on PostgreSQL does not fail.
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO acknowledgements (policy_version_id, person_id, at, method) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (policy_version_id, person_id) DO NOTHING RETURNING id",
            )
            .bind(policy_version_id)
            .bind(person_id)
            .bind(at)
            .bind(method)
            .fetch_optional(&mut *c)
            .await?;
            match id {
                Some(id) => {
                    let row = AckRow {
                        id,
                        policy_version_id,
                        person_id: person_id.to_string(),
                        at,
                        method: method.to_string(),
                    };
                    let e = AuditEntry::new(actor, "policy.acknowledge", format!("ack:{id}"))
                        .after(&row)?;
                    append_audit!(&mut *c, &e);
                    row
                }
                None => {
                    sqlx::query_as(sqlx::AssertSqlSafe(select.clone()))
                        .bind(policy_version_id)
                        .bind(person_id)
                        .fetch_one(&mut *c)
                        .await?
                }
            }
        }))
    }

    /// Acknowledgements of a policy version, by id.
    pub async fn acknowledgements(&self, policy_version_id: i64) -> Result<Vec<AckRow>> {
        let sql = format!("{COLS} WHERE policy_version_id = $1 ORDER BY id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(policy_version_id)
        .fetch_all(p)
        .await?))
    }
}
