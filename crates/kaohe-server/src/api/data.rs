//! Collecting a period's data (数据收集): the roster (花名册) and facts (考核数据) imported from
//! the same XLSX/CSV files the command line reads, through the same parsers; single values typed
//! by a sales manager (P2.2 daily-work scores); ratings entered by assigned raters (P7.2).
//!
//! Every import is all or nothing: a file with one bad cell writes nothing and answers 400 with
//! every problem (file, sheet, row, column, value, what was expected; Chinese and English).
//! Decision: people on the roster whose branch lies outside the period's unit are refused, with
//! their rows named, rather than silently dropped.

use crate::auth::Caller;
use crate::compute::{self, Member, SOURCE_KEY, TYPED_TOTAL_KEY};
use crate::error::{ApiError, ApiResult};
use crate::scope::{self, require_covers_period, visible_period};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use kaohe_engine::data::{Person, Rating, Value};
use kaohe_import::ImportErrors;
use kaohe_policy::model::InputType;
use kaohe_process::role::Role;
use kaohe_store::{FactRow, HistoryEntry, NewDecision, NewPerson, PeriodRow, UnitKind};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value as Json_};
use std::collections::BTreeMap;

/// Decision kind assigning a rater to a ratee (P7.2).
pub const RATER_ASSIGNMENT: &str = "rater_assignment";

/// `?file=name.xlsx` on an upload.
#[derive(Debug, Deserialize)]
pub struct FileName {
    /// The file's name (its extension tells the format).
    pub file: String,
}

/// 400 with every import problem.
pub fn import_error(errs: &ImportErrors) -> ApiError {
    let list: Vec<Json_> = errs
        .0
        .iter()
        .map(|e| json!({ "message": e.to_string() }))
        .collect();
    ApiError::bad(
        format!("文件有 {} 处问题，未写入任何数据", errs.0.len()),
        format!(
            "the file has {} problem(s); nothing was written",
            errs.0.len()
        ),
    )
    .with(json!({ "problems": list }))
}

/// Refuse data changes once a period is final, except for the amenders (admin, HQ HR).
async fn require_writable(state: &AppState, c: &Caller, p: &PeriodRow) -> ApiResult<()> {
    require_covers_period(state, c, p).await?;
    let s = crate::api::periods::parse_state(&p.state)?;
    use kaohe_process::cycle::CycleState as S;
    let open = matches!(s, S::Open | S::Collecting | S::Computed | S::Published);
    if open || matches!(c.role, Role::Admin | Role::HqHr) {
        Ok(())
    } else {
        Err(ApiError::conflict(
            format!("考核期间已定稿（{}），数据只能由管理员或总部人事以更正方式修改", p.state),
            format!("the period is final ({}); only an admin or HQ HR may correct data, as an amendment", p.state),
        ))
    }
}

/// The unit a roster row belongs to, under the period's unit.
async fn unit_for(
    state: &AppState,
    c: &Caller,
    root: i64,
    person: &Person,
) -> ApiResult<Result<i64, String>> {
    let root_unit = state.db.unit(root).await?;
    let mut unit = root_unit.id;
    if let Some(branch) = person
        .branch
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        if root_unit.name != branch {
            let found = state
                .db
                .subtree(root)
                .await?
                .into_iter()
                .find(|u| u.name == branch);
            match found {
                Some(u) => unit = u.id,
                None => {
                    return Ok(Err(format!(
                        "{} {}：分公司“{branch}”不在本期组织“{}”之下 / branch \"{branch}\" is not under this period's unit \"{}\"",
                        person.id, person.name, root_unit.name, root_unit.name
                    )))
                }
            }
        }
    }
    if let Some(dept) = person
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        let parent = state.db.unit(unit).await?;
        if matches!(
            parent.kind,
            UnitKind::Branch | UnitKind::Region | UnitKind::Group
        ) {
            unit = state
                .db
                .ensure_unit(Some(unit), UnitKind::Department, dept, c.actor())
                .await?
                .id;
        }
    }
    Ok(Ok(unit))
}

/// `POST /api/periods/{id}/roster?file=…`: the period's roster, replacing any earlier one.
pub async fn roster(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Query(q): Query<FileName>,
    body: Bytes,
) -> ApiResult<Json<Json_>> {
    c.require(crate::api::periods::OPERATORS)?;
    let p = visible_period(&state, &c, id).await?;
    require_writable(&state, &c, &p).await?;
    let root = p
        .unit_id
        .ok_or_else(|| ApiError::bad("考核期间没有组织单位", "the period has no unit"))?;
    let people = kaohe_import::parse_roster(&body, &q.file).map_err(|e| import_error(&e))?;
    if people.is_empty() {
        // A header alone would replace the roster with nobody: refused, nothing written.
        return Err(no_rows(&q.file));
    }
    let (_, policy) = compute::policy(&state, p.policy_version_id).await?;
    let period = compute::engine_period(&p, policy.policy.cycle)?;
    let as_of = crate::api::periods::period_start(&period, policy.policy.cycle);
    // Check every row before writing anything.
    let mut members = Vec::new();
    let mut problems = Vec::new();
    for person in people {
        match unit_for(&state, &c, root, &person).await? {
            Ok(unit_id) => members.push(Member { person, unit_id }),
            Err(msg) => problems.push(json!({ "message": format!("{}: {msg}", q.file) })),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::bad(
            format!(
                "花名册有 {} 人不属于本期组织，未写入任何数据",
                problems.len()
            ),
            format!(
                "{} roster row(s) are outside this period's unit; nothing was written",
                problems.len()
            ),
        )
        .with(json!({ "problems": problems })));
    }
    let mut rows = Vec::with_capacity(members.len());
    let mut snapshot = Vec::with_capacity(members.len());
    for m in &members {
        let hire = m.person.hire_date;
        rows.push((
            NewPerson {
                id: m.person.id.clone(),
                name: m.person.name.clone(),
                hire_date: hire,
            },
            HistoryEntry {
                unit_id: m.unit_id,
                post: m.person.post.clone(),
                level: m.person.level.clone(),
                status: m.person.status.clone(),
                valid_from: hire.filter(|h| *h > as_of).unwrap_or(as_of),
            },
        ));
        snapshot.push((
            m.person.id.clone(),
            serde_json::to_string(m).map_err(ApiError::internal)?,
        ));
    }
    state
        .db
        .import_roster(id, &rows, &snapshot, c.actor())
        .await?;
    Ok(Json(json!({ "people": snapshot.len(), "file": q.file })))
}

/// A file with a header and no data rows below it.
fn no_rows(file: &str) -> ApiError {
    ApiError::bad(
        format!("{file}：表头下没有数据行，未写入任何数据（原有数据保持不变）"),
        format!("{file}: no data rows below the header; nothing was written (the data already stored is unchanged)"),
    )
}

/// Facts of one person as rows to store.
pub fn fact_rows(person: &str, f: &kaohe_engine::data::Facts) -> ApiResult<Vec<FactRow>> {
    let mut rows = Vec::new();
    let row = f.source.row.map(|r| r as i64);
    for (input, value) in &f.values {
        rows.push(FactRow {
            person_id: person.to_string(),
            input_id: input.clone(),
            value: serde_json::to_string(value).map_err(ApiError::internal)?,
            source_row: row,
        });
    }
    rows.push(FactRow {
        person_id: person.to_string(),
        input_id: SOURCE_KEY.into(),
        value: serde_json::to_string(&f.source).map_err(ApiError::internal)?,
        source_row: row,
    });
    if let Some(t) = f.typed_total {
        rows.push(FactRow {
            person_id: person.to_string(),
            input_id: TYPED_TOTAL_KEY.into(),
            value: t.to_string(),
            source_row: row,
        });
    }
    Ok(rows)
}

/// Store one period's already-parsed facts (e.g. one month split from a file that holds
/// several) as one import named `file`, as the upload below does; returns the import id.
pub async fn store_facts(
    state: &AppState,
    period_id: i64,
    file: &str,
    facts: &BTreeMap<String, kaohe_engine::data::Facts>,
    actor: &str,
) -> ApiResult<i64> {
    let mut rows = Vec::new();
    for (person, f) in facts {
        rows.extend(fact_rows(person, f)?);
    }
    Ok(state.db.import_facts(period_id, file, &rows, actor).await?)
}

/// `POST /api/periods/{id}/facts?file=…`: a facts sheet (or a rater sheet, when the policy's
/// ratings input is what it holds), all or nothing.
pub async fn facts(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Query(q): Query<FileName>,
    body: Bytes,
) -> ApiResult<Json<Json_>> {
    c.require(crate::api::periods::OPERATORS)?;
    let p = visible_period(&state, &c, id).await?;
    require_writable(&state, &c, &p).await?;
    let (_, policy) = compute::policy(&state, p.policy_version_id).await?;
    let period = compute::engine_period(&p, policy.policy.cycle)?;
    let roster: Vec<Person> = compute::members(&state, id)
        .await?
        .into_iter()
        .map(|m| m.person)
        .collect();
    if roster.is_empty() {
        return Err(ApiError::conflict(
            "请先导入本期花名册，再导入考核数据",
            "import this period's roster before its facts",
        ));
    }
    let parsed = kaohe_import::parse_facts(&body, &q.file, &policy, &roster, Some(&period))
        .map_err(|e| import_error(&e))?;
    let others: Vec<String> = parsed
        .keys()
        .filter(|k| **k != period)
        .map(|k| k.label.clone())
        .collect();
    if !others.is_empty() {
        return Err(ApiError::bad(
            format!("文件含有其他期间（{}）的数据；本期为 {}，未写入任何数据", others.join("、"), period.label),
            format!("the file holds rows for other periods ({}); this period is {}; nothing was written", others.join(", "), period.label),
        ));
    }
    let mut rows = Vec::new();
    for (person, f) in parsed.get(&period).into_iter().flatten() {
        rows.extend(fact_rows(person, f)?);
    }
    let people = parsed.get(&period).map_or(0, |m| m.len());
    if rows.is_empty() {
        return Err(no_rows(&q.file));
    }
    let import = state.db.import_facts(id, &q.file, &rows, c.actor()).await?;
    Ok(Json(
        json!({ "import_id": import, "people": people, "values": rows.len() }),
    ))
}

/// A typed value.
#[derive(Debug, Deserialize)]
pub struct TypedValue {
    /// The value as text, read like a spreadsheet cell (`85`, `85%`, `是`, `2025-03-01`).
    pub value: String,
}

/// `PUT /api/periods/{id}/facts/{person}/{input}`: one value typed by a sales manager (P2.2
/// daily-work score) or an operator. Stored as an import of one row; the earlier value stays.
pub async fn put_fact(
    State(state): State<AppState>,
    c: Caller,
    Path((id, person, input)): Path<(i64, String, String)>,
    Json(req): Json<TypedValue>,
) -> ApiResult<Json<Json_>> {
    c.require(&[
        Role::Admin,
        Role::HqHr,
        Role::BranchHead,
        Role::SalesManager,
    ])?;
    let p = visible_period(&state, &c, id).await?;
    let s = scope::scope(&state, &c).await?;
    let member = compute::members(&state, id)
        .await?
        .into_iter()
        .find(|m| m.person.id == person && s.covers(m.unit_id))
        .ok_or_else(|| ApiError::not_found("该人员", "person"))?;
    if c.role == Role::SalesManager {
        let st = crate::api::periods::parse_state(&p.state)?;
        if !matches!(
            st,
            kaohe_process::cycle::CycleState::Open | kaohe_process::cycle::CycleState::Collecting
        ) {
            return Err(ApiError::conflict(
                "数据收集阶段已结束，无法再录入",
                "data collection is over for this period; values can no longer be typed",
            ));
        }
    } else {
        require_writable(&state, &c, &p).await?;
    }
    let (_, policy) = compute::policy(&state, p.policy_version_id).await?;
    let decl = policy
        .inputs
        .iter()
        .find(|i| i.id == input)
        .ok_or_else(|| {
            ApiError::bad(
                format!("制度中没有输入项“{input}”"),
                format!("the policy declares no input \"{input}\""),
            )
        })?;
    let value = parse_typed(decl, &req.value)?;
    let row = FactRow {
        person_id: member.person.id.clone(),
        input_id: input.clone(),
        value: serde_json::to_string(&value).map_err(ApiError::internal)?,
        source_row: None,
    };
    let import = state
        .db
        .import_facts(
            id,
            &format!("手工录入 typed by {}", c.actor()),
            &[row],
            c.actor(),
        )
        .await?;
    Ok(Json(
        json!({ "import_id": import, "person": person, "input": input, "value": value }),
    ))
}

/// Read one typed value as its declared input type, with the declared range.
fn parse_typed(decl: &kaohe_policy::model::Input, text: &str) -> ApiResult<Value> {
    let bad = |what_zh: &str, what_en: &str| {
        let (zh, en) = names(decl);
        ApiError::bad(
            format!("“{zh}”的值“{text}”无效：应为{what_zh}"),
            format!("value \"{text}\" for \"{en}\" is not valid: expected {what_en}"),
        )
    };
    let t = text.trim();
    let v = match decl.kind {
        InputType::Decimal | InputType::Integer | InputType::Percent => {
            let (num, pct) = match t.strip_suffix('%').or_else(|| t.strip_suffix('％')) {
                Some(n) => (n.trim(), true),
                None => (t, false),
            };
            let n = kaohe_import_number(num).ok_or_else(|| bad("数字", "a number"))?;
            let n = if pct || (decl.kind == InputType::Percent && n > Decimal::ONE) {
                n / Decimal::from(100)
            } else {
                n
            };
            if decl.kind == InputType::Integer && n.fract() != Decimal::ZERO {
                return Err(bad("整数", "a whole number"));
            }
            Value::Number(n)
        }
        InputType::YesNo => match t {
            "是" | "有" | "Y" | "y" | "yes" | "true" | "1" => Value::Bool(true),
            "否" | "无" | "N" | "n" | "no" | "false" | "0" => Value::Bool(false),
            _ => return Err(bad("是/否", "yes/no")),
        },
        InputType::Date => Value::Date(
            kaohe_import_date(t)
                .ok_or_else(|| bad("日期，如 2025-03-01", "a date such as 2025-03-01"))?,
        ),
        _ => {
            return Err(ApiError::bad(
                format!("“{}”不能手工录入单个值，请导入文件", decl.id),
                format!(
                    "\"{}\" cannot be typed as one value; import a file",
                    decl.id
                ),
            ))
        }
    };
    if let Value::Number(n) = &v {
        in_range(decl, *n)?;
    }
    Ok(v)
}

/// Refuse a number outside the input's declared range.
/// An input as the person typing it knows it: its Chinese name, and its English name (or the
/// Chinese one when it has none), never the policy's internal id.
fn names(decl: &kaohe_policy::model::Input) -> (&str, &str) {
    (&decl.name, decl.name_en.as_deref().unwrap_or(&decl.name))
}

fn in_range(decl: &kaohe_policy::model::Input, n: Decimal) -> ApiResult<()> {
    let (lo, hi) = (decl.min.map(|m| m.value()), decl.max.map(|m| m.value()));
    within(decl, lo, hi, n)
}

/// A rating against the range of every indicator that reads it (`raters = { min, max }`,
/// P7.2: each rating out of 100), so a rating the computation would refuse is refused when
/// it is given.
fn rating_in_range(
    policy: &kaohe_policy::Policy,
    decl: &kaohe_policy::model::Input,
    n: Decimal,
) -> ApiResult<()> {
    for r in policy
        .indicators
        .iter()
        .filter_map(|i| i.raters.as_ref())
        .filter(|r| r.input == decl.id)
    {
        within(decl, r.min.map(|m| m.value()), r.max.map(|m| m.value()), n)?;
    }
    Ok(())
}

/// `n` within `lo`…`hi` (either open), or a bilingual 400 naming the input and the range as it
/// is typed (a percentage as 0%–100%, not 0–1).
fn within(
    decl: &kaohe_policy::model::Input,
    lo: Option<Decimal>,
    hi: Option<Decimal>,
    n: Decimal,
) -> ApiResult<()> {
    if lo.is_some_and(|lo| n < lo) || hi.is_some_and(|hi| n > hi) {
        let show = |d: Decimal| match decl.kind {
            InputType::Percent => format!("{}%", (d * Decimal::from(100)).normalize()),
            _ => d.normalize().to_string(),
        };
        let end = |d: Option<Decimal>| d.map_or_else(|| "…".to_string(), show);
        let (zh, en) = names(decl);
        return Err(ApiError::bad(
            format!(
                "“{zh}”的值 {} 超出范围，应在 {} 到 {} 之间",
                show(n),
                end(lo),
                end(hi)
            ),
            format!(
                "value {} for \"{en}\" is out of range; expected {} to {}",
                show(n),
                end(lo),
                end(hi)
            ),
        ));
    }
    Ok(())
}

fn kaohe_import_number(t: &str) -> Option<Decimal> {
    kaohe_import::parse_plain_number(t)
}

fn kaohe_import_date(t: &str) -> Option<chrono::NaiveDate> {
    kaohe_import::parse_date_text(t)
}

/// A rater's assignment.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Assignment {
    /// Rater login.
    pub rater: String,
    /// Person rated.
    pub ratee: String,
    /// Rater group, e.g. `同事` (P7.2).
    pub group: String,
}

/// `(ratee, group)` pairs a rater is assigned in a period.
pub async fn assigned_ratees(
    state: &AppState,
    period_id: i64,
    rater: &str,
) -> ApiResult<Vec<(String, String)>> {
    Ok(state
        .db
        .decisions(period_id, Some(RATER_ASSIGNMENT))
        .await?
        .into_iter()
        .filter_map(|d| serde_json::from_str::<Assignment>(&d.body_json).ok())
        .filter(|a| a.rater == rater)
        .map(|a| (a.ratee, a.group))
        .collect())
}

/// `GET /api/periods/{id}/assignments`: who rates whom in the period (operators), in the
/// order assigned, with each person's name and whether the rating is in.
pub async fn assignments(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Json_>> {
    c.require(crate::api::periods::OPERATORS)?;
    visible_period(&state, &c, id).await?;
    let names: BTreeMap<String, String> = compute::members(&state, id)
        .await?
        .into_iter()
        .map(|m| (m.person.id, m.person.name))
        .collect();
    let rated: std::collections::HashSet<(String, String)> = state
        .db
        .ratings(id)
        .await?
        .into_iter()
        .map(|r| (r.rater, r.ratee_id))
        .collect();
    let list: Vec<Json_> = state
        .db
        .decisions(id, Some(RATER_ASSIGNMENT))
        .await?
        .into_iter()
        .filter_map(|d| serde_json::from_str::<Assignment>(&d.body_json).ok())
        .map(|a| {
            let done = rated.contains(&(a.rater.clone(), a.ratee.clone()));
            json!({ "rater": a.rater, "ratee": a.ratee, "name": names.get(&a.ratee), "group": a.group, "rated": done })
        })
        .collect();
    Ok(Json(json!({ "assignments": list })))
}

/// `POST /api/periods/{id}/assignments`: assign a rater to a person (operators).
pub async fn assign(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(a): Json<Assignment>,
) -> ApiResult<Json<Json_>> {
    c.require(crate::api::periods::OPERATORS)?;
    let p = visible_period(&state, &c, id).await?;
    require_writable(&state, &c, &p).await?;
    if !compute::members(&state, id)
        .await?
        .iter()
        .any(|m| m.person.id == a.ratee)
    {
        return Err(ApiError::bad(
            format!("{} 不在本期花名册中", a.ratee),
            format!("{} is not on this period's roster", a.ratee),
        ));
    }
    // The group must be one of the policy's rater groups (P7.2), and a pair is assigned once.
    let (_, policy) = compute::policy(&state, p.policy_version_id).await?;
    let groups: Vec<&str> = policy.rater_groups().map(|g| g.group.as_str()).collect();
    if !groups.contains(&a.group.trim()) {
        return Err(ApiError::bad(
            format!(
                "评分组“{}”不是本制度的评分组（{}）",
                a.group,
                groups.join("、")
            ),
            format!(
                "\"{}\" is not a rater group of this policy ({})",
                a.group,
                groups.join(", ")
            ),
        ));
    }
    if assigned_ratees(&state, id, &a.rater)
        .await?
        .iter()
        .any(|(ratee, _)| *ratee == a.ratee)
    {
        return Err(ApiError::bad(
            format!("{} 已分配给评分人 {}", a.ratee, a.rater),
            format!("{} is already assigned to rater {}", a.ratee, a.rater),
        ));
    }
    match state.db.user_by_login(&a.rater).await? {
        Some(u) if u.role == Role::Rater.code() => {}
        _ => {
            return Err(ApiError::bad(
                format!("“{}”不是评分人账号", a.rater),
                format!("\"{}\" is not a rater account", a.rater),
            ))
        }
    }
    let d = state
        .db
        .add_decision(
            &NewDecision {
                period_id: id,
                kind: RATER_ASSIGNMENT.into(),
                subject: Some(a.ratee.clone()),
                body_json: serde_json::to_string(&a).map_err(ApiError::internal)?,
                reason: None,
            },
            c.actor(),
        )
        .await?;
    Ok(Json(json!({ "id": d.id })))
}

/// `GET /api/periods/{id}/my-ratees`: whom the calling rater rates, with their own scores.
pub async fn my_ratees(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Json_>> {
    c.require(&[Role::Rater])?;
    let _p = visible_period(&state, &c, id).await?;
    let assigned = assigned_ratees(&state, id, c.actor()).await?;
    let names: BTreeMap<String, String> = compute::members(&state, id)
        .await?
        .into_iter()
        .map(|m| (m.person.id, m.person.name))
        .collect();
    let mine: Vec<_> = state
        .db
        .ratings(id)
        .await?
        .into_iter()
        .filter(|r| r.rater == c.actor())
        .collect();
    let list: Vec<Json_> = assigned
        .iter()
        .map(|(ratee, group)| {
            let score = mine
                .iter()
                .rev()
                .find(|r| &r.ratee_id == ratee)
                .map(|r| r.score.clone());
            json!({ "ratee": ratee, "name": names.get(ratee), "group": group, "my_score": score })
        })
        .collect();
    Ok(Json(json!({ "ratees": list })))
}

/// A rating.
#[derive(Debug, Deserialize)]
pub struct NewRating {
    /// Person rated.
    pub ratee: String,
    /// Score.
    pub score: String,
}

/// `POST /api/periods/{id}/ratings`: a rater scores an assigned person (P7.2). A second rating
/// of the same person supersedes the first, which stays on record.
pub async fn rate(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(r): Json<NewRating>,
) -> ApiResult<Json<Json_>> {
    c.require(&[Role::Rater])?;
    let p = visible_period(&state, &c, id).await?;
    let st = crate::api::periods::parse_state(&p.state)?;
    if !matches!(
        st,
        kaohe_process::cycle::CycleState::Open | kaohe_process::cycle::CycleState::Collecting
    ) {
        return Err(ApiError::conflict(
            "评分阶段已结束",
            "rating is over for this period",
        ));
    }
    let assigned = assigned_ratees(&state, id, c.actor()).await?;
    let Some((_, group)) = assigned.iter().find(|(ratee, _)| *ratee == r.ratee) else {
        return Err(ApiError::not_found("该被评人", "person to rate"));
    };
    let (_, policy) = compute::policy(&state, p.policy_version_id).await?;
    let input = policy
        .inputs
        .iter()
        .find(|i| i.kind == InputType::Ratings)
        .ok_or_else(|| ApiError::bad("本制度没有评分项", "this policy has no ratings input"))?;
    let score = kaohe_import_number(r.score.trim()).ok_or_else(|| {
        ApiError::bad(
            format!("分数“{}”不是数字", r.score),
            format!("score \"{}\" is not a number", r.score),
        )
    })?;
    in_range(input, score)?;
    rating_in_range(&policy, input, score)?;
    let previous = state
        .db
        .ratings(id)
        .await?
        .into_iter()
        .filter(|x| x.rater == c.actor() && x.ratee_id == r.ratee)
        .map(|x| x.id)
        .max();
    let row = state
        .db
        .add_rating(id, &r.ratee, c.actor(), group, score, previous, c.actor())
        .await?;
    // The ratings input the engine reads: every current (not superseded) rating of the ratee.
    let all = state.db.ratings(id).await?;
    let superseded: std::collections::HashSet<i64> =
        all.iter().filter_map(|x| x.supersedes).collect();
    let ratings: Vec<Rating> = all
        .iter()
        .filter(|x| x.ratee_id == r.ratee && !superseded.contains(&x.id))
        .filter_map(|x| {
            Some(Rating {
                rater: x.rater.clone(),
                group: x.rater_group.clone(),
                score: x.score_decimal()?,
            })
        })
        .collect();
    let fact = FactRow {
        person_id: r.ratee.clone(),
        input_id: input.id.clone(),
        value: serde_json::to_string(&Value::Ratings(ratings)).map_err(ApiError::internal)?,
        source_row: None,
    };
    state
        .db
        .import_facts(id, &format!("评分 rating {}", row.id), &[fact], c.actor())
        .await?;
    Ok(Json(json!({ "rating_id": row.id, "supersedes": previous })))
}
