//! Protected statuses (特殊保护期): periods in which the labour law protects a person from
//! termination — pregnancy (孕期), maternity (产期), nursing (哺乳期), medical treatment
//! (医疗期), work injury (工伤) … — each from a date to an optional end date. Rows are never
//! changed or deleted (triggers refuse it); a correction is a new row that supersedes the old
//! one, which stays, and each row can be superseded once.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{is_unique_violation, Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A stored protected status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ProtectedRow {
    /// Row id.
    pub id: i64,
    /// 工号.
    pub person_id: String,
    /// Kind, e.g. `孕期`, `医疗期`.
    pub kind: String,
    /// First day.
    pub from_date: NaiveDate,
    /// Last day (inclusive), None = open.
    pub to_date: Option<NaiveDate>,
    /// Note, e.g. the certificate.
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// The row this one corrects.
    pub supersedes: Option<i64>,
}

const COLS: &str = "SELECT id, person_id, kind, from_date, to_date, note, recorded_by, \
                    recorded_at, supersedes FROM protected_statuses";

impl Db {
    /// Record a protected status, or a correction of row `supersedes` (same person, not yet
    /// superseded). An end before the start is [`Error::Invalid`].
    #[allow(clippy::too_many_arguments)]
    pub async fn add_protected_status(
        &self,
        person_id: &str,
        kind: &str,
        from: NaiveDate,
        to: Option<NaiveDate>,
        note: Option<&str>,
        supersedes: Option<i64>,
        actor: &str,
    ) -> Result<ProtectedRow> {
        if kind.trim().is_empty() {
            return Err(Error::Invalid(
                "保护期类型为空 / empty protected status kind".into(),
            ));
        }
        if let Some(to) = to {
            if to < from {
                return Err(Error::Invalid(format!(
                    "结束日期 {to} 早于开始日期 {from} / the end {to} is before the start {from}"
                )));
            }
        }
        let select = format!("{COLS} WHERE id = $1");
        Ok(write_tx!(self, |c| {
            let mut old = None;
            if let Some(s) = supersedes {
                let prev: Option<ProtectedRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(select.clone()))
                        .bind(s)
                        .fetch_optional(&mut *c)
                        .await?;
                let Some(prev) = prev else {
                    return Err(Error::NotFound {
                        entity: "protected_status",
                        id: s.to_string(),
                    });
                };
                if prev.person_id != person_id {
                    return Err(Error::Invalid(format!(
                        "被更正的记录 {s} 属于 {}，不是 {person_id} / row {s} being corrected belongs to {}, not {person_id}",
                        prev.person_id, prev.person_id
                    )));
                }
                old = Some(prev);
            }
            let mut row = ProtectedRow {
                id: 0,
                person_id: person_id.to_string(),
                kind: kind.to_string(),
                from_date: from,
                to_date: to,
                note: note.map(str::to_string),
                recorded_by: actor.to_string(),
                recorded_at: crate::db::now(),
                supersedes,
            };
            row.id = sqlx::query_scalar(
                "INSERT INTO protected_statuses (person_id, kind, from_date, to_date, note, \
                 recorded_by, recorded_at, supersedes) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&row.person_id)
            .bind(&row.kind)
            .bind(row.from_date)
            .bind(row.to_date)
            .bind(&row.note)
            .bind(&row.recorded_by)
            .bind(row.recorded_at)
            .bind(row.supersedes)
            .fetch_one(&mut *c)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    Error::Invalid(format!(
                        "记录 {} 已被更正过，请更正最新的记录 / row {} was already corrected: correct the newest row",
                        supersedes.unwrap_or_default(),
                        supersedes.unwrap_or_default()
                    ))
                } else {
                    Error::Db(e)
                }
            })?;
            let mut e = AuditEntry::new(
                actor,
                "protected_status.add",
                format!("protected_status:{}", row.id),
            )
            .after(&row)?;
            if let Some(old) = &old {
                e = e.before(old)?;
            }
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// A person's current protected statuses (those not superseded), by start date then id.
    pub async fn protected_statuses(&self, person_id: &str) -> Result<Vec<ProtectedRow>> {
        let sql = format!(
            "{COLS} WHERE person_id = $1 AND id NOT IN (SELECT supersedes FROM \
             protected_statuses WHERE supersedes IS NOT NULL) ORDER BY from_date, id"
        );
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(person_id)
        .fetch_all(p)
        .await?))
    }
}
