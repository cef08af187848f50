//! kaohe storage (存储): the server's database on embedded SQLite (default, a file created with its
//! schema on first run) or PostgreSQL (a `postgres://` URL), through one code path.
//!
//! Every public operation is a method on [`Db`]. Writes run in one transaction each (on SQLite
//! opened with `BEGIN IMMEDIATE`), and every change appends a row to the hash-chained audit log
//! in the same transaction. Exact decimals and JSON are stored as text, never floating point.

#[macro_use]
mod db;
#[macro_use]
pub mod audit;
// Modules below use `append_audit!`, so they come after `audit`.
pub mod acknowledgements;
pub mod appeals;
pub mod backup;
pub mod calendar;
pub mod decisions;
pub mod documents;
mod error;
pub mod facts;
pub mod migrate;
pub mod org;
#[macro_use]
pub mod people;
pub mod periods;
pub mod policies;
pub mod protected;
pub mod ratings;
pub mod roster;
pub mod runs;
pub mod signatures;
pub mod templates;
pub mod users;

pub use acknowledgements::AckRow;
pub use appeals::AppealRow;
pub use audit::{AuditEntry, AuditProblem, AuditReport, AuditRow};
pub use db::{with_clock_offset, Backend, Db};
pub use decisions::{DecisionRow, NewDecision};
pub use documents::{DocumentMeta, NewDocument};
pub use error::{Error, Result};
pub use facts::{FactRow, ImportId, StoredFact};
pub use org::{OrgUnit, UnitKind};
pub use people::{HistoryEntry, NewPerson, PersonAsOf};
pub use periods::PeriodRow;
pub use policies::PolicyVersion;
pub use protected::ProtectedRow;
pub use ratings::RatingRow;
pub use runs::{Amendment, NewRun, RunRow};
pub use signatures::{NewSignature, SignatureRow};
pub use templates::TemplateVersion;
pub use users::{NewUser, SessionRow, TokenRow, UserRow};
