//! The committed example files are exactly what `make-examples` writes (deterministic output):
//! the generator runs into a temporary folder twice and every file must match the committed
//! one byte for byte. Fails when someone edits a generated file by hand or changes the generator
//! without regenerating (`cargo run -p kaohe-examples --bin make-examples`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn generate(into: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_make-examples"))
        .arg(into)
        .stdout(std::process::Stdio::null())
        .status();
    assert!(status.is_ok_and(|s| s.success()), "make-examples failed");
}

#[test]
fn committed_examples_are_what_the_generator_writes() {
    let tmp = std::env::temp_dir().join(format!("kaohe-examples-{}", std::process::id()));
    let (a, b) = (tmp.join("a"), tmp.join("b"));
    generate(&a);
    generate(&b);
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let generated = files(&a);
    assert!(generated.len() >= 26, "too few files: {generated:?}");
    for rel in &generated {
        let bytes = std::fs::read(a.join(rel)).unwrap_or_default();
        assert_eq!(
            bytes,
            std::fs::read(b.join(rel)).unwrap_or_default(),
            "{} differs between runs",
            rel.display()
        );
        assert_eq!(
            bytes,
            std::fs::read(committed.join(rel)).unwrap_or_default(),
            "examples/{} is not what make-examples writes",
            rel.display()
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
