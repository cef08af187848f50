//! Ratings (评分): who rated whom, in which rater group, with what score and when. Ratings are
//! never changed or destroyed (triggers refuse it); a correction is a new rating that
//! supersedes the old one, so the original stays visible.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::Result;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A stored rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct RatingRow {
    /// Row id.
    pub id: i64,
    /// Period.
    pub period_id: i64,
    /// 被评人 person rated.
    pub ratee_id: String,
    /// 评分人 rater identity.
    pub rater: String,
    /// 评分人类别 rater group, e.g. `同事`.
    pub rater_group: String,
    /// Score as exact decimal text.
    pub score: String,
    /// When.
    pub rated_at: DateTime<Utc>,
    /// The rating this one corrects.
    pub supersedes: Option<i64>,
}

impl RatingRow {
    /// The score as an exact decimal (None if the stored text is not one).
    pub fn score_decimal(&self) -> Option<Decimal> {
        self.score.parse().ok()
    }
}

impl Db {
    /// Record a rating (or a correction of `supersedes`).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_rating(
        &self,
        period_id: i64,
        ratee_id: &str,
        rater: &str,
        rater_group: &str,
        score: Decimal,
        supersedes: Option<i64>,
        actor: &str,
    ) -> Result<RatingRow> {
        Ok(write_tx!(self, |c| {
            let mut row = RatingRow {
                id: 0,
                period_id,
                ratee_id: ratee_id.to_string(),
                rater: rater.to_string(),
                rater_group: rater_group.to_string(),
                score: score.to_string(),
                rated_at: crate::db::now(),
                supersedes,
            };
            row.id = sqlx::query_scalar(
                "INSERT INTO ratings (period_id, ratee_id, rater, rater_group, score, rated_at, \
                 supersedes) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(row.period_id)
            .bind(&row.ratee_id)
            .bind(&row.rater)
            .bind(&row.rater_group)
            .bind(&row.score)
            .bind(row.rated_at)
            .bind(row.supersedes)
            .fetch_one(&mut *c)
            .await?;
            let e =
                AuditEntry::new(actor, "rating.add", format!("rating:{}", row.id)).after(&row)?;
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// Ratings of a period, by ratee then id (superseded ones included).
    pub async fn ratings(&self, period_id: i64) -> Result<Vec<RatingRow>> {
        let sql =
            "SELECT id, period_id, ratee_id, rater, rater_group, score, rated_at, supersedes \
                   FROM ratings WHERE period_id = $1 ORDER BY ratee_id, id";
        Ok(read!(self, |p| sqlx::query_as(sql)
            .bind(period_id)
            .fetch_all(p)
            .await?))
    }
}
