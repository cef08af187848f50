//! Assessment periods (考核期间): one policy version, one label, a state, and a row version for
//! optimistic concurrency — a stale state change gets [`Error::Conflict`] with the row as now
//! stored (the server answers 409), and nothing is overwritten. Which transitions are allowed is
//! the process layer's business; this module only stores them safely.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A stored period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PeriodRow {
    /// Row id.
    pub id: i64,
    /// Policy version it is assessed under (P1.6).
    pub policy_version_id: i64,
    /// Label, e.g. `2024-05`.
    pub label: String,
    /// Ordering index (see `kaohe_engine::data::Period`).
    pub idx: i64,
    /// Unit the period covers (None = the whole population of the policy).
    pub unit_id: Option<i64>,
    /// Cycle state, e.g. `open`, `collecting`, `computed`.
    pub state: String,
    /// Row version, +1 on every change.
    pub row_version: i64,
    /// When created.
    pub created_at: DateTime<Utc>,
}

const COLS: &str =
    "SELECT id, policy_version_id, label, idx, unit_id, state, row_version, created_at FROM periods";

impl Db {
    /// Create a period in state `state`.
    pub async fn create_period(
        &self,
        policy_version_id: i64,
        label: &str,
        idx: i64,
        unit_id: Option<i64>,
        state: &str,
        actor: &str,
    ) -> Result<PeriodRow> {
        Ok(write_tx!(self, |c| {
            let created_at = crate::db::now();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO periods (policy_version_id, label, idx, unit_id, state, row_version, \
                 created_at) VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
            )
            .bind(policy_version_id)
            .bind(label)
            .bind(idx)
            .bind(unit_id)
            .bind(state)
            .bind(created_at)
            .fetch_one(&mut *c)
            .await?;
            let row = PeriodRow {
                id,
                policy_version_id,
                label: label.to_string(),
                idx,
                unit_id,
                state: state.to_string(),
                row_version: 1,
                created_at,
            };
            let e = AuditEntry::new(actor, "period.create", format!("period:{id}")).after(&row)?;
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// One period.
    pub async fn period(&self, id: i64) -> Result<PeriodRow> {
        let sql = format!("{COLS} WHERE id = $1");
        let row: Option<PeriodRow> =
            read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .fetch_optional(p)
                .await?);
        row.ok_or_else(|| Error::NotFound {
            entity: "period",
            id: id.to_string(),
        })
    }

    /// A period with the id of its latest run (the run in force; `None` before the first
    /// computation), in one query: what every ranking read needs first.
    pub async fn period_with_latest_run(&self, id: i64) -> Result<(PeriodRow, Option<i64>)> {
        #[derive(sqlx::FromRow)]
        struct WithRun {
            #[sqlx(flatten)]
            row: PeriodRow,
            latest_run: Option<i64>,
        }
        let sql = "SELECT id, policy_version_id, label, idx, unit_id, state, row_version, \
                   created_at, (SELECT MAX(r.id) FROM runs r WHERE r.period_id = periods.id) \
                   AS latest_run FROM periods WHERE id = $1";
        let row: Option<WithRun> = read!(self, |p| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(p)
            .await?);
        row.map(|w| (w.row, w.latest_run))
            .ok_or_else(|| Error::NotFound {
                entity: "period",
                id: id.to_string(),
            })
    }

    /// Change the state if the row is still at `expected_version`; otherwise
    /// [`Error::Conflict`] with the current row. `reason` goes to the audit log.
    pub async fn update_period_state(
        &self,
        id: i64,
        expected_version: i64,
        new_state: &str,
        actor: &str,
        reason: Option<&str>,
    ) -> Result<PeriodRow> {
        let select = format!("{COLS} WHERE id = $1");
        Ok(write_tx!(self, |c| {
            let before: Option<PeriodRow> = sqlx::query_as(sqlx::AssertSqlSafe(select.clone()))
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
            let Some(before) = before else {
                return Err(Error::NotFound {
                    entity: "period",
                    id: id.to_string(),
                });
            };
            // The version check is in the UPDATE itself, so it holds even between the SELECT
            // and here on PostgreSQL (READ COMMITTED re-checks the WHERE on the new row).
            let done = sqlx::query(
                "UPDATE periods SET state = $1, row_version = row_version + 1 \
                 WHERE id = $2 AND row_version = $3",
            )
            .bind(new_state)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *c)
            .await?;
            if done.rows_affected() != 1 {
                let current: PeriodRow = sqlx::query_as(sqlx::AssertSqlSafe(select.clone()))
                    .bind(id)
                    .fetch_one(&mut *c)
                    .await?;
                return Err(Error::Conflict {
                    entity: "period",
                    id,
                    current_version: current.row_version,
                    current: serde_json::to_value(&current)?,
                });
            }
            let after = PeriodRow {
                state: new_state.to_string(),
                row_version: expected_version + 1,
                ..before.clone()
            };
            let mut e = AuditEntry::new(actor, "period.state", format!("period:{id}"))
                .before(&before)?
                .after(&after)?;
            e.reason = reason.map(str::to_string);
            append_audit!(&mut *c, &e);
            after
        }))
    }

    /// Periods of a policy version, by index.
    pub async fn periods(&self, policy_version_id: i64) -> Result<Vec<PeriodRow>> {
        let sql = format!("{COLS} WHERE policy_version_id = $1 ORDER BY idx, id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(policy_version_id)
        .fetch_all(p)
        .await?))
    }

    /// Every period, by id.
    pub async fn all_periods(&self) -> Result<Vec<PeriodRow>> {
        let sql = format!("{COLS} ORDER BY id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .fetch_all(p)
        .await?))
    }
}
