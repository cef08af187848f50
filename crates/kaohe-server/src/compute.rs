//! From stored data to the engine and back (计算): a period's roster snapshot, facts and tie
//! decisions become a `PeriodInput`; earlier periods' effective runs become the `History`; the
//! pure engine computes; the result is stored as an immutable run with a hash of its inputs.
//!
//! Stored facts: one row per person and input id, the value as the engine's `Value` in JSON.
//! Two reserved input ids carry row metadata: `_source` (file, sheet, row; for explanations)
//! and `_typed_total` (P2.7: a total typed in the sheet, only ever compared). When the same
//! person and input were imported or typed more than once, the latest import wins; the earlier
//! rows stay (append-only) and remain in the audit log.

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, CachedRun};
use kaohe_engine::data::{Facts, History, Period, PeriodInput, Person, Source, TieDecision, Value};
use kaohe_engine::{Engine, PeriodResult};
use kaohe_policy::model::Cycle;
use kaohe_policy::Policy;
use kaohe_store::{PeriodRow, RunRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Reserved input id: where a person's row came from.
pub const SOURCE_KEY: &str = "_source";
/// Reserved input id: a total typed in the sheet (P2.7).
pub const TYPED_TOTAL_KEY: &str = "_typed_total";
/// Decision kind of a tie decision (P7.6).
pub const TIE_DECISION: &str = "tie";

/// One person of a period's roster snapshot, with the organisation unit they belong to.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Member {
    /// The roster row as the engine reads it.
    pub person: Person,
    /// Organisation unit (for scope checks).
    pub unit_id: i64,
}

/// Load and validate a stored policy version.
pub async fn policy(
    state: &AppState,
    version_id: i64,
) -> ApiResult<(kaohe_store::PolicyVersion, Policy)> {
    let v = state.db.policy_version(version_id).await?;
    let p = kaohe_policy::load_str(&v.toml, &format!("{}@{}", v.policy_id, v.version)).map_err(
        |errs| {
            ApiError::internal(format!(
                "stored policy {} no longer loads: {}",
                v.id,
                errs.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        },
    )?;
    Ok((v, p))
}

/// The period as the engine knows it.
pub fn engine_period(row: &PeriodRow, cycle: Cycle) -> ApiResult<Period> {
    Period::parse(&row.label, cycle).ok_or_else(|| {
        ApiError::internal(format!("stored period label {} does not parse", row.label))
    })
}

/// The roster snapshot of a period.
pub async fn members(state: &AppState, period_id: i64) -> ApiResult<Vec<Member>> {
    state
        .db
        .period_people(period_id)
        .await?
        .into_iter()
        .map(|(_, json)| serde_json::from_str(&json).map_err(ApiError::internal))
        .collect()
}

/// Facts of a period by person (latest import wins per input).
pub async fn facts(state: &AppState, period_id: i64) -> ApiResult<BTreeMap<String, Facts>> {
    let mut rows = state.db.facts(period_id).await?;
    rows.sort_by_key(|r| r.import_id);
    let mut out: BTreeMap<String, Facts> = BTreeMap::new();
    for r in rows {
        let f = out.entry(r.person_id.clone()).or_default();
        match r.input_id.as_str() {
            SOURCE_KEY => {
                f.source = serde_json::from_str::<Source>(&r.value).map_err(ApiError::internal)?
            }
            TYPED_TOTAL_KEY => {
                f.typed_total = Some(r.value.parse().map_err(ApiError::internal)?);
            }
            id => {
                let v: Value = serde_json::from_str(&r.value).map_err(ApiError::internal)?;
                f.values.insert(id.to_string(), v);
            }
        }
    }
    Ok(out)
}

/// Everything the engine reads for a period.
pub async fn input(state: &AppState, row: &PeriodRow, policy: &Policy) -> ApiResult<PeriodInput> {
    let people = members(state, row.id)
        .await?
        .into_iter()
        .map(|m| m.person)
        .collect();
    let decisions = state
        .db
        .decisions(row.id, Some(TIE_DECISION))
        .await?
        .into_iter()
        .map(|d| serde_json::from_str::<TieDecision>(&d.body_json).map_err(ApiError::internal))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(PeriodInput {
        period: Some(engine_period(row, policy.policy.cycle)?),
        people,
        facts: facts(state, row.id).await?,
        decisions,
    })
}

/// The run in force for a period (the latest: an amendment is a newer run), parsed once and
/// cached by run id.
pub async fn cached_run(state: &AppState, period_id: i64) -> ApiResult<Option<Arc<CachedRun>>> {
    match state.db.latest_run_id(period_id).await? {
        Some(id) => Ok(Some(run_by_id(state, id).await?)),
        None => Ok(None),
    }
}

/// A run by id, parsed once and cached (runs never change once stored).
pub async fn run_by_id(state: &AppState, id: i64) -> ApiResult<Arc<CachedRun>> {
    if let Some(c) = state.runs.get(id) {
        return Ok(c);
    }
    let mut run = state.db.run(id).await?;
    let json = std::mem::take(&mut run.result_json);
    let result: PeriodResult = serde_json::from_str(&json).map_err(ApiError::internal)?;
    let ranking_json =
        serde_json::to_string(&kaohe_export::ranking::view(&result)).map_err(ApiError::internal)?;
    let c = Arc::new(CachedRun {
        run,
        result,
        json,
        ranking_json,
    });
    state.runs.put(id, c.clone());
    Ok(c)
}

/// The result in force for a period, if computed.
pub async fn effective_result(
    state: &AppState,
    period_id: i64,
) -> ApiResult<Option<(RunRow, PeriodResult)>> {
    Ok(cached_run(state, period_id)
        .await?
        .map(|c| (c.run.clone(), c.result.clone())))
}

/// History before a period: the effective results of the same policy's earlier periods for
/// the same unit, in period order (any version of the policy: P1.6 keeps the version per
/// period, the history runs on).
pub async fn history_before(
    state: &AppState,
    row: &PeriodRow,
    policy_id: &str,
) -> ApiResult<History> {
    let mut earlier = Vec::new();
    for v in state.db.policy_versions(policy_id).await? {
        for p in state.db.periods(v.id).await? {
            if p.unit_id == row.unit_id && p.idx < row.idx {
                earlier.push(p);
            }
        }
    }
    earlier.sort_by_key(|p| p.idx);
    let mut history = History::default();
    for p in earlier {
        if let Some((_, result)) = effective_result(state, p.id).await? {
            kaohe_engine::record(&result, &mut history);
        }
    }
    Ok(history)
}

/// Compute a period: returns the result and the hash of everything the engine read.
pub async fn compute(state: &AppState, row: &PeriodRow) -> ApiResult<(PeriodResult, String)> {
    let (v, policy) = policy(state, row.policy_version_id).await?;
    let input = input(state, row, &policy).await?;
    if input.people.is_empty() {
        return Err(ApiError::conflict(
            "本期尚未导入花名册，无法计算",
            "no roster has been imported for this period; nothing to compute",
        ));
    }
    let history = history_before(state, row, &v.policy_id).await?;
    let hash = crate::auth::sha256_hex(
        serde_json::to_string(&(&v.hash, &input, &history))
            .map_err(ApiError::internal)?
            .as_bytes(),
    );
    let result = tokio::task::spawn_blocking(move || -> Result<PeriodResult, String> {
        let engine = Engine::new(&policy).map_err(|e| e.to_string())?;
        Ok(engine.evaluate(&input, &history))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| {
        ApiError::bad(
            format!("制度无法计算：{e}"),
            format!("the policy cannot be computed: {e}"),
        )
    })?;
    Ok((result, hash))
}
