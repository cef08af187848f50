//! Decisions (决定): tie decisions, approvals and other recorded decisions of a period, with
//! who decided, when and why. A decision is never changed or deleted (triggers refuse it); a
//! later decision is a new row.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A decision to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDecision {
    /// Period.
    pub period_id: i64,
    /// Kind, e.g. `tie`, `approve`.
    pub kind: String,
    /// What it is about, e.g. a person id or a group.
    pub subject: Option<String>,
    /// The decision as JSON text (must parse as JSON; stored exactly as given).
    pub body_json: String,
    /// Why.
    pub reason: Option<String>,
}

/// A stored decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct DecisionRow {
    /// Row id.
    pub id: i64,
    /// Period.
    pub period_id: i64,
    /// Kind.
    pub kind: String,
    /// Subject.
    pub subject: Option<String>,
    /// JSON text.
    pub body_json: String,
    /// Who decided (the acting login).
    pub decided_by: String,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub decided_at: DateTime<Utc>,
}

impl Db {
    /// Record a decision; `decided_by` is `actor`.
    pub async fn add_decision(&self, d: &NewDecision, actor: &str) -> Result<DecisionRow> {
        if d.kind.trim().is_empty() {
            return Err(Error::Invalid("决定类型为空 / empty decision kind".into()));
        }
        if serde_json::from_str::<serde_json::Value>(&d.body_json).is_err() {
            return Err(Error::Invalid(
                "决定内容不是有效的 JSON / the decision body is not valid JSON".into(),
            ));
        }
        Ok(write_tx!(self, |c| {
            let mut row = DecisionRow {
                id: 0,
                period_id: d.period_id,
                kind: d.kind.clone(),
                subject: d.subject.clone(),
                body_json: d.body_json.clone(),
                decided_by: actor.to_string(),
                reason: d.reason.clone(),
                decided_at: crate::db::now(),
            };
            row.id = sqlx::query_scalar(
                "INSERT INTO decisions (period_id, kind, subject, body_json, decided_by, reason, \
                 decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(row.period_id)
            .bind(&row.kind)
            .bind(&row.subject)
            .bind(&row.body_json)
            .bind(&row.decided_by)
            .bind(&row.reason)
            .bind(row.decided_at)
            .fetch_one(&mut *c)
            .await?;
            let mut e = AuditEntry::new(actor, "decision.add", format!("decision:{}", row.id))
                .after(&row)?;
            e.reason = row.reason.clone();
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// Decisions of a period (of one kind if given), by id.
    pub async fn decisions(&self, period_id: i64, kind: Option<&str>) -> Result<Vec<DecisionRow>> {
        let sql = "SELECT id, period_id, kind, subject, body_json, decided_by, reason, decided_at \
                   FROM decisions WHERE period_id = $1 AND ($2 IS NULL OR kind = $2) ORDER BY id";
        Ok(read!(self, |p| sqlx::query_as(sql)
            .bind(period_id)
            .bind(kind)
            .fetch_all(p)
            .await?))
    }
}
