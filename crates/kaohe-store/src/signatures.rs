//! Signatures (签字): a person's signature under, or refusal to sign, their score or the
//! elimination list (末位名单) of a period, with who recorded it. One signature or refusal per
//! person, period, subject and run; a row is never changed or deleted (triggers refuse it).

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{is_unique_violation, Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Subjects a signature can be about.
pub const SIGNATURE_SUBJECTS: [&str; 2] = ["score", "elimination_list"];
/// Kinds of signature rows.
pub const SIGNATURE_KINDS: [&str; 2] = ["signed", "refused"];

/// A signature or refusal to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSignature {
    /// Period.
    pub period_id: i64,
    /// 工号 of the person signing.
    pub person_id: String,
    /// The run whose result is signed, if any.
    pub run_id: Option<i64>,
    /// `score` (考核结果) or `elimination_list` (末位名单).
    pub subject: String,
    /// `signed` (已签字) or `refused` (拒签).
    pub kind: String,
    /// Note, e.g. who witnessed a refusal.
    pub note: Option<String>,
}

/// A stored signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SignatureRow {
    /// Row id.
    pub id: i64,
    /// Period.
    pub period_id: i64,
    /// 工号.
    pub person_id: String,
    /// Run.
    pub run_id: Option<i64>,
    /// `score` or `elimination_list`.
    pub subject: String,
    /// `signed` or `refused`.
    pub kind: String,
    /// Note.
    pub note: Option<String>,
    /// When recorded.
    pub at: DateTime<Utc>,
    /// Who recorded it (empty for rows from before schema 3).
    pub recorded_by: String,
}

impl Db {
    /// Record a signature or refusal. A second one for the same period, person, subject and
    /// run is [`Error::Invalid`]; a run of another period too.
    pub async fn add_signature(&self, s: &NewSignature, actor: &str) -> Result<SignatureRow> {
        if !SIGNATURE_SUBJECTS.contains(&s.subject.as_str()) {
            return Err(Error::Invalid(format!(
                "签字对象须为 score 或 elimination_list，而不是 {} / the subject must be score or elimination_list, not {}",
                s.subject, s.subject
            )));
        }
        if !SIGNATURE_KINDS.contains(&s.kind.as_str()) {
            return Err(Error::Invalid(format!(
                "签字类型须为 signed 或 refused，而不是 {} / the kind must be signed or refused, not {}",
                s.kind, s.kind
            )));
        }
        let already = || {
            Error::Invalid(format!(
                "{} 在本期间对 {} 的签字或拒签已记录 / a signature or refusal of {} for {} in this period is already recorded",
                s.person_id, s.subject, s.person_id, s.subject
            ))
        };
        Ok(write_tx!(self, |c| {
            if let Some(run) = s.run_id {
                let period: Option<i64> =
                    sqlx::query_scalar("SELECT period_id FROM runs WHERE id = $1")
                        .bind(run)
                        .fetch_optional(&mut *c)
                        .await?;
                match period {
                    None => {
                        return Err(Error::NotFound {
                            entity: "run",
                            id: run.to_string(),
                        })
                    }
                    Some(p) if p != s.period_id => {
                        return Err(Error::Invalid(format!(
                            "计算结果 {run} 不属于期间 {} / run {run} is not of period {}",
                            s.period_id, s.period_id
                        )))
                    }
                    Some(_) => {}
                }
            }
            let mut row = SignatureRow {
                id: 0,
                period_id: s.period_id,
                person_id: s.person_id.clone(),
                run_id: s.run_id,
                subject: s.subject.clone(),
                kind: s.kind.clone(),
                note: s.note.clone(),
                at: crate::db::now(),
                recorded_by: actor.to_string(),
            };
            row.id = sqlx::query_scalar(
                "INSERT INTO signatures (period_id, person_id, run_id, subject, kind, note, at, \
                 recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(row.period_id)
            .bind(&row.person_id)
            .bind(row.run_id)
            .bind(&row.subject)
            .bind(&row.kind)
            .bind(&row.note)
            .bind(row.at)
            .bind(&row.recorded_by)
            .fetch_one(&mut *c)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    already()
                } else {
                    Error::Db(e)
                }
            })?;
            let e = AuditEntry::new(actor, "signature.add", format!("signature:{}", row.id))
                .after(&row)?;
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// Signatures and refusals of a period, by id.
    pub async fn signatures(&self, period_id: i64) -> Result<Vec<SignatureRow>> {
        let sql = "SELECT id, period_id, person_id, run_id, subject, kind, note, at, \
                   COALESCE(recorded_by, '') AS recorded_by FROM signatures \
                   WHERE period_id = $1 ORDER BY id";
        Ok(read!(self, |p| sqlx::query_as(sql)
            .bind(period_id)
            .fetch_all(p)
            .await?))
    }
}
