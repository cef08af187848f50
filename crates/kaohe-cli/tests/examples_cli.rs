//! The shipped examples through the real binary: what the README promises a new user sees.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn kaohe(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run kaohe");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn main_command_shows_line_exemptions_and_the_tie_for_a_person() {
    // README command 1: P8, 2025-12 (examples/p8-amber-bay/README.md): HB04 in the line, the
    // HB03/HB11 tie left to a person, the new hire HB14 not counted, exemptions with numbers.
    let (ok, text) = kaohe(&["run", "examples/p8-amber-bay"]);
    assert!(ok, "{text}");
    assert!(text.contains("──── 末位线 ────"), "{text}");
    assert!(text.contains("HB04") && text.contains("▼ 末位线"), "{text}");
    assert!(text.contains("并列待定"), "{text}");
    assert!(text.contains("需要人工裁决"), "{text}");
    assert!(text.contains("新人不计"), "{text}");
    assert!(
        text.contains("销售额") && text.contains("≥ 销售任务"),
        "{text}"
    );
    assert!(!text.contains("panicked"));
}

#[test]
fn explain_says_when_a_tie_breaker_decided() {
    // 2025-05: HB06 and HB08 both sold 200; less 回款 enters the line (P8.4).
    let (ok, text) = kaohe(&[
        "explain",
        "examples/p8-amber-bay",
        "--period",
        "2025-05",
        "--person",
        "HB06",
    ]);
    assert!(ok, "{text}");
    assert!(
        text.contains("与郑凯文(HB08)的销售额相同（200.00），按并列规则“回款总额 [P8.4]”排序"),
        "{text}"
    );
}

#[test]
fn every_shipped_policy_checks() {
    let mut args = vec!["policy".to_string(), "check".to_string()];
    for e in std::fs::read_dir(root().join("policies")).expect("policies/") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "toml") {
            args.push(format!(
                "policies/{}",
                p.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert_eq!(args.len(), 10, "eight policies");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, text) = kaohe(&refs);
    assert!(ok, "{text}");
    assert_eq!(text.matches("通过校验").count(), 8, "{text}");
}

#[test]
fn p7_tie_goes_to_a_person_citing_p7_6() {
    // examples/p7-department-raters: 车晓燕 and 毛宇辰 tie exactly at 8000/110 under the
    // normalised 30:40:40 raters (P7.3) for the one place the veto (P7.7) leaves.
    let (ok, text) = kaohe(&["run", "examples/p7-department-raters"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("候选 车晓燕(SC03)、毛宇辰(SC06)，分数 72.73，规则 P7.6"),
        "{text}"
    );
}
