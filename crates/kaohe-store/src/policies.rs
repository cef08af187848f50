//! Policy versions (制度版本): the TOML text of each version, kept forever and deduplicated by
//! its SHA-256, so a period keeps the version it was computed with (P1.6). Triggers forbid
//! changing a stored version and deleting one a period uses.

use crate::audit::{hex, AuditEntry};
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A stored policy version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PolicyVersion {
    /// Row id (what periods and runs refer to).
    pub id: i64,
    /// Policy id, e.g. `p8-amber-bay`.
    pub policy_id: String,
    /// Version label.
    pub version: String,
    /// The policy file's text, exactly as given.
    pub toml: String,
    /// SHA-256 of the text, hex.
    pub hash: String,
    /// 通过日期 adopted.
    pub adopted: Option<NaiveDate>,
    /// 公布日期 published.
    pub published: Option<NaiveDate>,
    /// When stored.
    pub stored_at: DateTime<Utc>,
}

const COLS: &str =
    "SELECT id, policy_id, version, toml, hash, adopted, published, stored_at FROM policy_versions";

impl Db {
    /// Store a policy version; storing the same text again returns the existing row
    /// (`false` = not new). The same id and version with a different text is refused.
    pub async fn store_policy(
        &self,
        policy_id: &str,
        version: &str,
        toml: &str,
        adopted: Option<NaiveDate>,
        published: Option<NaiveDate>,
        actor: &str,
    ) -> Result<(PolicyVersion, bool)> {
        let hash = hex(&Sha256::digest(toml.as_bytes()));
        let by_hash = format!("{COLS} WHERE hash = $1");
        let by_label = format!("{COLS} WHERE policy_id = $1 AND version = $2");
        Ok(write_tx!(self, |c| {
            let same: Option<PolicyVersion> = sqlx::query_as(sqlx::AssertSqlSafe(by_hash.clone()))
                .bind(&hash)
                .fetch_optional(&mut *c)
                .await?;
            if let Some(v) = same {
                (v, false)
            } else {
                let clash: Option<PolicyVersion> =
                    sqlx::query_as(sqlx::AssertSqlSafe(by_label.clone()))
                        .bind(policy_id)
                        .bind(version)
                        .fetch_optional(&mut *c)
                        .await?;
                if clash.is_some() {
                    return Err(Error::Invalid(format!(
                        "制度 {policy_id} 版本 {version} 已存在且内容不同，请使用新的版本号 / policy {policy_id} version {version} already exists with a different text: give the new text a new version"
                    )));
                }
                let v = PolicyVersion {
                    id: 0,
                    policy_id: policy_id.to_string(),
                    version: version.to_string(),
                    toml: toml.to_string(),
                    hash: hash.clone(),
                    adopted,
                    published,
                    stored_at: crate::db::now(),
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO policy_versions (policy_id, version, toml, hash, adopted, \
                     published, stored_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(&v.policy_id)
                .bind(&v.version)
                .bind(&v.toml)
                .bind(&v.hash)
                .bind(v.adopted)
                .bind(v.published)
                .bind(v.stored_at)
                .fetch_one(&mut *c)
                .await?;
                let v = PolicyVersion { id, ..v };
                let e = AuditEntry::new(actor, "policy.store", format!("policy_version:{id}"))
                    .after(serde_json::json!({
                        "policy_id": v.policy_id, "version": v.version, "hash": v.hash
                    }))?;
                append_audit!(&mut *c, &e);
                (v, true)
            }
        }))
    }

    /// One stored version by row id.
    pub async fn policy_version(&self, id: i64) -> Result<PolicyVersion> {
        let sql = format!("{COLS} WHERE id = $1");
        let v: Option<PolicyVersion> =
            read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .fetch_optional(p)
                .await?);
        v.ok_or_else(|| Error::NotFound {
            entity: "policy_version",
            id: id.to_string(),
        })
    }

    /// Every stored version of a policy, oldest first.
    pub async fn policy_versions(&self, policy_id: &str) -> Result<Vec<PolicyVersion>> {
        let sql = format!("{COLS} WHERE policy_id = $1 ORDER BY id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(policy_id)
        .fetch_all(p)
        .await?))
    }

    /// Every stored version, by id.
    pub async fn all_policy_versions(&self) -> Result<Vec<PolicyVersion>> {
        let sql = format!("{COLS} ORDER BY id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .fetch_all(p)
        .await?))
    }
}
