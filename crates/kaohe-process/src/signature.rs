//! Signatures (签字确认) and recorded refusals (拒签记录): each person signs their score
//! (P4.9), and a person on the elimination list signs that too (P4.11).
//!
//! A signature belongs to one computed run: after a recompute the earlier signatures no longer
//! count ([`missing`] only looks at the run given). A refusal is recorded by someone else (a
//! manager or HR), with the time and a note (witness, circumstances); the person never
//! "refuses" through someone signing in their name.

use crate::role::Role;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// 考核结果 the person's score (P4.9).
    Score,
    /// 淘汰名单 being on the elimination list (P4.11).
    EliminationList,
}

/// Signed or refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignatureKind {
    /// 已签字 signed by the person.
    Signed,
    /// 拒签 refusal recorded by `recorded_by`.
    Refused {
        /// Who recorded it.
        recorded_by: String,
        /// Witness and circumstances.
        note: String,
    },
}

/// One signature record (签字记录).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// 工号.
    pub person: String,
    /// What.
    pub subject: Subject,
    /// The computed run signed for.
    pub run: String,
    /// When.
    pub at: NaiveDateTime,
    /// Signed or refused.
    pub kind: SignatureKind,
}

/// A refused signature step.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SignatureError {
    /// Only the person signs.
    #[error("只能由本人签字 / only the person may sign")]
    NotThePerson,
    /// The recorder may not record a refusal.
    #[error("拒签须由本人以外的负责人或人事记录 / a refusal is recorded by a manager or HR, not by the person")]
    RecorderNotAllowed,
    /// Note required.
    #[error("拒签记录须写明情况（见证人等） / a refusal needs a note (witness, circumstances)")]
    NoteRequired,
    /// Already has a record for this run and subject.
    #[error("该结果已有签字或拒签记录 / there is already a signature or refusal for this result")]
    AlreadyRecorded,
}

/// Roles that may record a refusal.
const RECORDERS: &[Role] = &[
    Role::Admin,
    Role::HqHr,
    Role::RegionalHead,
    Role::BranchHead,
    Role::DepartmentHead,
    Role::SalesManager,
];

fn exists(records: &[Signature], person: &str, subject: Subject, run: &str) -> bool {
    records
        .iter()
        .any(|r| r.person == person && r.subject == subject && r.run == run)
}

/// The person signs (`actor` must be `person`).
pub fn sign(
    records: &[Signature],
    actor: &str,
    person: &str,
    subject: Subject,
    run: &str,
    at: NaiveDateTime,
) -> Result<Signature, SignatureError> {
    if actor != person {
        return Err(SignatureError::NotThePerson);
    }
    if exists(records, person, subject, run) {
        return Err(SignatureError::AlreadyRecorded);
    }
    Ok(Signature {
        person: person.into(),
        subject,
        run: run.into(),
        at,
        kind: SignatureKind::Signed,
    })
}

/// Records a refusal to sign, by someone other than the person.
#[allow(clippy::too_many_arguments)]
pub fn record_refusal(
    records: &[Signature],
    recorder: &str,
    recorder_role: Role,
    person: &str,
    subject: Subject,
    run: &str,
    at: NaiveDateTime,
    note: &str,
) -> Result<Signature, SignatureError> {
    if recorder == person || !RECORDERS.contains(&recorder_role) {
        return Err(SignatureError::RecorderNotAllowed);
    }
    if note.trim().is_empty() {
        return Err(SignatureError::NoteRequired);
    }
    if exists(records, person, subject, run) {
        return Err(SignatureError::AlreadyRecorded);
    }
    Ok(Signature {
        person: person.into(),
        subject,
        run: run.into(),
        at,
        kind: SignatureKind::Refused {
            recorded_by: recorder.into(),
            note: note.into(),
        },
    })
}

/// People of `people` with neither a signature nor a refusal for `subject` on `run`.
pub fn missing<'a>(
    people: &'a [String],
    records: &[Signature],
    subject: Subject,
    run: &str,
) -> Vec<&'a str> {
    people
        .iter()
        .filter(|p| !exists(records, p, subject, run))
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn sign_refuse_and_missing_per_run() {
        let people: Vec<String> = vec!["E1".into(), "E2".into(), "E3".into()];
        let mut recs = vec![];
        recs.push(
            sign(
                &recs,
                "E1",
                "E1",
                Subject::Score,
                "run1",
                t("2026-02-26 10:00"),
            )
            .unwrap(),
        );
        assert_eq!(
            sign(
                &recs,
                "B1",
                "E2",
                Subject::Score,
                "run1",
                t("2026-02-26 10:00")
            ),
            Err(SignatureError::NotThePerson)
        );
        assert_eq!(
            sign(
                &recs,
                "E1",
                "E1",
                Subject::Score,
                "run1",
                t("2026-02-26 11:00")
            ),
            Err(SignatureError::AlreadyRecorded)
        );
        assert_eq!(
            record_refusal(
                &recs,
                "E2",
                Role::Employee,
                "E2",
                Subject::Score,
                "run1",
                t("2026-02-26 10:00"),
                "x"
            ),
            Err(SignatureError::RecorderNotAllowed)
        );
        assert_eq!(
            record_refusal(
                &recs,
                "B1",
                Role::BranchHead,
                "E2",
                Subject::Score,
                "run1",
                t("2026-02-26 10:00"),
                " "
            ),
            Err(SignatureError::NoteRequired)
        );
        let r = record_refusal(
            &recs,
            "B1",
            Role::BranchHead,
            "E2",
            Subject::Score,
            "run1",
            t("2026-02-26 15:00"),
            "当面拒签，见证人：王五",
        )
        .unwrap();
        recs.push(r);
        assert_eq!(missing(&people, &recs, Subject::Score, "run1"), vec!["E3"]);
        // After a recompute (run2) every signature is needed again.
        assert_eq!(
            missing(&people, &recs, Subject::Score, "run2"),
            vec!["E1", "E2", "E3"]
        );
        // P4.11: the elimination list is signed separately.
        let elim: Vec<String> = vec!["E3".into()];
        assert_eq!(
            missing(&elim, &recs, Subject::EliminationList, "run1"),
            vec!["E3"]
        );
        recs.push(
            sign(
                &recs,
                "E3",
                "E3",
                Subject::EliminationList,
                "run1",
                t("2026-03-03 09:00"),
            )
            .unwrap(),
        );
        assert!(missing(&elim, &recs, Subject::EliminationList, "run1").is_empty());
    }
}
