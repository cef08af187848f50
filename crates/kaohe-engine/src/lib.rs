//! kaohe-engine — the pure computation (考核计算引擎).
//!
//! Takes a validated [`Policy`], one period's [`PeriodInput`] and earlier periods'
//! [`History`], and returns a [`PeriodResult`]: every person's indicators with explanations,
//! ranks, the line, exemptions, vetoes, failed gates, ties needing a person, history hits,
//! ladder steps, level changes and outcomes with their labour-law requirements.
//!
//! No I/O, no clock, no database, no randomness: the same input gives the same output, whatever
//! the order of rows. Arithmetic is exact ([`rust_decimal::Decimal`]); rounding happens only in
//! [`display`].
//!
//! Pipeline of [`Engine::evaluate`] (each stage in its own module):
//! 1. `population` — who is covered, new hires (P8.7), absent people;
//! 2. `score` — indicators per person (the building blocks), vetoes, gates, typed-total check;
//! 3. `rank` — ranking groups, exact ordering with tie-breakers, shared ranks;
//! 4. `line` — quota, exemptions, candidates, skip, fallback (P8.8), ties at the line (X5);
//!    sets each person's [`data::Mark`];
//! 5. `levels` — level changes (P5), using ranks;
//! 6. `history` — history rules over earlier marks (P8.6);
//! 7. `ladder` — escalation ladder and recovery (P7.8, P7.9);
//! 8. `aggregate` — block aggregates (P2.7);
//! 9. `outcomes` — outcomes with legal paths and requirements (`legal`, LABOUR-LAW.md).

pub mod data;
pub mod display;
pub mod result;

pub use data::{Facts, History, Mark, Period, PeriodInput, PeriodRecord, Person, Value};
pub use kaohe_policy::Policy;
pub use result::PeriodResult;
pub mod legal;

mod aggregate;
mod history;
mod ladder;
mod outcomes;

pub use history::record;

mod blocks;
mod cond;
mod engine;
mod levels;
mod line;
mod lookup;
mod pipeline;
mod population;
mod rank;
mod score;
mod suggest;

pub use engine::{Engine, EngineError};
