//! make-examples: writes every example folder under examples/ (示例数据生成).
//!
//! Usage: `make-examples [OUT_DIR]` (default: the workspace's `examples/`). The output depends
//! only on the tables in this crate: no randomness, no clock (workbooks carry a fixed date), so
//! running it twice gives byte-identical files. All names are fictional.

mod p1;
mod p2;
mod p3;
mod p4;
mod p5;
mod p6;
mod p7;
mod p8;
mod roster;
mod xlsx;

use std::path::{Path, PathBuf};

/// The manifest of an example folder (`kaohe.toml`).
pub struct Manifest<'a> {
    /// Policy file relative to the folder.
    pub policy: &'a str,
    /// Roster file.
    pub roster: &'a str,
    /// Facts files.
    pub facts: &'a [&'a str],
    /// Rater sheet (P7).
    pub ratings: Option<&'a str>,
    /// Tie decisions.
    pub decisions: Option<&'a str>,
    /// Period shown by default.
    pub period: Option<&'a str>,
    /// One line in Chinese.
    pub description: &'a str,
}

impl Manifest<'_> {
    /// Write `dir/kaohe.toml`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out =
            String::from("# Example manifest, written by make-examples (crates/kaohe-examples).\n");
        out += &format!("policy = {}\n", q(self.policy));
        out += &format!("roster = {}\n", q(self.roster));
        let facts: Vec<String> = self.facts.iter().map(|f| q(f)).collect();
        out += &format!("facts = [{}]\n", facts.join(", "));
        if let Some(r) = self.ratings {
            out += &format!("ratings = {}\n", q(r));
        }
        if let Some(d) = self.decisions {
            out += &format!("decisions = {}\n", q(d));
        }
        if let Some(p) = self.period {
            out += &format!("period = {}\n", q(p));
        }
        out += &format!("description = {}\n", q(self.description));
        std::fs::write(dir.join("kaohe.toml"), out)
    }
}

/// Writes one example folder under the given root.
type Step = fn(&Path) -> Result<(), Box<dyn std::error::Error>>;

fn main() {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples"));
    let steps: [(&str, Step); 8] = [
        ("p1-account-manager-ranking", p1::write),
        ("p2-sales-consultant", p2::write),
        ("p3-onboarding", p3::write),
        ("p4-group-sales", p4::write),
        ("p5-promotion", p5::write),
        ("p6-marketing-procedure", p6::write),
        ("p7-department-raters", p7::write),
        ("p8-amber-bay", p8::write),
    ];
    for (name, step) in steps {
        if let Err(e) = step(&root) {
            eprintln!("{name}: 写出失败 / failed to write: {e}");
            std::process::exit(1);
        }
        println!("{}", root.join(name).display());
    }
}
