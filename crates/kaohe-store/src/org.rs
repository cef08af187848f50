//! The organisation tree (组织架构): group (集团) → region (区域) → branch (分公司) →
//! department (部门) / project (项目). The store checks that each unit sits under a unit of the
//! right kind, so scope checks can rely on the tree's shape.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{is_unique_violation, Error, Result};
use serde::{Deserialize, Serialize};

/// Kind of an organisation unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 集团 group (the root).
    Group,
    /// 区域 region.
    Region,
    /// 分公司 branch.
    Branch,
    /// 部门 department.
    Department,
    /// 项目 project.
    Project,
}

impl UnitKind {
    /// Name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Group => "group",
            UnitKind::Region => "region",
            UnitKind::Branch => "branch",
            UnitKind::Department => "department",
            UnitKind::Project => "project",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<UnitKind> {
        Some(match s {
            "group" => UnitKind::Group,
            "region" => UnitKind::Region,
            "branch" => UnitKind::Branch,
            "department" => UnitKind::Department,
            "project" => UnitKind::Project,
            _ => return None,
        })
    }

    /// The kind a parent must have (`None`: must be a root).
    fn parent_kind(self) -> Option<UnitKind> {
        match self {
            UnitKind::Group => None,
            UnitKind::Region => Some(UnitKind::Group),
            UnitKind::Branch => Some(UnitKind::Region),
            UnitKind::Department | UnitKind::Project => Some(UnitKind::Branch),
        }
    }
}

/// One organisation unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    /// Id.
    pub id: i64,
    /// Parent unit (None for the group).
    pub parent_id: Option<i64>,
    /// Kind.
    pub kind: UnitKind,
    /// Name, e.g. `华东区`.
    pub name: String,
}

type UnitTuple = (i64, Option<i64>, String, String);

fn unit(t: UnitTuple) -> Result<OrgUnit> {
    let kind = UnitKind::parse(&t.2)
        .ok_or_else(|| Error::Invalid(format!("未知组织类型 / unknown unit kind {}", t.2)))?;
    Ok(OrgUnit {
        id: t.0,
        parent_id: t.1,
        kind,
        name: t.3,
    })
}

const UNIT_COLS: &str = "SELECT id, parent_id, kind, name FROM org_units";

impl Db {
    /// Add a unit under `parent` (None only for a group).
    pub async fn add_unit(
        &self,
        parent: Option<i64>,
        kind: UnitKind,
        name: &str,
        actor: &str,
    ) -> Result<OrgUnit> {
        if name.trim().is_empty() {
            return Err(Error::Invalid("组织名称为空 / unit name is empty".into()));
        }
        let parent_unit = match parent {
            Some(p) => Some(self.unit(p).await?),
            None => None,
        };
        if parent_unit.as_ref().map(|u| u.kind) != kind.parent_kind() {
            let zh = |k: Option<UnitKind>| match k {
                Some(UnitKind::Group) => "集团",
                Some(UnitKind::Region) => "区域",
                Some(UnitKind::Branch) => "分公司",
                Some(UnitKind::Department) => "部门",
                Some(UnitKind::Project) => "项目",
                None => "顶层",
            };
            let en = |k: Option<UnitKind>| k.map_or("the top level", UnitKind::as_str);
            let under = parent_unit.as_ref().map(|u| u.kind);
            return Err(Error::Invalid(format!(
                "{}不能放在{}之下，应在{}之下（集团 → 区域 → 分公司 → 部门/项目） / a {} cannot sit under {}; it belongs under {} (group → region → branch → department/project)",
                zh(Some(kind)),
                zh(under),
                zh(kind.parent_kind()),
                kind.as_str(),
                en(under),
                en(kind.parent_kind()),
            )));
        }
        Ok(write_tx!(self, |c| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO org_units (parent_id, kind, name) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(parent)
            .bind(kind.as_str())
            .bind(name)
            .fetch_one(&mut *c)
            .await?;
            let u = OrgUnit {
                id,
                parent_id: parent,
                kind,
                name: name.to_string(),
            };
            let e = AuditEntry::new(actor, "org_unit.add", format!("org_unit:{id}")).after(&u)?;
            append_audit!(&mut *c, &e);
            u
        }))
    }

    /// The unit called `name` directly under `parent_id` (None: a root unit), if any.
    pub async fn unit_by_name(
        &self,
        parent_id: Option<i64>,
        name: &str,
    ) -> Result<Option<OrgUnit>> {
        let sql = format!(
            "{UNIT_COLS} WHERE parent_id IS NOT DISTINCT FROM $1 AND name = $2 ORDER BY id"
        );
        let t: Option<UnitTuple> =
            read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(parent_id)
                .bind(name)
                .fetch_optional(p)
                .await?);
        t.map(unit).transpose()
    }

    /// The unit called `name` under `parent_id`, added (and audited) if missing; an existing
    /// unit is returned without an audit row. An existing unit of another kind is
    /// [`Error::Invalid`].
    pub async fn ensure_unit(
        &self,
        parent_id: Option<i64>,
        kind: UnitKind,
        name: &str,
        actor: &str,
    ) -> Result<OrgUnit> {
        let found = match self.unit_by_name(parent_id, name).await? {
            Some(u) => Some(u),
            None => match self.add_unit(parent_id, kind, name, actor).await {
                Ok(u) => return Ok(u),
                // Added by someone else in between: use theirs.
                Err(Error::Db(e)) if is_unique_violation(&e) => {
                    self.unit_by_name(parent_id, name).await?
                }
                Err(e) => return Err(e),
            },
        };
        let Some(u) = found else {
            return Err(Error::NotFound {
                entity: "org_unit",
                id: name.to_string(),
            });
        };
        if u.kind != kind {
            return Err(Error::Invalid(format!(
                "组织 {name} 已存在，类型为 {} 而不是 {} / the unit {name} exists as a {}, not a {}",
                u.kind.as_str(),
                kind.as_str(),
                u.kind.as_str(),
                kind.as_str()
            )));
        }
        Ok(u)
    }

    /// One unit.
    pub async fn unit(&self, id: i64) -> Result<OrgUnit> {
        let sql = "SELECT id, parent_id, kind, name FROM org_units WHERE id = $1";
        let t: Option<UnitTuple> = read!(self, |p| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(p)
            .await?);
        unit(t.ok_or_else(|| Error::NotFound {
            entity: "org_unit",
            id: id.to_string(),
        })?)
    }

    /// Every unit, by id.
    pub async fn units(&self) -> Result<Vec<OrgUnit>> {
        let sql = "SELECT id, parent_id, kind, name FROM org_units ORDER BY id";
        let rows: Vec<UnitTuple> = read!(self, |p| sqlx::query_as(sql).fetch_all(p).await?);
        rows.into_iter().map(unit).collect()
    }

    /// A unit and everything under it, by id.
    pub async fn subtree(&self, root: i64) -> Result<Vec<OrgUnit>> {
        let sql = format!(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM org_units WHERE id = $1 \
             UNION ALL SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id) \
             {UNIT_COLS} WHERE id IN (SELECT id FROM sub) ORDER BY id"
        );
        let rows: Vec<UnitTuple> =
            read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(root)
                .fetch_all(p)
                .await?);
        rows.into_iter().map(unit).collect()
    }
}
