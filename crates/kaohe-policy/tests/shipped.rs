//! Every shipped policy in `policies/*.toml` loads and validates without a problem.

use std::path::Path;

#[test]
fn every_shipped_policy_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no policies directory yet; skipped");
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        eprintln!("policies directory is empty; skipped");
        return;
    }
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let name = f.display().to_string();
        match kaohe_policy::load_str(&text, &name) {
            Ok(p) => {
                // Every construct can be rendered back in both languages.
                let zh = kaohe_policy::explain::render(&p, kaohe_policy::explain::Lang::Zh);
                let en = kaohe_policy::explain::render(&p, kaohe_policy::explain::Lang::En);
                assert!(
                    zh.contains(&p.policy.name),
                    "{name}: zh rendering lacks the name"
                );
                assert!(!en.is_empty());
            }
            Err(errs) => {
                for e in errs {
                    failures.push(format!(
                        "{e}\n    hint: {}",
                        e.hint.clone().unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "shipped policies fail:\n{}",
        failures.join("\n")
    );
}
