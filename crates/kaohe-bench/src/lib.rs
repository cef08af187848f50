//! kaohe-bench — a synthetic company for benchmarks (合成数据).
//!
//! [`generate`] builds, deterministically from a seed, a roster of N people in M branches, one
//! month of facts for every input the policy declares (values drawn inside each input's
//! declared range), and earlier months of history. It reads only the policy, so it works for
//! any policy file, not just the shipped ones.

pub mod rng;
mod synth;

pub use synth::{generate, Company, Spec};
