//! Working-day calendars (工作日历): the holiday data of a year as TOML text (the format
//! `kaohe_process` reads), one row per year. A year may be replaced, e.g. when the State
//! Council publishes the next year's arrangement late; the audit log keeps the text before and
//! after.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{Error, Result};

impl Db {
    /// Store or replace the calendar of `year`. Storing the same text again writes nothing.
    pub async fn add_calendar_year(&self, year: i32, toml: &str, actor: &str) -> Result<()> {
        if !(1900..=2200).contains(&year) {
            return Err(Error::Invalid(format!(
                "年份 {year} 不在 1900–2200 之间 / the year {year} is not between 1900 and 2200"
            )));
        }
        if toml.trim().is_empty() {
            return Err(Error::Invalid(format!(
                "{year} 年的日历为空 / the calendar of {year} is empty"
            )));
        }
        write_tx!(self, |c| {
            let before: Option<String> =
                sqlx::query_scalar("SELECT toml FROM calendar_years WHERE year = $1")
                    .bind(year)
                    .fetch_optional(&mut *c)
                    .await?;
            if before.as_deref() != Some(toml) {
                sqlx::query(
                    "INSERT INTO calendar_years (year, toml, added_by, added_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (year) DO UPDATE SET \
                     toml = excluded.toml, added_by = excluded.added_by, \
                     added_at = excluded.added_at",
                )
                .bind(year)
                .bind(toml)
                .bind(actor)
                .bind(crate::db::now())
                .execute(&mut *c)
                .await?;
                let mut e = AuditEntry::new(actor, "calendar.year", format!("calendar:{year}"))
                    .after(serde_json::json!({ "year": year, "toml": toml }))?;
                if let Some(b) = &before {
                    e = e.before(serde_json::json!({ "year": year, "toml": b }))?;
                }
                append_audit!(&mut *c, &e);
            }
        });
        Ok(())
    }

    /// Every stored year with its TOML text, by year.
    pub async fn calendar_years(&self) -> Result<Vec<(i32, String)>> {
        let sql = "SELECT year, toml FROM calendar_years ORDER BY year";
        Ok(read!(self, |p| sqlx::query_as(sql).fetch_all(p).await?))
    }
}
