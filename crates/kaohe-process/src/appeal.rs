//! Appeals (申诉, P4.10): filed in writing by the person inside the window; a reviewer accepts
//! (the data is corrected, the result recomputed and republished to those affected) or rejects
//! with a reason; the person is told.
//!
//! Lifecycle: `Filed` → `Accepted` → `Republished`, or `Filed` → `Rejected`; an appeal is
//! *open* (blocks [`crate::cycle::Action::Finalize`]) while `Filed` or `Accepted`. Notifying
//! the person is allowed once decided (`Rejected` or `Republished`) and recorded once.
//! Not modelled yet: "level by level" escalation (P4.10) — a rejected appeal is final here.

use crate::calendar::is_past;
use crate::cycle::CycleState;
use crate::role::Role;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where an appeal stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AppealStatus {
    /// 已提交 waiting for review.
    Filed,
    /// 已受理 accepted: data to correct, recompute, republish.
    Accepted {
        /// Reviewer account.
        reviewer: String,
        /// When.
        at: NaiveDateTime,
        /// What will be corrected.
        note: String,
    },
    /// 已更正并重新公示 corrected result republished.
    Republished {
        /// When.
        at: NaiveDateTime,
    },
    /// 已驳回 rejected with a reason.
    Rejected {
        /// Reviewer account.
        reviewer: String,
        /// When.
        at: NaiveDateTime,
        /// Why.
        reason: String,
    },
}

/// An appeal (申诉).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    /// The person appealing (工号).
    pub person: String,
    /// Filed at.
    pub filed_at: NaiveDateTime,
    /// The written appeal.
    pub text: String,
    /// Status.
    pub status: AppealStatus,
    /// When the person was told the decision.
    pub notified_at: Option<NaiveDateTime>,
}

/// A refused appeal step (申诉操作被拒绝).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AppealError {
    /// Not in the published state.
    #[error("结果未处于公示状态，不能申诉 / the result is not published: no appeal possible")]
    NotPublished,
    /// Outside the window.
    #[error("申诉期为{from}至{until}（含），{at}不在其内（P4.10） / the appeal window is {from} to {until} inclusive; {at} is outside it (P4.10)")]
    OutsideWindow {
        /// Publication day.
        from: NaiveDate,
        /// Last day.
        until: NaiveDate,
        /// Attempt time.
        at: NaiveDateTime,
    },
    /// Only the person may file their own appeal.
    #[error("只能由本人提出申诉 / only the person may file their own appeal")]
    NotThePerson,
    /// Empty text or reason.
    #[error("须书面说明（内容不能为空） / a written text is required (it is empty)")]
    TextRequired,
    /// The reviewer may not review.
    #[error("该角色或本人不能处理此申诉 / this reviewer may not decide the appeal (wrong role, or it is their own)")]
    ReviewerNotAllowed,
    /// Wrong status for this step.
    #[error("申诉当前状态不允许此操作 / the appeal's current status does not allow this step")]
    WrongStatus,
    /// A time before the previous step.
    #[error("时间早于上一步 / the time is before the previous step")]
    TimeBeforePrevious,
}

/// Roles that review appeals.
const REVIEWERS: &[Role] = &[
    Role::Admin,
    Role::HqHr,
    Role::RegionalHead,
    Role::BranchHead,
];

impl Appeal {
    /// Files a written appeal by `actor` for `person` at `at`; the cycle must be published on
    /// `published_on` with the window ending `until` (inclusive).
    pub fn file(
        state: CycleState,
        actor: &str,
        person: &str,
        text: &str,
        at: NaiveDateTime,
        published_on: NaiveDate,
        until: NaiveDate,
    ) -> Result<Appeal, AppealError> {
        if state != CycleState::Published {
            return Err(AppealError::NotPublished);
        }
        if actor != person {
            return Err(AppealError::NotThePerson);
        }
        if at.date() < published_on || is_past(until, at.date()) {
            return Err(AppealError::OutsideWindow {
                from: published_on,
                until,
                at,
            });
        }
        if text.trim().is_empty() {
            return Err(AppealError::TextRequired);
        }
        Ok(Appeal {
            person: person.into(),
            filed_at: at,
            text: text.into(),
            status: AppealStatus::Filed,
            notified_at: None,
        })
    }

    /// Whether it still blocks finalizing.
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            AppealStatus::Filed | AppealStatus::Accepted { .. }
        )
    }

    fn review_check(
        &self,
        reviewer: &str,
        role: Role,
        at: NaiveDateTime,
        text: &str,
    ) -> Result<(), AppealError> {
        if self.status != AppealStatus::Filed {
            return Err(AppealError::WrongStatus);
        }
        if reviewer == self.person || !REVIEWERS.contains(&role) {
            return Err(AppealError::ReviewerNotAllowed);
        }
        if at < self.filed_at {
            return Err(AppealError::TimeBeforePrevious);
        }
        if text.trim().is_empty() {
            return Err(AppealError::TextRequired);
        }
        Ok(())
    }

    /// Accepts: `note` says what will be corrected.
    pub fn accept(
        mut self,
        reviewer: &str,
        role: Role,
        at: NaiveDateTime,
        note: &str,
    ) -> Result<Appeal, AppealError> {
        self.review_check(reviewer, role, at, note)?;
        self.status = AppealStatus::Accepted {
            reviewer: reviewer.into(),
            at,
            note: note.into(),
        };
        Ok(self)
    }

    /// Rejects with a reason.
    pub fn reject(
        mut self,
        reviewer: &str,
        role: Role,
        at: NaiveDateTime,
        reason: &str,
    ) -> Result<Appeal, AppealError> {
        self.review_check(reviewer, role, at, reason)?;
        self.status = AppealStatus::Rejected {
            reviewer: reviewer.into(),
            at,
            reason: reason.into(),
        };
        Ok(self)
    }

    /// Records that the corrected result was recomputed and republished to the person.
    pub fn republished(mut self, at: NaiveDateTime) -> Result<Appeal, AppealError> {
        match &self.status {
            AppealStatus::Accepted { at: accepted, .. } if at < *accepted => {
                Err(AppealError::TimeBeforePrevious)
            }
            AppealStatus::Accepted { .. } => {
                self.status = AppealStatus::Republished { at };
                Ok(self)
            }
            _ => Err(AppealError::WrongStatus),
        }
    }

    /// Records that the person was told the decision.
    pub fn notify(mut self, at: NaiveDateTime) -> Result<Appeal, AppealError> {
        let decided = match &self.status {
            AppealStatus::Rejected { at, .. } | AppealStatus::Republished { at } => *at,
            _ => return Err(AppealError::WrongStatus),
        };
        if self.notified_at.is_some() {
            return Err(AppealError::WrongStatus);
        }
        if at < decided {
            return Err(AppealError::TimeBeforePrevious);
        }
        self.notified_at = Some(at);
        Ok(self)
    }
}

/// Appeals still open (for [`crate::cycle::CycleContext::open_appeals`]).
pub fn open_count(appeals: &[Appeal]) -> u32 {
    appeals.iter().filter(|a| a.is_open()).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    // P4.10: published Thu 2026-02-26, window until Mon 2026-03-02 (see cycle tests).
    fn file(at: &str) -> Result<Appeal, AppealError> {
        Appeal::file(
            CycleState::Published,
            "E001",
            "E001",
            "回款漏计一笔",
            t(at),
            d("2026-02-26"),
            d("2026-03-02"),
        )
    }

    #[test]
    fn p4_10_filed_only_inside_the_window() {
        assert!(file("2026-02-26 10:00").is_ok());
        assert!(file("2026-03-02 23:59").is_ok());
        assert!(matches!(
            file("2026-03-03 00:00"),
            Err(AppealError::OutsideWindow { .. })
        ));
        assert!(matches!(
            file("2026-02-25 18:00"),
            Err(AppealError::OutsideWindow { .. })
        ));
        let other = Appeal::file(
            CycleState::Published,
            "E002",
            "E001",
            "x",
            t("2026-02-27 10:00"),
            d("2026-02-26"),
            d("2026-03-02"),
        );
        assert_eq!(other, Err(AppealError::NotThePerson));
        let final_ = Appeal::file(
            CycleState::Final,
            "E001",
            "E001",
            "x",
            t("2026-02-27 10:00"),
            d("2026-02-26"),
            d("2026-03-02"),
        );
        assert_eq!(final_, Err(AppealError::NotPublished));
        assert_eq!(
            file("2026-02-27 10:00")
                .map(|_| ())
                .and_then(|_| Appeal::file(
                    CycleState::Published,
                    "E001",
                    "E001",
                    " ",
                    t("2026-02-27 10:00"),
                    d("2026-02-26"),
                    d("2026-03-02")
                )
                .map(|_| ())),
            Err(AppealError::TextRequired)
        );
    }

    #[test]
    fn accepted_appeal_stays_open_until_republished_then_person_told() {
        let a = file("2026-02-27 10:00").unwrap();
        assert_eq!(open_count(std::slice::from_ref(&a)), 1);
        assert_eq!(
            a.clone()
                .accept("E001", Role::Admin, t("2026-02-28 10:00"), "补录"),
            Err(AppealError::ReviewerNotAllowed)
        );
        assert_eq!(
            a.clone()
                .accept("R1", Role::Rater, t("2026-02-28 10:00"), "补录"),
            Err(AppealError::ReviewerNotAllowed)
        );
        let a = a
            .accept(
                "B1",
                Role::BranchHead,
                t("2026-02-28 10:00"),
                "补录2月20日回款",
            )
            .unwrap();
        assert!(a.is_open());
        assert_eq!(
            a.clone().notify(t("2026-02-28 11:00")),
            Err(AppealError::WrongStatus)
        );
        let a = a.republished(t("2026-03-01 09:00")).unwrap();
        assert!(!a.is_open());
        let a = a.notify(t("2026-03-01 09:05")).unwrap();
        assert_eq!(a.notified_at, Some(t("2026-03-01 09:05")));
        assert_eq!(
            a.notify(t("2026-03-01 09:06")),
            Err(AppealError::WrongStatus)
        );
    }

    #[test]
    fn rejection_needs_a_reason() {
        let a = file("2026-02-27 10:00").unwrap();
        assert_eq!(
            a.clone()
                .reject("B1", Role::BranchHead, t("2026-02-28 10:00"), ""),
            Err(AppealError::TextRequired)
        );
        assert_eq!(
            a.clone()
                .reject("B1", Role::BranchHead, t("2026-02-26 10:00"), "x"),
            Err(AppealError::TimeBeforePrevious)
        );
        let a = a
            .reject(
                "B1",
                Role::BranchHead,
                t("2026-02-28 10:00"),
                "该笔回款在3月到账",
            )
            .unwrap();
        assert!(!a.is_open());
        assert_eq!(
            a.clone().republished(t("2026-03-01 09:00")),
            Err(AppealError::WrongStatus)
        );
        assert!(a.notify(t("2026-02-28 10:30")).is_ok());
    }
}
