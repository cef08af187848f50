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

/// The caller's unit scope.
pub async fn scope(state: &AppState, c: &Caller) -> ApiResult<Scope> {
    if !sees_units(c.role) {
        return Ok(Scope::Nothing);
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
        None if matches!(c.role, Role::Admin | Role::HqHr | Role::GmOffice) => Ok(Scope::All),
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

/// The period, or 404 when it does not exist or the caller may not see it.
pub async fn visible_period(state: &AppState, c: &Caller, id: i64) -> ApiResult<PeriodRow> {
    Ok(visible_period_scoped(state, c, id).await?.0)
}

/// [`visible_period`] with the caller's scope, looked up once for both.
pub async fn visible_period_scoped(
    state: &AppState,
    c: &Caller,
    id: i64,
) -> ApiResult<(PeriodRow, Scope)> {
    let p = match state.db.period(id).await {
        Ok(p) => p,
        Err(kaohe_store::Error::NotFound { .. }) => {
            return Err(ApiError::not_found("考核期间", "period"))
        }
        Err(e) => return Err(e.into()),
    };
    let s = scope(state, c).await?;
    if period_visible_in(state, c, &p, &s).await? {
        Ok((p, s))
    } else {
        Err(ApiError::not_found("考核期间", "period"))
    }
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
