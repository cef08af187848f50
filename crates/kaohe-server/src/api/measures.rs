//! After the ranking (处理措施): tie decisions (P7.6), the measures each person's outcomes call
//! for, Art. 42 protected statuses, the labour-law gates of a termination (LABOUR-LAW.md), and
//! the letters (P8.9 warning letter, P7.5 elimination notice, P2.6 monthly summary).
//!
//! A line entry never becomes a termination here: the only way to record a termination is
//! [`termination_check`] with `record: true`, which refuses unless every gate passes, and
//! shows each failing gate with its article. Letters are generated for improvement and
//! adjustment measures and, once the approval chain has closed the period, for the elimination
//! list (a list for review, not a dismissal). Each letter uses its kind's current template
//! (the admin's, see [`crate::api::templates`], or the built-in default) and records the
//! template version in the stored document's row and audit row.

use crate::api::periods::{parse_state, OPERATORS};
use crate::auth::Caller;
use crate::compute::{self, TIE_DECISION};
use crate::error::{ApiError, ApiResult};
use crate::scope::{self, member_visible, require_covers_period, visible_period};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use kaohe_docs::{DocData, DocKind, DocPerson, DocRow, Format};
use kaohe_engine::data::TieDecision;
use kaohe_engine::result::{LinePosition, Status};
use kaohe_policy::model::{LegalPath, Measure};
use kaohe_process::cycle::CycleState;
use kaohe_process::gates::{self, Evidence, ProtectedKind, ProtectedStatus};
use kaohe_process::role::Role;
use kaohe_store::{NewDecision, NewDocument};
use serde::Deserialize;
use serde_json::{json, Value};

/// Tie decision request (P7.6).
#[derive(Debug, Deserialize)]
pub struct TieRequest {
    /// Ranking group key, as reported in the result's ties.
    pub group: String,
    /// Person ids chosen to enter the line.
    pub chosen: Vec<String>,
    /// Why (required).
    pub reason: String,
}

/// `POST /api/periods/{id}/ties`: record who of a tie at the line enters it; recompute after.
pub async fn decide_tie(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<TieRequest>,
) -> ApiResult<Json<Value>> {
    c.require(OPERATORS)?;
    let p = visible_period(&state, &c, id).await?;
    require_covers_period(&state, &c, &p).await?;
    let st = parse_state(&p.state)?;
    if !matches!(st, CycleState::Collecting | CycleState::Computed) {
        return Err(ApiError::conflict(
            "并列裁决须在计算后、公示前作出",
            "a tie is decided after computing and before publishing",
        ));
    }
    if req.reason.trim().is_empty() {
        return Err(ApiError::bad(
            "并列裁决须说明理由",
            "a tie decision needs a reason",
        ));
    }
    let (_, r) = compute::effective_result(&state, id)
        .await?
        .ok_or_else(|| ApiError::conflict("尚未计算", "not computed yet"))?;
    let tie = r
        .ties
        .iter()
        .find(|t| t.group == req.group)
        .ok_or_else(|| {
            ApiError::bad(
                format!("“{}”组没有待裁决的并列", req.group),
                format!("group \"{}\" has no tie awaiting a decision", req.group),
            )
        })?;
    let mut chosen = req.chosen.clone();
    chosen.sort();
    chosen.dedup();
    if chosen.len() != tie.slots as usize || chosen.iter().any(|x| !tie.candidates.contains(x)) {
        return Err(ApiError::bad(
            format!(
                "须从并列人员（{}）中选出 {} 人",
                tie.candidates.join("、"),
                tie.slots
            ),
            format!(
                "choose exactly {} of the tied people ({})",
                tie.slots,
                tie.candidates.join(", ")
            ),
        ));
    }
    let decision = TieDecision {
        group: req.group.clone(),
        chosen,
        decided_by: c.actor().to_string(),
        reason: req.reason.trim().to_string(),
    };
    let d = state
        .db
        .add_decision(
            &NewDecision {
                period_id: id,
                kind: TIE_DECISION.into(),
                subject: Some(req.group),
                body_json: serde_json::to_string(&decision).map_err(ApiError::internal)?,
                reason: Some(decision.reason.clone()),
            },
            c.actor(),
        )
        .await?;
    Ok(Json(
        json!({ "decision_id": d.id, "next": "recompute / 请重新计算" }),
    ))
}

/// `GET /api/periods/{id}/measures`: each visible person's outcomes with their legal path,
/// document and the requirements still to satisfy.
pub async fn measures(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    c.require(crate::api::results::READERS)?;
    let p = visible_period(&state, &c, id).await?;
    let (run, r) = compute::effective_result(&state, id)
        .await?
        .ok_or_else(|| ApiError::not_found("计算结果（尚未计算）", "result (not computed yet)"))?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, id).await?;
    let sigs = state.db.signatures(id).await?;
    let list: Vec<Value> = r
        .people
        .iter()
        .filter(|x| !x.outcomes.is_empty())
        .filter(|x| {
            members
                .iter()
                .any(|m| m.person.id == x.id && member_visible(&s, &c, m))
        })
        .map(|x| {
            let on_list = x
                .outcomes
                .iter()
                .any(|o| o.measure == Measure::EliminationList);
            let signed = sigs.iter().find(|g| {
                g.person_id == x.id && g.subject == "elimination_list" && g.run_id == Some(run.id)
            });
            json!({
                "id": x.id, "name": x.name, "group": x.group, "score": x.score, "rank": x.rank,
                "outcomes": x.outcomes, "on_elimination_list": on_list,
                "elimination_list_signature": signed,
            })
        })
        .collect();
    Ok(Json(
        json!({ "period": p.label, "state": p.state, "run_id": run.id, "people": list }),
    ))
}

/// Protected-status request (Art. 42).
#[derive(Debug, Deserialize)]
pub struct ProtectedRequest {
    /// `pregnancy_maternity_nursing`, `medical_period`, `occupational_disease_or_injury`,
    /// `occupational_hazard_unchecked`, `other_law`.
    pub kind: ProtectedKind,
    /// From (inclusive).
    pub from: NaiveDate,
    /// To (inclusive), none = still in force.
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Note (certificate, source).
    #[serde(default)]
    pub note: Option<String>,
}

/// Whether the caller's unit scope covers the person today (latest history entry).
async fn person_in_scope(state: &AppState, c: &Caller, person: &str) -> ApiResult<()> {
    let s = scope::scope(state, c).await?;
    let history = state.db.person_history(person).await?;
    if history.iter().any(|h| s.covers(h.unit_id)) {
        Ok(())
    } else {
        Err(ApiError::not_found("该人员", "person"))
    }
}

fn kind_code(k: ProtectedKind) -> ApiResult<String> {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| ApiError::internal("protected kind"))
}

/// `POST /api/people/{person}/protected`: record an Art. 42 status with its dates.
pub async fn add_protected(
    State(state): State<AppState>,
    c: Caller,
    Path(person): Path<String>,
    Json(req): Json<ProtectedRequest>,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin, Role::HqHr, Role::BranchHead])?;
    person_in_scope(&state, &c, &person).await?;
    let row = state
        .db
        .add_protected_status(
            &person,
            &kind_code(req.kind)?,
            req.from,
            req.to,
            req.note.as_deref(),
            None,
            c.actor(),
        )
        .await?;
    Ok(Json(json!(row)))
}

/// `GET /api/people/{person}/protected`.
pub async fn list_protected(
    State(state): State<AppState>,
    c: Caller,
    Path(person): Path<String>,
) -> ApiResult<Json<Value>> {
    c.require(&[
        Role::Admin,
        Role::HqHr,
        Role::BranchHead,
        Role::RegionalHead,
    ])?;
    person_in_scope(&state, &c, &person).await?;
    Ok(Json(json!(state.db.protected_statuses(&person).await?)))
}

/// Termination check request.
#[derive(Debug, Deserialize)]
pub struct TerminationRequest {
    /// The outcome (of this person's result) that would lead to a termination.
    pub outcome: String,
    /// Decision date (Art. 42 is checked on it).
    pub date: NaiveDate,
    /// The evidence on record (Art. 42 statuses are read from the database, not from here).
    pub evidence: Evidence,
    /// Record the termination decision (refused unless every gate passes).
    #[serde(default)]
    pub record: bool,
}

/// `POST /api/periods/{id}/people/{person}/termination-check`: the labour-law gates for one
/// concrete decision; each failing gate is shown with its article. With `record: true` the
/// decision is recorded only when no gate fails (otherwise 409 with the gates).
pub async fn termination_check(
    State(state): State<AppState>,
    c: Caller,
    Path((id, person)): Path<(i64, String)>,
    Json(req): Json<TerminationRequest>,
) -> ApiResult<Json<Value>> {
    c.require(&[Role::Admin, Role::HqHr])?;
    let p = visible_period(&state, &c, id).await?;
    require_covers_period(&state, &c, &p).await?;
    let (_, r) = compute::effective_result(&state, id)
        .await?
        .ok_or_else(|| ApiError::conflict("尚未计算", "not computed yet"))?;
    let x = r
        .people
        .iter()
        .find(|x| x.id == person)
        .ok_or_else(|| ApiError::not_found("该人员", "person"))?;
    let outcome = x
        .outcomes
        .iter()
        .find(|o| o.id == req.outcome)
        .ok_or_else(|| {
            ApiError::bad(
                format!("{} 本期没有结果“{}”", x.name, req.outcome),
                format!("{} has no outcome \"{}\" this period", x.id, req.outcome),
            )
        })?;
    let (v, _) = compute::policy(&state, p.policy_version_id).await?;
    let mut evidence = req.evidence.clone();
    evidence.protected = state
        .db
        .protected_statuses(&person)
        .await?
        .into_iter()
        .filter_map(|row| {
            let kind: ProtectedKind = serde_json::from_value(json!(row.kind)).ok()?;
            Some(ProtectedStatus {
                kind,
                from: row.from_date,
                to: row.to_date,
            })
        })
        .collect();
    evidence.policy_adopted = evidence.policy_adopted.or(v.adopted);
    evidence.policy_published = evidence.policy_published.or(v.published);
    let verdict = gates::evaluate(
        &gates::Decision {
            date: req.date,
            legal_path: outcome.legal_path,
            requirements: &outcome.requires,
        },
        &evidence,
    );
    let kind = if req.record && verdict.documented {
        "termination"
    } else {
        "termination_check"
    };
    state
        .db
        .add_decision(
            &NewDecision {
                period_id: id,
                kind: kind.into(),
                subject: Some(person.clone()),
                body_json: json!({ "outcome": outcome.id, "date": req.date, "evidence": evidence, "verdict": verdict }).to_string(),
                reason: None,
            },
            c.actor(),
        )
        .await?;
    if req.record && !verdict.documented {
        let failed: Vec<String> = verdict
            .failed()
            .map(|g| format!("{}（{}）", g.zh, g.article))
            .collect();
        return Err(ApiError::conflict(
            format!(
                "劳动法关口未全部通过，不能记录解除决定：{}",
                failed.join("；")
            ),
            format!(
                "not every labour-law gate passes; the termination cannot be recorded ({} failing)",
                failed.len()
            ),
        )
        .with(json!({ "verdict": verdict })));
    }
    Ok(Json(
        json!({ "verdict": verdict, "recorded": req.record && verdict.documented }),
    ))
}

/// Which letter an outcome calls for, if one is generated here.
fn letter_for(o: &kaohe_engine::result::OutcomeResult) -> Option<DocKind> {
    match (o.measure, o.legal_path, o.document.as_deref()) {
        (Measure::EliminationList, _, _) => Some(DocKind::EliminationNotice),
        (_, LegalPath::Improvement | LegalPath::Adjustment, Some("warning_letter")) => {
            Some(DocKind::WarningLetter)
        }
        (_, LegalPath::Improvement | LegalPath::Adjustment, Some("written_notice")) => {
            Some(DocKind::WrittenNotice)
        }
        (_, LegalPath::Improvement | LegalPath::Adjustment, Some(_)) => {
            Some(DocKind::WarningLetter)
        }
        _ => None,
    }
}

fn status_zh(x: &kaohe_engine::result::PersonResult) -> String {
    match (x.status, x.line) {
        (Status::Vetoed, _) => "否决".into(),
        (Status::Exempt, _) => "豁免".into(),
        (_, LinePosition::InLine | LinePosition::VetoPlace) => "末位".into(),
        (_, LinePosition::TiePending) => "并列待定".into(),
        (Status::Ranked, _) => "正常".into(),
        (Status::NewHire, _) => "新人不计".into(),
        (Status::Absent, _) => "未参加考核".into(),
        (Status::NeedsData, _) => "数据待补".into(),
        (Status::NotCovered, _) => "不在考核范围".into(),
        _ => "—".into(),
    }
}

/// `POST /api/periods/{id}/letters`: generate and store the letters (PDF and DOCX) of every
/// person in scope whose outcomes call for one, and the monthly summary (P2.6).
pub async fn letters(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    c.require(OPERATORS)?;
    let p = visible_period(&state, &c, id).await?;
    require_covers_period(&state, &c, &p).await?;
    let st = parse_state(&p.state)?;
    if !matches!(
        st,
        CycleState::Measures | CycleState::Approvals { .. } | CycleState::Closed
    ) {
        return Err(ApiError::conflict(
            "结果定稿并进入处理措施后才能生成文书",
            "letters are generated once the result is final and the measures have started",
        ));
    }
    let (run, r) = compute::effective_result(&state, id)
        .await?
        .ok_or_else(|| ApiError::conflict("尚未计算", "not computed yet"))?;
    let (v, policy) = compute::policy(&state, p.policy_version_id).await?;
    let unit = match p.unit_id {
        Some(u) => state.db.unit(u).await?.name,
        None => String::new(),
    };
    let company = match p.unit_id {
        Some(u) => root_name(&state, u).await?,
        None => String::new(),
    };
    let today = state.clock.china_now().date();
    // A letter gives its reader the policy's appeal window from the letter's date when the
    // period's own window (from the publication, P4.10) has already closed: a letter never
    // offers a deadline in the past.
    let period_until = crate::api::periods::deadlines(&state, &p)
        .await?
        .appeal_until;
    let from_letter = policy
        .process
        .appeal_window_working_days
        .and_then(|n| state.calendar().add_working_days(today, n).ok());
    let appeal_until = match (period_until, from_letter) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let existing = state.db.documents(Some(id), None).await?;
    let dp = policy.policy.decimals;
    let base = DocData {
        company,
        unit,
        period_label: p.label.clone(),
        policy_name: policy.policy.name.clone(),
        policy_version: v.version.clone(),
        date: today,
        person: None,
        rows: Vec::new(),
        notes: Vec::new(),
        report_to: policy.process.summary_to.clone(),
        approvers: policy.process.approval_chain.clone(),
    };
    let mut made = Vec::new();
    // Each kind's current template, read once for the whole batch.
    let mut templates = Templates::default();
    for x in &r.people {
        for o in &x.outcomes {
            let Some(kind) = letter_for(o) else { continue };
            if kind == DocKind::EliminationNotice && st != CycleState::Closed {
                continue; // only once the approval chain has closed the period (P4.11)
            }
            if existing
                .iter()
                .any(|d| d.person_id.as_deref() == Some(x.id.as_str()) && d.kind == kind.code())
            {
                continue; // already generated for this period
            }
            let mut data = base.clone();
            data.person = Some(DocPerson {
                id: x.id.clone(),
                name: x.name.clone(),
                post: None,
                score: x.score.map(|s| kaohe_engine::display::show(s, dp)),
                rank: x.rank,
                group_size: x.group_size,
                reason: format!(
                    "{}（{}）",
                    kaohe_export::because(&policy, &o.because, kaohe_export::Lang::Zh),
                    o.rule.clone().unwrap_or_default()
                ),
                measures: vec![o.name.clone()],
                rules: o.rule.iter().cloned().collect(),
                appeal_until,
            });
            let (template, template_version) = templates.get(&state, kind).await?;
            for format in [Format::Pdf, Format::Docx] {
                let bytes = render(kind, format, &data, template.clone()).await?;
                let (ext, mime) = match format {
                    Format::Pdf => ("pdf", "application/pdf"),
                    Format::Docx => (
                        "docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ),
                };
                let meta = state
                    .db
                    .store_generated_document(
                        &NewDocument {
                            kind: kind.code().into(),
                            person_id: Some(x.id.clone()),
                            period_id: Some(id),
                            title: format!("{} {} {}", kind.zh(), x.name, p.label),
                            file_name: format!("{}-{}-{}.{ext}", kind.code(), x.id, p.label),
                            mime: mime.into(),
                            bytes,
                        },
                        template_version,
                        c.actor(),
                    )
                    .await?;
                made.push(meta);
            }
        }
    }
    if !existing
        .iter()
        .any(|d| d.kind == DocKind::MonthlySummary.code())
    {
        let mut data = base.clone();
        data.rows = r
            .people
            .iter()
            .map(|x| DocRow {
                id: x.id.clone(),
                name: x.name.clone(),
                unit: x.group.clone(),
                score: x
                    .score
                    .map(|s| kaohe_engine::display::show(s, dp))
                    .unwrap_or_default(),
                rank: x.rank,
                status: status_zh(x),
            })
            .collect();
        let (template, template_version) = templates.get(&state, DocKind::MonthlySummary).await?;
        for format in [Format::Pdf, Format::Docx] {
            let bytes = render(DocKind::MonthlySummary, format, &data, template.clone()).await?;
            let (ext, mime) = match format {
                Format::Pdf => ("pdf", "application/pdf"),
                Format::Docx => (
                    "docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ),
            };
            made.push(
                state
                    .db
                    .store_generated_document(
                        &NewDocument {
                            kind: DocKind::MonthlySummary.code().into(),
                            person_id: None,
                            period_id: Some(id),
                            title: format!("{} {}", DocKind::MonthlySummary.zh(), p.label),
                            file_name: format!("monthly_summary-{}.{ext}", p.label),
                            mime: mime.into(),
                            bytes,
                        },
                        template_version,
                        c.actor(),
                    )
                    .await?,
            );
        }
    }
    Ok(Json(json!({ "run_id": run.id, "documents": made })))
}

async fn root_name(state: &AppState, mut unit: i64) -> ApiResult<String> {
    loop {
        let u = state.db.unit(unit).await?;
        match u.parent_id {
            Some(p) => unit = p,
            None => return Ok(u.name),
        }
    }
}

/// The current template of each kind (the admin's text or the default, and its stored version),
/// read once per batch of letters.
#[derive(Default)]
struct Templates(Vec<(DocKind, Option<String>, Option<i64>)>);

impl Templates {
    async fn get(
        &mut self,
        state: &AppState,
        kind: DocKind,
    ) -> ApiResult<(Option<String>, Option<i64>)> {
        if let Some((_, t, v)) = self.0.iter().find(|(k, ..)| *k == kind) {
            return Ok((t.clone(), *v));
        }
        let (t, v) = crate::api::templates::current_for(state, kind).await?;
        self.0.push((kind, t.clone(), v));
        Ok((t, v))
    }
}

/// Render one document with `template` (`None` = the built-in default). A template that does
/// not fit this period's data (checked on sample data when saved) is 409 with its message.
async fn render(
    kind: DocKind,
    format: Format,
    data: &DocData,
    template: Option<String>,
) -> ApiResult<Vec<u8>> {
    let data = data.clone();
    let out = tokio::task::spawn_blocking(move || {
        kaohe_docs::render(kind, format, &data, template.as_deref())
    })
    .await
    .map_err(ApiError::internal)?;
    out.map_err(|e| match e.kind() {
        kaohe_docs::DocErrorKind::Render => ApiError::internal(e),
        _ => ApiError::conflict(
            format!(
                "{}无法生成：{}（请检查文书模板；已生成的文书保留，修正后可再次生成其余文书）",
                kind.zh(),
                e.zh()
            ),
            format!(
                "the {} cannot be generated: {} (check the document template; documents already generated are kept, generate again after the fix)",
                kind.en(),
                e.en()
            ),
        ),
    })
}

/// A document of no one person (the monthly summary, P2.6) names everyone of the period: only a
/// reader of rankings whose unit scope covers every member may have it (a department head of
/// one department of the branch may not).
fn may_read_summary(s: &scope::Scope, c: &Caller, members: &[compute::Member]) -> bool {
    crate::api::results::READERS.contains(&c.role) && members.iter().all(|m| s.covers(m.unit_id))
}

/// `GET /api/periods/{id}/documents`: the documents of a period the caller may see.
pub async fn list_documents(
    State(state): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    visible_period(&state, &c, id).await?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, id).await?;
    let docs: Vec<_> = state
        .db
        .documents(Some(id), None)
        .await?
        .into_iter()
        .filter(|d| match &d.person_id {
            Some(pid) => members
                .iter()
                .any(|m| &m.person.id == pid && member_visible(&s, &c, m)),
            None => may_read_summary(&s, &c, &members),
        })
        .collect();
    Ok(Json(json!(docs)))
}

/// `GET /api/documents/{id}`: download one document (its person, or someone whose scope
/// covers them; a summary for the readers in scope).
pub async fn document(
    State(state): State<AppState>,
    c: Caller,
    Path(doc): Path<i64>,
) -> ApiResult<Response> {
    let (meta, bytes) = match state.db.document(doc).await {
        Ok(x) => x,
        Err(kaohe_store::Error::NotFound { .. }) => {
            return Err(ApiError::not_found("文书", "document"))
        }
        Err(e) => return Err(e.into()),
    };
    let Some(period_id) = meta.period_id else {
        return Err(ApiError::not_found("文书", "document"));
    };
    visible_period(&state, &c, period_id)
        .await
        .map_err(|_| ApiError::not_found("文书", "document"))?;
    let s = scope::scope(&state, &c).await?;
    let members = compute::members(&state, period_id).await?;
    let ok = match &meta.person_id {
        Some(pid) => members
            .iter()
            .any(|m| &m.person.id == pid && member_visible(&s, &c, m)),
        None => may_read_summary(&s, &c, &members),
    };
    if !ok {
        return Err(ApiError::not_found("文书", "document"));
    }
    let disposition = format!(
        "attachment; filename=\"{}\"",
        meta.file_name.replace(
            |ch: char| !ch.is_ascii_alphanumeric() && ch != '.' && ch != '-' && ch != '_',
            "_"
        )
    );
    Ok((
        [
            (header::CONTENT_TYPE, meta.mime.clone()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
