//! People (人员) and their effective-dated history (履历): unit, post (岗位), level (级别) and
//! status (状态) each valid from a date (inclusive) to the next change (exclusive). As-of
//! queries answer "where was this person on that day", which is what a past period is
//! computed with.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A person to add (人员).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    /// 工号 employee id.
    pub id: String,
    /// 姓名 name.
    pub name: String,
    /// 入职日期 hire date.
    pub hire_date: Option<NaiveDate>,
}

/// One change of a person's situation, valid from a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Organisation unit.
    pub unit_id: i64,
    /// 岗位 post.
    pub post: Option<String>,
    /// 级别 level.
    pub level: Option<String>,
    /// 状态 status, e.g. `转正`, `试用`, `孕期`.
    pub status: Option<String>,
    /// First day this applies.
    pub valid_from: NaiveDate,
}

/// A person as of a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PersonAsOf {
    /// 工号.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// 入职日期.
    pub hire_date: Option<NaiveDate>,
    /// Unit that day.
    pub unit_id: i64,
    /// 岗位.
    pub post: Option<String>,
    /// 级别.
    pub level: Option<String>,
    /// 状态.
    pub status: Option<String>,
    /// Since when this applies.
    pub valid_from: NaiveDate,
    /// Until when (exclusive), if it has ended.
    pub valid_to: Option<NaiveDate>,
}

const AS_OF: &str = "SELECT p.id, p.name, p.hire_date, h.unit_id, h.post, h.level, h.status, \
     h.valid_from, h.valid_to FROM people p JOIN person_history h ON h.person_id = p.id \
     WHERE h.valid_from <= $1 AND (h.valid_to IS NULL OR h.valid_to > $1)";

/// Refuse a person without id or name.
pub(crate) fn check_person(person: &NewPerson) -> Result<()> {
    if person.id.trim().is_empty() || person.name.trim().is_empty() {
        return Err(Error::Invalid("工号或姓名为空 / empty id or name".into()));
    }
    Ok(())
}

/// Insert a person and their first history entry on connection `$c` (no audit row).
macro_rules! insert_person {
    ($c:expr, $person:expr, $first:expr) => {{
        let c = $c;
        let person: &$crate::people::NewPerson = $person;
        let first: &$crate::people::HistoryEntry = $first;
        sqlx::query("INSERT INTO people (id, name, hire_date, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&person.id)
            .bind(&person.name)
            .bind(person.hire_date)
            .bind(crate::db::now())
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO person_history (person_id, unit_id, post, level, status, valid_from) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&person.id)
        .bind(first.unit_id)
        .bind(&first.post)
        .bind(&first.level)
        .bind(&first.status)
        .bind(first.valid_from)
        .execute(&mut *c)
        .await?;
    }};
}

/// Close the open history entry of person `$id` and open `$entry` on connection `$c` (no audit
/// row); returns from the enclosing function with an error if there is no open entry or the
/// change is not after it.
macro_rules! change_history {
    ($c:expr, $id:expr, $entry:expr) => {{
        let c = $c;
        let id: &str = $id;
        let entry: &$crate::people::HistoryEntry = $entry;
        let open: Option<(i64, chrono::NaiveDate)> = sqlx::query_as(
            "SELECT id, valid_from FROM person_history WHERE person_id = $1 \
             AND valid_to IS NULL",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
        let Some((open_id, open_from)) = open else {
            return Err(Error::NotFound {
                entity: "person",
                id: id.to_string(),
            });
        };
        if entry.valid_from <= open_from {
            return Err(Error::Invalid(format!(
                "变动日期 {} 须晚于当前记录的开始日期 {open_from} / the change date {} must be after the current entry's start {open_from}",
                entry.valid_from, entry.valid_from
            )));
        }
        sqlx::query("UPDATE person_history SET valid_to = $1 WHERE id = $2")
            .bind(entry.valid_from)
            .bind(open_id)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO person_history (person_id, unit_id, post, level, status, valid_from) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(entry.unit_id)
        .bind(&entry.post)
        .bind(&entry.level)
        .bind(&entry.status)
        .bind(entry.valid_from)
        .execute(&mut *c)
        .await?;
    }};
}

/// Create a person from a roster row, or record a history change when their situation on
/// the entry's date differs; nothing (no audit row) when it is the same. Used inside a write
/// transaction by [`Db::upsert_person_from_roster`] and `Db::import_roster`.
macro_rules! upsert_person {
    ($c:expr, $p:expr, $entry:expr, $actor:expr) => {{
        let c = $c;
        let p = $p;
        let entry = $entry;
        let actor = $actor;
            let exists: Option<String> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1")
                .bind(&p.id)
                .fetch_optional(&mut *c)
                .await?;
            if exists.is_none() {
                insert_person!(&mut *c, p, entry);
                let e = AuditEntry::new(actor, "person.add", format!("person:{}", p.id))
                    .after(serde_json::json!({ "person": p, "history": entry }))?;
                append_audit!(&mut *c, &e);
            } else {
                type Situation = (i64, Option<String>, Option<String>, Option<String>);
                let now: Option<Situation> = sqlx::query_as(
                    "SELECT unit_id, post, level, status FROM person_history \
                     WHERE person_id = $1 AND valid_from <= $2 \
                     AND (valid_to IS NULL OR valid_to > $2)",
                )
                .bind(&p.id)
                .bind(entry.valid_from)
                .fetch_optional(&mut *c)
                .await?;
                let wanted = (
                    entry.unit_id,
                    entry.post.clone(),
                    entry.level.clone(),
                    entry.status.clone(),
                );
                let open_from: Option<chrono::NaiveDate> = sqlx::query_scalar(
                    "SELECT valid_from FROM person_history WHERE person_id = $1 AND valid_to IS NULL",
                )
                .bind(&p.id)
                .fetch_optional(&mut *c)
                .await?;
                // A roster for an earlier period than the person's latest entry changes
                // nothing here: the later history stands, and the period keeps its own
                // snapshot of the roster.
                let earlier = open_from.is_some_and(|f| entry.valid_from < f);
                if now.as_ref() != Some(&wanted) && !earlier {
                    let action = if open_from == Some(entry.valid_from) {
                        // The same day again (a corrected roster): correct the entry in place.
                        sqlx::query(
                            "UPDATE person_history SET unit_id = $1, post = $2, level = $3, \
                             status = $4 WHERE person_id = $5 AND valid_to IS NULL",
                        )
                        .bind(entry.unit_id)
                        .bind(&entry.post)
                        .bind(&entry.level)
                        .bind(&entry.status)
                        .bind(&p.id)
                        .execute(&mut *c)
                        .await?;
                        "person.correct"
                    } else {
                        change_history!(&mut *c, &p.id, entry);
                        "person.change"
                    };
                    let before = now.map(|(unit_id, post, level, status)| {
                        serde_json::json!({
                            "unit_id": unit_id, "post": post, "level": level, "status": status
                        })
                    });
                    let mut e = AuditEntry::new(actor, action, format!("person:{}", p.id))
                        .after(entry)?;
                    if let Some(b) = before {
                        e = e.before(b)?;
                    }
                    append_audit!(&mut *c, &e);
                }
            }
    }};
}

impl Db {
    /// Add a person with their first history entry, in one transaction.
    pub async fn add_person(
        &self,
        person: &NewPerson,
        first: &HistoryEntry,
        actor: &str,
    ) -> Result<()> {
        check_person(person)?;
        write_tx!(self, |c| {
            insert_person!(&mut *c, person, first);
            let e = AuditEntry::new(actor, "person.add", format!("person:{}", person.id))
                .after(serde_json::json!({ "person": person, "history": first }))?;
            append_audit!(&mut *c, &e);
        });
        Ok(())
    }

    /// Record a change from `entry.valid_from` on: the open entry is closed that day. A change
    /// must come after the latest one (history is never rewritten; a wrong entry is corrected by
    /// a later one, and the audit log keeps both).
    pub async fn change_person(&self, id: &str, entry: &HistoryEntry, actor: &str) -> Result<()> {
        write_tx!(self, |c| {
            change_history!(&mut *c, id, entry);
            let e = AuditEntry::new(actor, "person.change", format!("person:{id}")).after(entry)?;
            append_audit!(&mut *c, &e);
        });
        Ok(())
    }

    /// A person's id, name and hire date, if they exist.
    pub async fn person(&self, id: &str) -> Result<Option<(String, String, Option<NaiveDate>)>> {
        let sql = "SELECT id, name, hire_date FROM people WHERE id = $1";
        Ok(read!(self, |p| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(p)
            .await?))
    }

    /// Bring a person in line with a roster row: a new person is added with `entry`; for a
    /// known person whose unit, post, level or status as of `entry.valid_from` differs from
    /// `entry`, the change is recorded from that day (as [`Db::change_person`], so it must be
    /// after their latest entry); when nothing differs nothing is written and no audit row is
    /// added. Name and hire date of a known person are left as stored.
    pub async fn upsert_person_from_roster(
        &self,
        p: &NewPerson,
        entry: &HistoryEntry,
        actor: &str,
    ) -> Result<()> {
        check_person(p)?;
        write_tx!(self, |c| {
            upsert_person!(&mut *c, p, entry, actor);
        });
        Ok(())
    }

    /// A person as of `date`, if employed in a unit that day.
    pub async fn person_as_of(&self, id: &str, date: NaiveDate) -> Result<Option<PersonAsOf>> {
        let sql = format!("{AS_OF} AND p.id = $2");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(date)
        .bind(id)
        .fetch_optional(p)
        .await?))
    }

    /// Everyone in `unit` or below it as of `date`, by id.
    pub async fn people_as_of(&self, unit: i64, date: NaiveDate) -> Result<Vec<PersonAsOf>> {
        let sql = format!(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM org_units WHERE id = $2 \
             UNION ALL SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id) \
             {AS_OF} AND h.unit_id IN (SELECT id FROM sub) ORDER BY p.id"
        );
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(date)
        .bind(unit)
        .fetch_all(p)
        .await?))
    }

    /// A person's whole history, oldest first.
    pub async fn person_history(&self, id: &str) -> Result<Vec<PersonAsOf>> {
        let sql = "SELECT p.id, p.name, p.hire_date, h.unit_id, h.post, h.level, h.status, \
             h.valid_from, h.valid_to FROM people p JOIN person_history h ON h.person_id = p.id \
             WHERE p.id = $1 ORDER BY h.valid_from";
        Ok(read!(self, |p| sqlx::query_as(sql)
            .bind(id)
            .fetch_all(p)
            .await?))
    }
}
