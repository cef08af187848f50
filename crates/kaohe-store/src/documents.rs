//! Documents (文书): letters, notices and signed scans kept as bytes in the database with their
//! SHA-256, title, file name and MIME type. A stored document is never changed or deleted
//! (triggers refuse it); the audit log records its metadata and hash, not its bytes.

use crate::audit::{hex, AuditEntry};
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A document to store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDocument {
    /// Kind, e.g. `notice`, `signed_scan`.
    pub kind: String,
    /// 工号 of the person it concerns.
    pub person_id: Option<String>,
    /// Period it belongs to.
    pub period_id: Option<i64>,
    /// 标题 title.
    pub title: String,
    /// File name offered on download.
    pub file_name: String,
    /// MIME type, e.g. `application/pdf`.
    pub mime: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A stored document without its bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct DocumentMeta {
    /// Row id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// 工号.
    pub person_id: Option<String>,
    /// Period.
    pub period_id: Option<i64>,
    /// 标题.
    pub title: String,
    /// File name.
    pub file_name: String,
    /// MIME type.
    pub mime: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub hash: String,
    /// Size in bytes.
    pub size: i64,
    /// When stored.
    pub created_at: DateTime<Utc>,
    /// Who stored it.
    pub created_by: String,
    /// The template version it was generated with (`None` = the built-in default, or not
    /// generated from a template).
    #[serde(default)]
    pub template_version: Option<i64>,
}

/// Columns of [`DocumentMeta`]; rows from before schema 3 have no title, file name, MIME type
/// or author and read as empty text (`application/octet-stream` for the type); rows from
/// before schema 4 have no template version.
const META_COLS: &str = "SELECT id, kind, person_id, period_id, COALESCE(title, '') AS title, \
     COALESCE(file_name, '') AS file_name, \
     COALESCE(mime, 'application/octet-stream') AS mime, hash, \
     CAST(COALESCE(length(bytes), 0) AS BIGINT) AS size, created_at, \
     COALESCE(created_by, '') AS created_by, template_version FROM documents";

impl Db {
    /// Store a document; returns its metadata with the SHA-256 of the bytes.
    pub async fn store_document(&self, d: &NewDocument, actor: &str) -> Result<DocumentMeta> {
        self.store_generated_document(d, None, actor).await
    }

    /// Store a document generated from a template, recording which version of the kind's
    /// template it used (`None` = the built-in default) in its row and its audit row.
    pub async fn store_generated_document(
        &self,
        d: &NewDocument,
        template_version: Option<i64>,
        actor: &str,
    ) -> Result<DocumentMeta> {
        if d.kind.trim().is_empty() || d.file_name.trim().is_empty() || d.mime.trim().is_empty() {
            return Err(Error::Invalid(
                "文书类型、文件名或 MIME 类型为空 / empty document kind, file name or MIME type"
                    .into(),
            ));
        }
        let size = i64::try_from(d.bytes.len())
            .map_err(|_| Error::Invalid("文件过大 / the file is too large".into()))?;
        let hash = hex(&Sha256::digest(&d.bytes));
        Ok(write_tx!(self, |c| {
            let mut meta = DocumentMeta {
                id: 0,
                kind: d.kind.clone(),
                person_id: d.person_id.clone(),
                period_id: d.period_id,
                title: d.title.clone(),
                file_name: d.file_name.clone(),
                mime: d.mime.clone(),
                hash: hash.clone(),
                size,
                created_at: crate::db::now(),
                created_by: actor.to_string(),
                template_version,
            };
            meta.id = sqlx::query_scalar(
                "INSERT INTO documents (kind, person_id, period_id, bytes, hash, created_at, \
                 file_name, mime, created_by, title, template_version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(&meta.kind)
            .bind(&meta.person_id)
            .bind(meta.period_id)
            .bind(&d.bytes)
            .bind(&meta.hash)
            .bind(meta.created_at)
            .bind(&meta.file_name)
            .bind(&meta.mime)
            .bind(&meta.created_by)
            .bind(&meta.title)
            .bind(meta.template_version)
            .fetch_one(&mut *c)
            .await?;
            let e = AuditEntry::new(actor, "document.store", format!("document:{}", meta.id))
                .after(&meta)?;
            append_audit!(&mut *c, &e);
            meta
        }))
    }

    /// A document's metadata and bytes. A document kept outside the database (only a path,
    /// none are written by this crate) is [`Error::NotFound`] as `document_bytes`.
    pub async fn document(&self, id: i64) -> Result<(DocumentMeta, Vec<u8>)> {
        let meta_sql = format!("{META_COLS} WHERE id = $1");
        let bytes_sql = "SELECT bytes FROM documents WHERE id = $1";
        let (meta, bytes): (Option<DocumentMeta>, Option<Option<Vec<u8>>>) = read!(self, |p| {
            let meta = sqlx::query_as(sqlx::AssertSqlSafe(meta_sql.clone()))
                .bind(id)
                .fetch_optional(p)
                .await?;
            let bytes = sqlx::query_scalar(bytes_sql)
                .bind(id)
                .fetch_optional(p)
                .await?;
            (meta, bytes)
        });
        let not_found = |entity| Error::NotFound {
            entity,
            id: id.to_string(),
        };
        let meta = meta.ok_or_else(|| not_found("document"))?;
        let bytes = bytes.flatten().ok_or_else(|| not_found("document_bytes"))?;
        Ok((meta, bytes))
    }

    /// Documents' metadata, filtered by period and/or person when given, by id.
    pub async fn documents(
        &self,
        period_id: Option<i64>,
        person_id: Option<&str>,
    ) -> Result<Vec<DocumentMeta>> {
        let sql = format!(
            "{META_COLS} WHERE ($1 IS NULL OR period_id = $1) AND ($2 IS NULL OR person_id = $2) \
             ORDER BY id"
        );
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(period_id)
        .bind(person_id)
        .fetch_all(p)
        .await?))
    }
}
