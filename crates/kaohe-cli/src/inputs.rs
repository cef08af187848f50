//! Loading a run's inputs (读取输入): policy, roster, facts, ratings, history, decisions.
//!
//! All files are read and checked before anything is computed or written; any problem stops
//! the run with every message (all or nothing).

use crate::args::DataArgs;
use crate::manifest::Manifest;
use crate::Problems;
use kaohe_engine::data::{History, Period, PeriodInput};
use kaohe_policy::Policy;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything a run needs, checked.
pub struct Loaded {
    /// The policy.
    pub policy: Policy,
    /// One input per period, ascending.
    pub periods: Vec<PeriodInput>,
    /// History before the first period.
    pub history: History,
    /// The period to show.
    pub shown: Period,
    /// The example's one-line description, if run from an example folder.
    pub description: Option<String>,
}

/// Read a policy file and validate it.
pub fn read_policy(path: &Path) -> Result<Policy, Problems> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problems::one(format!(
            "{}: 无法读取制度文件：{e} / cannot read the policy file: {e}",
            path.display()
        ))
    })?;
    kaohe_policy::load_str(&text, &path.display().to_string())
        .map_err(|errs| Problems(errs.iter().map(policy_problem).collect()))
}

/// One policy problem as printed: the position and message, then the hint on its own line.
fn policy_problem(e: &kaohe_policy::PolicyError) -> String {
    match &e.hint {
        Some(h) => format!("{e}\n    提示 hint: {h}"),
        None => e.to_string(),
    }
}

fn need(p: Option<PathBuf>, what_zh: &str, what_en: &str, flag: &str) -> Result<PathBuf, Problems> {
    p.ok_or_else(|| {
        Problems::one(format!(
            "缺少{what_zh}：请用 {flag} 指定，或给出含 kaohe.toml 的示例目录 / missing the {what_en}: pass {flag} or an example folder with kaohe.toml"
        ))
    })
}

fn import_err(e: impl std::fmt::Display) -> Problems {
    Problems::one(e.to_string())
}

/// Load and check every input named by the arguments (and the manifest, if a folder is given).
pub fn load(args: &DataArgs) -> Result<Loaded, Problems> {
    let manifest = match &args.dir {
        Some(dir) => Manifest::read(dir)?,
        None => Manifest::default(),
    };
    let policy_path = need(
        args.policy.clone().or(manifest.policy),
        "制度文件",
        "policy file",
        "--policy",
    )?;
    let policy = read_policy(&policy_path)?;
    let cycle = policy.policy.cycle;
    let roster_path = need(
        args.roster.clone().or(manifest.roster),
        "花名册",
        "roster",
        "--roster",
    )?;
    let people = kaohe_import::read_roster(&roster_path).map_err(import_err)?;

    let period_arg = args.period.clone().or(manifest.period);
    let explicit = match &period_arg {
        Some(text) => Some(Period::parse(text, cycle).ok_or_else(|| {
            Problems::one(format!(
                "期间「{text}」无法识别，应如 2025-12 / period \"{text}\" not understood; expected e.g. 2025-12"
            ))
        })?),
        None => None,
    };

    let facts_paths = if args.facts.is_empty() {
        manifest.facts
    } else {
        args.facts.clone()
    };
    if facts_paths.is_empty() {
        return Err(Problems::one(
            "缺少考核数据：请用 --facts 指定 / missing the facts: pass --facts",
        ));
    }
    let mut facts = BTreeMap::new();
    let mut problems = Vec::new();
    for path in &facts_paths {
        match kaohe_import::read_facts(path, &policy, &people, explicit.as_ref()) {
            Ok(f) => {
                if let Err(e) = kaohe_import::merge_facts(&mut facts, f) {
                    problems.push(e.to_string());
                }
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    if let Some(path) = args.ratings.clone().or(manifest.ratings) {
        match kaohe_import::read_ratings(&path, &policy, &people, explicit.as_ref()) {
            Ok(f) => {
                if let Err(e) = kaohe_import::merge_facts(&mut facts, f) {
                    problems.push(e.to_string());
                }
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    let history = match args.history.clone().or(manifest.history) {
        Some(path) => match kaohe_import::read_history(&path, cycle) {
            Ok(h) => h,
            Err(e) => {
                problems.push(e.to_string());
                History::default()
            }
        },
        None => History::default(),
    };
    let decisions = match args.decisions.clone().or(manifest.decisions) {
        Some(path) => match kaohe_import::read_decisions(&path, cycle) {
            Ok(d) => d,
            Err(e) => {
                problems.push(e.to_string());
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    if !problems.is_empty() {
        return Err(Problems(problems));
    }

    let shown =
        match explicit {
            Some(p) => p,
            None => facts.keys().next_back().cloned().ok_or_else(|| {
                Problems::one("考核数据中没有任何期间 / the facts contain no period")
            })?,
        };
    if !facts.contains_key(&shown) {
        let have: Vec<&str> = facts.keys().map(|p| p.label.as_str()).collect();
        return Err(Problems::one(format!(
            "数据中没有期间 {} （已有：{}） / period {} is not in the data (present: {})",
            shown.label,
            have.join("、"),
            shown.label,
            have.join(", ")
        )));
    }
    let periods = facts
        .into_iter()
        .filter(|(p, _)| p.index <= shown.index)
        .map(|(period, facts)| PeriodInput {
            decisions: decisions
                .iter()
                .filter(|(p, _)| p.index == period.index)
                .map(|(_, d)| d.clone())
                .collect(),
            period: Some(period),
            people: people.clone(),
            facts,
        })
        .collect();
    Ok(Loaded {
        policy,
        periods,
        history,
        shown,
        description: manifest.description,
    })
}
