//! `load_str` never panics, whatever the text: random bytes, and mutations of a valid policy.

use proptest::prelude::*;

const BASE: &str = include_str!("fixtures/base.toml");

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(s in "\\PC{0,300}") {
        let _ = kaohe_policy::load_str(&s, "f.toml");
    }

    #[test]
    fn mutated_policy_never_panics(cut in 0usize..2000, len in 0usize..40, insert in "[\\[\\]{}=\",.a-z0-9 \n%-]{0,12}") {
        let chars: Vec<char> = BASE.chars().collect();
        let start = cut.min(chars.len());
        let end = (start + len).min(chars.len());
        let text: String = chars[..start].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
        if let Ok(p) = kaohe_policy::load_str(&text, "f.toml") {
            let _ = kaohe_policy::explain::render(&p, kaohe_policy::explain::Lang::Zh);
            let _ = kaohe_policy::explain::render(&p, kaohe_policy::explain::Lang::En);
        }
    }

    #[test]
    fn shipped_policies_mutated_never_panic(which in 0usize..8, cut in 0usize..6000, len in 0usize..60, insert in "[\\[\\]{}=\",.a-z0-9 \n]{0,12}") {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
        let mut files: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        if let Some(f) = files.get(which % files.len().max(1)) {
            let base = std::fs::read_to_string(f).unwrap_or_default();
            let chars: Vec<char> = base.chars().collect();
            let start = cut.min(chars.len());
            let end = (start + len).min(chars.len());
            let text: String = chars[..start].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
            let _ = kaohe_policy::load_str(&text, "f.toml");
        }
    }
}

#[test]
fn deeply_nested_toml_does_not_overflow() {
    let deep = format!("a = {}1{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(kaohe_policy::load_str(&deep, "f.toml").is_err());
    let deep = format!("[policy]\nid = \"x\"\nversion = \"1\"\nname = \"n\"\ncycle = \"monthly\"\n[line]\nbottom = 1\ncandidates = {}{{ var = \"rank\", op = \"<\", value = 1 }}{}\n", "{ not = ".repeat(5000), " }".repeat(5000));
    assert!(kaohe_policy::load_str(&deep, "f.toml").is_err());
}
