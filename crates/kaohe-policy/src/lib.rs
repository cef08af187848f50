//! kaohe-policy — the policy language (考核制度语言).
//!
//! A company's written rules become one TOML file: declared inputs, indicators built from
//! building blocks, population, ranking, the line, vetoes, gates, history rules, ladders,
//! levels, outcomes and process parameters. This crate reads such a file into [`model::Policy`],
//! validates it (every problem with file, line, column and a hint, in Chinese and English),
//! compiles its formulas, and renders it back in plain Chinese or English so HR can compare it
//! with their written text. It does no I/O: callers pass the text and the file name.

pub mod explain;
pub mod formula;
pub mod load;
pub mod model;
pub mod num;
pub mod validate;

pub use load::{load_str, PolicyError};
pub use model::Policy;
pub use num::Num;
