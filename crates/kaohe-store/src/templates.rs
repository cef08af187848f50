//! Document templates (文书模板): the admin's text of each kind of document (warning letter,
//! elimination notice, written notice, monthly summary), every saved version kept forever.
//!
//! A kind without a saved version uses the built-in default (the documents crate owns it; this
//! crate stores text only). Each save is a new row with the next version number — never an
//! overwrite: the current template is the highest version, and a revert to the default is
//! itself a new version marked `is_default`. A save names the version it was based on
//! (`expected_version`, 0 = the built-in default); when someone saved in between, the save is
//! [`Error::Conflict`] with the current version (the server answers 409) and nothing is
//! written. Triggers refuse UPDATE and DELETE; every save appends an audit row (who, the
//! version before, the version after, why) in the same transaction.

use crate::audit::{hex, AuditEntry};
use crate::db::Db;
use crate::error::{is_unique_violation, Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One saved version of a kind's template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct TemplateVersion {
    /// Row id.
    pub id: i64,
    /// Kind code, e.g. `warning_letter`.
    pub kind: String,
    /// Version of this kind's template, from 1 without gaps.
    pub version: i64,
    /// The template text.
    pub text: String,
    /// Whether this version reverted to the built-in default (`text` is the default as it was
    /// then).
    pub is_default: bool,
    /// SHA-256 of the text, lowercase hex.
    pub hash: String,
    /// Why it was changed.
    pub reason: String,
    /// Who saved it.
    pub updated_by: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// A template version as the audit log records it.
#[derive(Serialize)]
struct Audited<'a> {
    kind: &'a str,
    version: i64,
    is_default: bool,
    hash: &'a str,
    text: &'a str,
}

impl<'a> From<&'a TemplateVersion> for Audited<'a> {
    fn from(t: &'a TemplateVersion) -> Audited<'a> {
        Audited {
            kind: &t.kind,
            version: t.version,
            is_default: t.is_default,
            hash: &t.hash,
            text: &t.text,
        }
    }
}

const COLS: &str = "SELECT id, kind, version, text, is_default, hash, reason, updated_by, \
                    updated_at FROM doc_templates";

impl Db {
    /// Save a new version of `kind`'s template, based on `expected_version` (the version the
    /// editor started from; 0 = no saved version, the built-in default). `is_default` marks a
    /// revert to the default. A stale `expected_version` is [`Error::Conflict`] carrying the
    /// current version; an empty kind, text or reason is [`Error::Invalid`]. Nothing is
    /// written in either case.
    pub async fn save_template(
        &self,
        kind: &str,
        text: &str,
        is_default: bool,
        expected_version: i64,
        reason: &str,
        actor: &str,
    ) -> Result<TemplateVersion> {
        if kind.trim().is_empty() {
            return Err(Error::Invalid("模板类型为空 / empty template kind".into()));
        }
        if text.trim().is_empty() {
            return Err(Error::Invalid("模板内容为空 / empty template text".into()));
        }
        if reason.trim().is_empty() {
            return Err(Error::Invalid(
                "修改模板须说明理由 / a template change needs a reason".into(),
            ));
        }
        let hash = hex(&Sha256::digest(text.as_bytes()));
        let latest = format!("{COLS} WHERE kind = $1 ORDER BY version DESC LIMIT 1");
        Ok(write_tx!(self, |c| {
            if crate::db::is_pg(&*c) {
                // Serialise savers of templates: the version check below and the insert must
                // see the same latest row (SQLite's BEGIN IMMEDIATE already does this).
                sqlx::query("LOCK TABLE doc_templates IN EXCLUSIVE MODE")
                    .execute(&mut *c)
                    .await?;
            }
            let before: Option<TemplateVersion> =
                sqlx::query_as(sqlx::AssertSqlSafe(latest.clone()))
                    .bind(kind)
                    .fetch_optional(&mut *c)
                    .await?;
            let current_version = before.as_ref().map_or(0, |t| t.version);
            if current_version != expected_version {
                return Err(conflict(kind, before.as_ref())?);
            }
            let mut row = TemplateVersion {
                id: 0,
                kind: kind.to_string(),
                version: current_version + 1,
                text: text.to_string(),
                is_default,
                hash: hash.clone(),
                reason: reason.trim().to_string(),
                updated_by: actor.to_string(),
                updated_at: crate::db::now(),
            };
            row.id = sqlx::query_scalar(
                "INSERT INTO doc_templates (kind, version, text, is_default, hash, reason, \
                 updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&row.kind)
            .bind(row.version)
            .bind(&row.text)
            .bind(row.is_default)
            .bind(&row.hash)
            .bind(&row.reason)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .fetch_one(&mut *c)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    Error::Conflict {
                        entity: "template",
                        id: 0,
                        current_version: current_version + 1,
                        current: serde_json::json!({ "kind": kind, "version": current_version + 1 }),
                    }
                } else {
                    Error::Db(e)
                }
            })?;
            let action = if is_default {
                "template.revert"
            } else {
                "template.save"
            };
            let mut e = AuditEntry::new(actor, action, format!("template:{kind}"))
                .after(Audited::from(&row))?
                .reason(&row.reason);
            if let Some(b) = &before {
                e = e.before(Audited::from(b))?;
            }
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// The current (newest) version of `kind`'s template; `None` = never saved, the built-in
    /// default applies.
    pub async fn current_template(&self, kind: &str) -> Result<Option<TemplateVersion>> {
        let sql = format!("{COLS} WHERE kind = $1 ORDER BY version DESC LIMIT 1");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(kind)
        .fetch_optional(p)
        .await?))
    }

    /// The current version of every kind that has one, by kind.
    pub async fn current_templates(&self) -> Result<Vec<TemplateVersion>> {
        let sql = format!(
            "{COLS} t WHERE version = (SELECT MAX(version) FROM doc_templates u \
             WHERE u.kind = t.kind) ORDER BY kind"
        );
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .fetch_all(p)
        .await?))
    }

    /// Every saved version of `kind`'s template, newest first.
    pub async fn template_history(&self, kind: &str) -> Result<Vec<TemplateVersion>> {
        let sql = format!("{COLS} WHERE kind = $1 ORDER BY version DESC");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(kind)
        .fetch_all(p)
        .await?))
    }

    /// One saved version of `kind`'s template.
    pub async fn template_version(&self, kind: &str, version: i64) -> Result<TemplateVersion> {
        let sql = format!("{COLS} WHERE kind = $1 AND version = $2");
        let row: Option<TemplateVersion> =
            read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(kind)
                .bind(version)
                .fetch_optional(p)
                .await?);
        row.ok_or_else(|| Error::NotFound {
            entity: "template",
            id: format!("{kind} v{version}"),
        })
    }
}

/// The conflict of a stale save: the current version (0 and no text = the built-in default).
fn conflict(kind: &str, current: Option<&TemplateVersion>) -> Result<Error> {
    Ok(Error::Conflict {
        entity: "template",
        id: current.map_or(0, |t| t.id),
        current_version: current.map_or(0, |t| t.version),
        current: match current {
            Some(t) => serde_json::to_value(t)?,
            None => serde_json::json!({ "kind": kind, "version": 0, "is_default": true }),
        },
    })
}
