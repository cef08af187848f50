//! Example manifests (示例清单): `kaohe.toml` in an example folder names its files.

use crate::Problems;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The manifest of an example folder.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Policy file, relative to the folder.
    pub policy: Option<PathBuf>,
    /// Roster file.
    pub roster: Option<PathBuf>,
    /// Facts files.
    #[serde(default)]
    pub facts: Vec<PathBuf>,
    /// Rater sheet.
    pub ratings: Option<PathBuf>,
    /// History file.
    pub history: Option<PathBuf>,
    /// Tie decisions.
    pub decisions: Option<PathBuf>,
    /// Period shown by default.
    pub period: Option<String>,
    /// One-line description.
    pub description: Option<String>,
}

impl Manifest {
    /// Read `dir/kaohe.toml`, resolving paths against `dir`.
    pub fn read(dir: &Path) -> Result<Manifest, Problems> {
        let path = dir.join("kaohe.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Problems::one(format!(
                "{}: 无法读取示例清单 kaohe.toml：{e} / cannot read the example manifest: {e}",
                path.display()
            ))
        })?;
        let mut m: Manifest = toml::from_str(&text).map_err(|e| {
            Problems::one(format!(
                "{}: 示例清单格式错误 / manifest is not valid: {}",
                path.display(),
                e.message()
            ))
        })?;
        let abs = |p: &mut Option<PathBuf>| {
            if let Some(x) = p {
                *x = dir.join(&*x);
            }
        };
        abs(&mut m.policy);
        abs(&mut m.roster);
        abs(&mut m.ratings);
        abs(&mut m.history);
        abs(&mut m.decisions);
        m.facts = m.facts.iter().map(|f| dir.join(f)).collect();
        Ok(m)
    }
}
