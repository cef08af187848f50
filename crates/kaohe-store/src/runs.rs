//! Computed runs (计算结果): each run of the engine is stored once, immutable, with the policy
//! version, a hash of its inputs and the result JSON exactly as produced. After a period is final,
//! a correction is an amendment: a new run plus a reason that supersedes the old one, which stays.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A run to store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRun {
    /// Period.
    pub period_id: i64,
    /// Policy version computed with (P1.6).
    pub policy_version_id: i64,
    /// Hash of the inputs (facts, roster, decisions) the engine read.
    pub inputs_hash: String,
    /// `PeriodResult` as JSON text.
    pub result_json: String,
}

/// A stored run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct RunRow {
    /// Run id.
    pub id: i64,
    /// Period.
    pub period_id: i64,
    /// Policy version.
    pub policy_version_id: i64,
    /// Inputs hash.
    pub inputs_hash: String,
    /// Result JSON text.
    pub result_json: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who.
    pub created_by: String,
}

/// A stored amendment (更正).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Amendment {
    /// Row id.
    pub id: i64,
    /// The new run.
    pub run_id: i64,
    /// The run it corrects.
    pub supersedes: i64,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who.
    pub created_by: String,
}

const COLS: &str = "SELECT id, period_id, policy_version_id, inputs_hash, result_json, \
                    created_at, created_by FROM runs";

/// Insert a run on connection `$c`; evaluates to the [`RunRow`].
macro_rules! insert_run {
    ($c:expr, $run:expr, $actor:expr) => {{
        let c = $c;
        let run: &NewRun = $run;
        let created_at = crate::db::now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO runs (period_id, policy_version_id, inputs_hash, result_json, \
             created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(run.period_id)
        .bind(run.policy_version_id)
        .bind(&run.inputs_hash)
        .bind(&run.result_json)
        .bind(created_at)
        .bind($actor)
        .fetch_one(&mut *c)
        .await?;
        RunRow {
            id,
            period_id: run.period_id,
            policy_version_id: run.policy_version_id,
            inputs_hash: run.inputs_hash.clone(),
            result_json: run.result_json.clone(),
            created_at,
            created_by: $actor.to_string(),
        }
    }};
}

fn summary(r: &RunRow) -> serde_json::Value {
    serde_json::json!({
        "run": r.id, "period_id": r.period_id, "policy_version_id": r.policy_version_id,
        "inputs_hash": r.inputs_hash
    })
}

impl Db {
    /// Store a run.
    pub async fn store_run(&self, run: &NewRun, actor: &str) -> Result<RunRow> {
        Ok(write_tx!(self, |c| {
            let row = insert_run!(&mut *c, run, actor);
            let e = AuditEntry::new(actor, "run.store", format!("run:{}", row.id))
                .after(summary(&row))?;
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// Store a correcting run that supersedes `original`, with a reason (required).
    pub async fn amend_run(
        &self,
        original: i64,
        run: &NewRun,
        reason: &str,
        actor: &str,
    ) -> Result<(RunRow, Amendment)> {
        if reason.trim().is_empty() {
            return Err(Error::Invalid(
                "更正必须说明理由 / an amendment needs a reason".into(),
            ));
        }
        let old = self.run(original).await?;
        if old.period_id != run.period_id {
            return Err(Error::Invalid(format!(
                "更正须属于同一考核期间 / an amendment must be for the same period as run {original}"
            )));
        }
        Ok(write_tx!(self, |c| {
            let row = insert_run!(&mut *c, run, actor);
            let created_at = crate::db::now();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO amendments (run_id, supersedes, reason, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(row.id)
            .bind(original)
            .bind(reason)
            .bind(created_at)
            .bind(actor)
            .fetch_one(&mut *c)
            .await?;
            let a = Amendment {
                id,
                run_id: row.id,
                supersedes: original,
                reason: reason.to_string(),
                created_at,
                created_by: actor.to_string(),
            };
            let e = AuditEntry::new(actor, "run.amend", format!("run:{}", row.id))
                .before(summary(&old))?
                .after(summary(&row))?
                .reason(reason);
            append_audit!(&mut *c, &e);
            (row, a)
        }))
    }

    /// One run.
    pub async fn run(&self, id: i64) -> Result<RunRow> {
        let sql = format!("{COLS} WHERE id = $1");
        let r: Option<RunRow> = read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(p)
            .await?);
        r.ok_or_else(|| Error::NotFound {
            entity: "run",
            id: id.to_string(),
        })
    }

    /// Runs of a period, oldest first.
    pub async fn runs(&self, period_id: i64) -> Result<Vec<RunRow>> {
        let sql = format!("{COLS} WHERE period_id = $1 ORDER BY id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(period_id)
        .fetch_all(p)
        .await?))
    }

    /// The latest run of a period (the one in force: an amendment is a newer run), if any.
    pub async fn latest_run(&self, period_id: i64) -> Result<Option<RunRow>> {
        let sql = format!("{COLS} WHERE period_id = $1 ORDER BY id DESC LIMIT 1");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(period_id)
        .fetch_optional(p)
        .await?))
    }

    /// The id of the latest run of a period, without its result (cheap).
    pub async fn latest_run_id(&self, period_id: i64) -> Result<Option<i64>> {
        let sql = "SELECT MAX(id) FROM runs WHERE period_id = $1";
        Ok(read!(self, |p| sqlx::query_scalar(sql)
            .bind(period_id)
            .fetch_one(p)
            .await?))
    }

    /// Amendments of a period's runs, oldest first.
    pub async fn amendments(&self, period_id: i64) -> Result<Vec<Amendment>> {
        let sql = "SELECT a.id, a.run_id, a.supersedes, a.reason, a.created_at, a.created_by \
                   FROM amendments a JOIN runs r ON r.id = a.run_id WHERE r.period_id = $1 \
                   ORDER BY a.id";
        Ok(read!(self, |p| sqlx::query_as(sql)
            .bind(period_id)
            .fetch_all(p)
            .await?))
    }
}
