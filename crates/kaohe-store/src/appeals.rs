//! Appeals (申诉): filed by a person against a period's result, then accepted (受理) or
//! rejected (驳回) by a reviewer. Rows carry a row version: a stale update gets
//! [`Error::Conflict`] with the row as now stored (the server answers 409). Which state changes
//! are allowed is the process layer's business (`kaohe_process::appeal`); this module stores
//! them safely and records who decided and when.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A stored appeal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AppealRow {
    /// Row id.
    pub id: i64,
    /// Period.
    pub period_id: i64,
    /// 工号 of the person appealing.
    pub person_id: String,
    /// State: `filed`, then e.g. `accepted`, `rejected`, `republished`.
    pub state: String,
    /// The written appeal.
    pub reason: String,
    /// When filed.
    pub filed_at: DateTime<Utc>,
    /// When accepted or rejected.
    pub decided_at: Option<DateTime<Utc>>,
    /// Who accepted or rejected it.
    pub decided_by: Option<String>,
    /// The reviewer's note.
    pub decision_note: Option<String>,
    /// Row version, +1 on every change.
    pub row_version: i64,
}

const COLS: &str = "SELECT id, period_id, person_id, state, reason, filed_at, decided_at, \
                    decided_by, decision_note, row_version FROM appeals";

/// States that are a decision: moving into one records who and when.
const DECIDING: [&str; 2] = ["accepted", "rejected"];

fn not_found(id: i64) -> Error {
    Error::NotFound {
        entity: "appeal",
        id: id.to_string(),
    }
}

impl Db {
    /// File an appeal (state `filed`).
    pub async fn file_appeal(
        &self,
        period_id: i64,
        person_id: &str,
        reason: &str,
        actor: &str,
    ) -> Result<AppealRow> {
        if reason.trim().is_empty() {
            return Err(Error::Invalid(
                "申诉须写明理由 / an appeal needs a reason".into(),
            ));
        }
        Ok(write_tx!(self, |c| {
            let mut row = AppealRow {
                id: 0,
                period_id,
                person_id: person_id.to_string(),
                state: "filed".into(),
                reason: reason.to_string(),
                filed_at: crate::db::now(),
                decided_at: None,
                decided_by: None,
                decision_note: None,
                row_version: 1,
            };
            row.id = sqlx::query_scalar(
                "INSERT INTO appeals (period_id, person_id, state, reason, filed_at, row_version) \
                 VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
            )
            .bind(row.period_id)
            .bind(&row.person_id)
            .bind(&row.state)
            .bind(&row.reason)
            .bind(row.filed_at)
            .fetch_one(&mut *c)
            .await?;
            let e =
                AuditEntry::new(actor, "appeal.file", format!("appeal:{}", row.id)).after(&row)?;
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// One appeal.
    pub async fn appeal(&self, id: i64) -> Result<AppealRow> {
        let sql = format!("{COLS} WHERE id = $1");
        let row: Option<AppealRow> =
            read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .fetch_optional(p)
                .await?);
        row.ok_or_else(|| not_found(id))
    }

    /// Appeals of a period, by id.
    pub async fn appeals(&self, period_id: i64) -> Result<Vec<AppealRow>> {
        let sql = format!("{COLS} WHERE period_id = $1 ORDER BY id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(period_id)
        .fetch_all(p)
        .await?))
    }

    /// Move an appeal to `state` if the row is still at `expected_version`; otherwise
    /// [`Error::Conflict`] with the current row. Into `accepted` or `rejected`, `decided_by` is
    /// set to `actor` and `decided_at` to now; other states keep them. `decision_note`
    /// replaces the note when given. Audited with the row before and after.
    pub async fn update_appeal(
        &self,
        id: i64,
        expected_version: i64,
        state: &str,
        decision_note: Option<&str>,
        actor: &str,
    ) -> Result<AppealRow> {
        if state.trim().is_empty() {
            return Err(Error::Invalid("申诉状态为空 / empty appeal state".into()));
        }
        let select = format!("{COLS} WHERE id = $1");
        Ok(write_tx!(self, |c| {
            let before: Option<AppealRow> = sqlx::query_as(sqlx::AssertSqlSafe(select.clone()))
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
            let Some(before) = before else {
                return Err(not_found(id));
            };
            let mut after = AppealRow {
                state: state.to_string(),
                row_version: expected_version + 1,
                ..before.clone()
            };
            if DECIDING.contains(&state) {
                after.decided_at = Some(crate::db::now());
                after.decided_by = Some(actor.to_string());
            }
            if let Some(note) = decision_note {
                after.decision_note = Some(note.to_string());
            }
            // The version check is in the UPDATE itself (see periods.rs).
            let done = sqlx::query(
                "UPDATE appeals SET state = $1, decided_at = $2, decided_by = $3, \
                 decision_note = $4, row_version = row_version + 1 \
                 WHERE id = $5 AND row_version = $6",
            )
            .bind(&after.state)
            .bind(after.decided_at)
            .bind(&after.decided_by)
            .bind(&after.decision_note)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *c)
            .await?;
            if done.rows_affected() != 1 {
                let current: AppealRow = sqlx::query_as(sqlx::AssertSqlSafe(select.clone()))
                    .bind(id)
                    .fetch_one(&mut *c)
                    .await?;
                return Err(Error::Conflict {
                    entity: "appeal",
                    id,
                    current_version: current.row_version,
                    current: serde_json::to_value(&current)?,
                });
            }
            let e = AuditEntry::new(actor, "appeal.update", format!("appeal:{id}"))
                .before(&before)?
                .after(&after)?;
            append_audit!(&mut *c, &e);
            after
        }))
    }
}
