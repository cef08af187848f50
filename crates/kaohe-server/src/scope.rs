//! Who may see what (数据范围): every user works inside their organisation subtree; an employee
//! sees themself (and, once published, the 公示 of their own group without scores); a rater
//! sees only the people assigned to them. Anything outside the caller's scope answers 404, as
//! if it did not exist.

use crate::auth::Caller;
use crate::compute::Member;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use kaohe_process::role::Role;
use kaohe_store::PeriodRow;
use std::collections::HashSet;
use std::ops::Not;

/// The units a caller covers.
#[derive(Clone, Debug)]
pub enum Scope {
    /// The whole organisation (admin, HQ HR or GM office without a scope unit).
    All,
    /// A subtree: these unit ids.
    Units(HashSet<i64>),
    /// No units (employees and raters see people, not units).
    Nothing,
}

impl Scope {
    /// Whether the unit is covered.
    pub fn covers(&self, unit: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(s) => s.contains(&unit),
            Scope::Nothing => false,
        }
    }
}

/// Roles that see by organisation unit.
pub fn sees_units(role: Role) -> bool {
    !matches!(role, Role::Employee | Role::Rater)
}

/// Whether the caller sees the whole organisation (admin, HQ HR or GM office without a unit).
fn sees_all(c: &Caller) -> bool {
    c.user.scope_unit_id.is_none() && matches!(c.role, Role::Admin | Role::HqHr | Role::GmOffice)
}

/// Whether the caller's scope covers the whole of period `p` without reading the unit tree:
/// they see the whole organisation, or their own unit is the period's. [`scope`] followed by
/// [`Scope::covers`] gives the same answer with a query; this is the ranking read's fast path.
pub fn covers_period_directly(c: &Caller, p: &PeriodRow) -> bool {
    sees_units(c.role)
        && (sees_all(c) || c.user.scope_unit_id.is_some_and(|u| p.unit_id == Some(u)))
}

/// The caller's unit scope.
pub async fn scope(state: &AppState, c: &Caller) -> ApiResult<Scope> {
    if !sees_units(c.role) {
        return Ok(Scope::Nothing);
    }
    if sees_all(c) {
        return Ok(Scope::All);
    }
    match c.user.scope_unit_id {
        Some(u) => Ok(Scope::Units(
            state
                .db
                .subtree(u)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect(),
        )),
        None => Ok(Scope::Nothing),
    }
}

/// Ids of the units in a period's subtree (`None` = the whole organisation).
async fn period_units(state: &AppState, p: &PeriodRow) -> ApiResult<Option<HashSet<i64>>> {
    match p.unit_id {
        Some(u) => Ok(Some(
            state
                .db
                .subtree(u)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect(),
        )),
        None => Ok(None),
    }
}

/// Whether the caller may see the period at all: their subtree overlaps the period's, or they
/// are in its roster, or they rate someone in it.
pub async fn period_visible(state: &AppState, c: &Caller, p: &PeriodRow) -> ApiResult<bool> {
    let s = scope(state, c).await?;
    period_visible_in(state, c, p, &s).await
}

/// [`period_visible`] with the caller's scope already known.
async fn period_visible_in(
    state: &AppState,
    c: &Caller,
    p: &PeriodRow,
    s: &Scope,
) -> ApiResult<bool> {
    match s {
        Scope::All => Ok(true),
        Scope::Units(mine) if p.unit_id.is_some_and(|u| mine.contains(&u)) => Ok(true),
        Scope::Units(_) => {
            let root = c.user.scope_unit_id.unwrap_or_default();
            match period_units(state, p).await? {
                None => Ok(true),
                Some(theirs) => Ok(theirs.contains(&root)),
            }
        }
        Scope::Nothing => {
            // A rater (who is usually no person of the roster) sees the periods they rate in.
            if c.role == Role::Rater {
                return Ok(crate::api::data::assigned_ratees(state, p.id, c.actor())
                    .await?
                    .is_empty()
                    .not());
            }
            let Some(me) = &c.user.person_id else {
                return Ok(false);
            };
            Ok(state
                .db
                .period_people(p.id)
                .await?
                .iter()
                .any(|(id, _)| id == me))
        }
    }
}

/// 404 for a period that does not exist, in the store's terms.
fn period_not_found(e: kaohe_store::Error) -> ApiError {
    match e {
        kaohe_store::Error::NotFound { .. } => ApiError::not_found("考核期间", "period"),
        e => e.into(),
    }
}

/// The period, or 404 when it does not exist or the caller may not see it.
pub async fn visible_period(state: &AppState, c: &Caller, id: i64) -> ApiResult<PeriodRow> {
    let p = state.db.period(id).await.map_err(period_not_found)?;
    if period_visible(state, c, &p).await? {
        Ok(p)
    } else {
        Err(ApiError::not_found("考核期间", "period"))
    }
}

/// For the ranking read: the period with the id of its run in force (one query), and the
/// caller's scope when it does not cover the whole period (`None`: it does, the usual case,
/// decided without reading the unit tree). 404 as [`visible_period`].
pub async fn visible_period_run(
    state: &AppState,
    c: &Caller,
    id: i64,
) -> ApiResult<(PeriodRow, Option<i64>, Option<Scope>)> {
    let (p, run) = state
        .db
        .period_with_latest_run(id)
        .await
        .map_err(period_not_found)?;
    if covers_period_directly(c, &p) {
        return Ok((p, run, None));
    }
    let s = scope(state, c).await?;
    if !period_visible_in(state, c, &p, &s).await? {
        return Err(ApiError::not_found("考核期间", "period"));
    }
    let whole = match (&s, p.unit_id) {
        (Scope::All, _) => true,
        (s, Some(u)) => s.covers(u),
        _ => false,
    };
    Ok((p, run, (!whole).then_some(s)))
}

/// Whether the caller may see this member's own data (score, explanation, documents).
pub fn member_visible(scope: &Scope, c: &Caller, m: &Member) -> bool {
    scope.covers(m.unit_id) || c.user.person_id.as_deref() == Some(m.person.id.as_str())
}

/// Refuse unless the caller's unit scope covers the period's unit (for operators and
/// approvers acting on the whole period).
pub async fn require_covers_period(state: &AppState, c: &Caller, p: &PeriodRow) -> ApiResult<()> {
    let s = scope(state, c).await?;
    let ok = match (p.unit_id, &s) {
        (_, Scope::All) => true,
        (Some(u), s) => s.covers(u),
        (None, _) => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "此考核期间不在您的管辖范围内",
            "this period is outside your organisation scope",
        ))
    }
}
