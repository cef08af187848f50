//! Every shipped policy compiles into an engine (names resolve, formulas compile, no cycles).

use kaohe_engine::Engine;

#[test]
fn shipped_policies_compile() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut failures = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().and_then(|x| x.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        match kaohe_policy::load_str(&text, &name) {
            Ok(p) => {
                if let Err(err) = Engine::new(&p) {
                    failures.push(format!("{name}: {err}"));
                }
            }
            Err(errs) => failures.push(format!("{name}: load: {:?}", errs.first())),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
