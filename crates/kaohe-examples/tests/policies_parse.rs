//! Every shipped policy (policies/*.toml) loads: parses and, once the validator is complete,
//! validates. A failure names the file and every problem found.

use std::path::PathBuf;

fn policies_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

#[test]
fn every_shipped_policy_loads() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(policies_dir())
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    // P1–P8: eight files, one per source policy.
    assert_eq!(
        files.len(),
        8,
        "expected eight policy files, found {files:?}"
    );
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let name = f.display().to_string();
        if let Err(errs) = kaohe_policy::load_str(&text, &name) {
            for e in errs {
                problems.push(e.to_string());
            }
        }
    }
    assert!(
        problems.is_empty(),
        "policy problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_policy_id_matches_its_file_name_and_cites_its_source() {
    for (file, source) in [
        ("p1-account-manager-ranking", "P1"),
        ("p2-sales-consultant", "P2"),
        ("p3-onboarding", "P3"),
        ("p4-group-sales", "P4"),
        ("p5-promotion", "P5"),
        ("p6-marketing-procedure", "P6"),
        ("p7-department-raters", "P7"),
        ("p8-amber-bay", "P8"),
    ] {
        let path = policies_dir().join(format!("{file}.toml"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let policy = match kaohe_policy::load_str(&text, file) {
            Ok(p) => p,
            Err(e) => panic!("{file}: {e:?}"),
        };
        assert_eq!(policy.policy.id, file);
        assert_eq!(policy.policy.source.as_deref(), Some(source));
        // X1: every Decision of POLICIES.md is recorded as a [[decision]] note.
        assert!(
            !policy.decisions.is_empty(),
            "{file}: no [[decision]] notes"
        );
    }
}
