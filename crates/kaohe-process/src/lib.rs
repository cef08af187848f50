//! kaohe-process — the rules of the assessment cycle (考核流程规则) that the server enforces.
//!
//! Pure: no I/O, no clock ("now" is always a parameter), no database. Modules:
//! - [`calendar`] — mainland-China working days (工作日) with holidays and make-up days as data;
//! - [`role`] — the roles (角色) and the approval chain of a policy;
//! - [`cycle`] — the per-policy-per-period state machine, its guards and deadlines;
//! - [`appeal`] — appeals (申诉) filed inside the window and their review;
//! - [`signature`] — signatures and recorded refusals (签字/拒签);
//! - [`gates`] — the labour-law gates (劳动法关口) for a concrete termination decision;

pub mod appeal;
pub mod calendar;
pub mod cycle;
pub mod gates;
pub mod role;
pub mod signature;
